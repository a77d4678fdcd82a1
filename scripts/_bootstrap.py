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


def ensure_venv(extras: str = "") -> Path:
    """Create .venv and install the project (editable) when pyproject.toml changed."""
    if sys.version_info < (3, 11):  # noqa: UP036 - this script must explain itself on old Pythons
        sys.exit("Wegweiser braucht Python 3.11 oder neuer / needs Python 3.11 or newer.")
    if not (BIN / "python").exists():
        print("Lege .venv an … / creating .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp = VENV / f".installed{extras or '-base'}"
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not stamp.exists() or stamp.read_text() != wanted:
        target = f".[{extras}]" if extras else "."
        print(f"Installiere {target} … / installing {target} …", flush=True)
        run([BIN / "python", "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
        run([BIN / "python", "-m", "pip", "install", "--quiet", "-e", target])
        stamp.write_text(wanted)
    # Leaflet for the maps: pinned npm tarballs, checked against their sha512, cached once.
    run([BIN / "wegweiser", "vendor"], stdout=subprocess.DEVNULL)
    return BIN


def run(command: list, **kwargs) -> None:
    subprocess.run([str(part) for part in command], check=True, cwd=ROOT, **kwargs)
