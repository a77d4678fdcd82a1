#!/usr/bin/env python3
"""Run all tests: sets up .venv with the test tools, then runs pytest.

    python3 scripts/test.py            # everything, browser tests included
    python3 scripts/test.py -k loader  # extra arguments go to pytest
    python3 scripts/test.py -n 0       # in one process (default: one worker per core, ≤ 4)

Browser tests drive Debian's Chromium (/usr/bin/chromium) through Playwright; no
browser is downloaded. On Debian or Ubuntu as root, a missing Chromium is installed
with apt-get; otherwise install the package `chromium` yourself.
"""

import os
import shutil
import subprocess
import sys

from _bootstrap import ROOT, ensure_venv


def ensure_chromium() -> None:
    if shutil.which("chromium") or os.environ.get("WEGWEISER_CHROMIUM"):
        return
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        print("Installiere Chromium (Debian) … / installing Chromium …", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "chromium"],
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
        )
    else:
        sys.exit(
            "Chromium fehlt: bitte das Paket 'chromium' installieren (apt-get install chromium)."
        )


bin_dir = ensure_venv("test")
ensure_chromium()
os.chdir(ROOT)
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
args = sys.argv[1:]
if not any(arg == "-n" or arg.startswith(("-n", "--numprocesses")) for arg in args):
    # the suite is mostly builds and browsers waiting: one pytest-xdist worker per core
    args = ["-n", str(min(os.cpu_count() or 1, 4)), *args]
sys.exit(subprocess.run([str(bin_dir / "python"), "-m", "pytest", *args]).returncode)
