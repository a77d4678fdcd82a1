#!/usr/bin/env python3
"""Build and serve the directory (here the sample) on http://127.0.0.1:8000/, rebuilt on change.

python3 scripts/serve.py            # set-up on first run, then `mkdocs serve`
python3 scripts/serve.py --port 9000
"""

import argparse
import os
import sys

from _bootstrap import ROOT, ensure_venv

parser = argparse.ArgumentParser(
    description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
)
parser.add_argument("--port", type=int, default=8000)
args = parser.parse_args()

bin_dir = ensure_venv()
os.chdir(ROOT)
command = [str(bin_dir / "mkdocs"), "serve", "--dev-addr", f"127.0.0.1:{args.port}"]
print("Wegweiser läuft auf / runs at", f"http://127.0.0.1:{args.port}/", flush=True)
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
sys.exit(os.execv(command[0], command))
