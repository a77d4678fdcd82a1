"""Shared set-up for scripts/serve.py and scripts/test.py: a project venv with everything.

Only the Python standard library is used here, so a fresh machine with Python >= 3.11
can run it. The venv lives in .venv/ at the project root and is reused.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
# Every package CI installs, pinned with its sha256 hashes (pip-compile, see README).
LOCK = ROOT / "requirements" / "ci.lock"
LOCKED_FOR = ("linux", (3, 11))  # the platform and Python the lock was resolved for


def ensure_venv(extras: str = "") -> Path:
    """Create .venv and install the project (editable) when pyproject.toml or the lock changed."""
    if sys.version_info < (3, 11):  # noqa: UP036 - this script must explain itself on old Pythons
        sys.exit("Wegweiser braucht Python 3.11 oder neuer / needs Python 3.11 or newer.")
    if not (BIN / "python").exists():
        print("Lege .venv an … / creating .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    locked = lock_usable()
    stamp = VENV / f".installed{extras or '-base'}"
    wanted = hashlib.sha256(
        (ROOT / "pyproject.toml").read_bytes() + (LOCK.read_bytes() if locked else b"")
    ).hexdigest()
    if not stamp.exists() or stamp.read_text() != wanted:
        install_locked() if locked else install_latest(extras)
        stamp.write_text(wanted)
    # Leaflet for the maps: pinned npm tarballs, checked against their sha512, cached once.
    run([BIN / "wegweiser", "vendor"], stdout=subprocess.DEVNULL)
    return BIN


def lock_usable() -> bool:
    """The lock fits this machine; CI insists on it, elsewhere the newest versions do."""
    platform, version = LOCKED_FOR
    fits = LOCK.is_file() and sys.platform == platform and sys.version_info[:2] == version
    if not fits and os.environ.get("CI"):
        sys.exit(
            f"CI installiert nur aus {LOCK.name} (Linux, Python {version[0]}.{version[1]}) / "
            "CI installs only from the lock file with its hashes."
        )
    return fits


def install_locked() -> None:
    """Exactly the pinned files, each checked against its hash; nothing fetched unpinned."""
    print(f"Installiere aus {LOCK.name} … / installing from the lock file …", flush=True)
    pip = [BIN / "python", "-m", "pip", "install", "--quiet"]
    run([*pip, "--require-hashes", "--only-binary", ":all:", "-r", LOCK])
    # The project itself: built with the locked setuptools, its dependencies already there.
    run([*pip, "--no-deps", "--no-build-isolation", "-e", "."])


def install_latest(extras: str) -> None:
    target = f".[{extras}]" if extras else "."
    print(f"Installiere {target} … / installing {target} …", flush=True)
    run([BIN / "python", "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
    run([BIN / "python", "-m", "pip", "install", "--quiet", "-e", target])


def run(command: list, **kwargs) -> None:
    subprocess.run([str(part) for part in command], check=True, cwd=ROOT, **kwargs)
