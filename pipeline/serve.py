"""`python -m pipeline serve --input PATH… [--out DIR] [--port N] [--workers N]`: build what is new
(progress and summary in the terminal, as `build` prints them), then run the dashboard on those
tables at http://127.0.0.1:PORT.

The dashboard is told the folders through the environment variables it reads (dashboard/startup.py):
``DYAD_INPUT`` (the inputs, separated by ``os.pathsep``) and ``DYAD_DATA`` (the tables). On POSIX
this process *becomes* the Streamlit server (exec): Ctrl-C and SIGTERM reach the server itself, and
nothing is left running when it ends. Elsewhere the server runs as a child that is stopped with it.

Without ``--out``: the default corpus (seeds/) keeps its tables in data/processed/; any other
corpus gets its own folder, data/corpora/NAME-HASH/ (NAME from the first input, HASH of the inputs'
absolute paths), so serving one corpus never replaces another's tables and a second serve of the
same folder finds its tables (and cache) again.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

from pipeline import cli
from pipeline.build import DEFAULT_INPUT, DEFAULT_OUT, PROJECT_ROOT

CORPORA_DIR = PROJECT_ROOT / "data" / "corpora"
APP = PROJECT_ROOT / "streamlit_app.py"
DEFAULT_PORT = 8501
HOST = "127.0.0.1"     # loopback only, as .streamlit/config.toml: the dashboard has no login
_NAME_CHARS = re.compile(r"[^A-Za-z0-9._-]+")
_MAX_NAME = 40


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--input", nargs="+", type=Path, default=[DEFAULT_INPUT], metavar="PATH",
                        help="folders (read recursively) or files; default: seeds/")
    parser.add_argument("--out", type=Path, default=None, metavar="DIR",
                        help="folder for the tables; default: data/processed/ for seeds/, "
                             "data/corpora/NAME-HASH/ for any other input")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port on {HOST} (default {DEFAULT_PORT})")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="parallel worker processes for the build (default: all cores)")


def default_out(inputs: list[Path]) -> Path:
    """Where a corpus's tables go when ``--out`` is not given (see the module's docstring)."""
    real = [Path(p).expanduser().resolve() for p in inputs]
    if real == [DEFAULT_INPUT.resolve()]:
        return DEFAULT_OUT
    digest = hashlib.sha256("\0".join(map(str, real)).encode("utf-8", "surrogateescape")).hexdigest()[:10]
    return CORPORA_DIR / f"{_folder_name(real[0])}-{digest}"


def _folder_name(path: Path) -> str:
    """A short, safe folder name from an input's name ("corpus" when nothing of it is left)."""
    name = _NAME_CHARS.sub("-", path.name).strip(".-_")[:_MAX_NAME].strip(".-_")
    return name or "corpus"


def dashboard_command(port: int) -> list[str]:
    return [sys.executable, "-m", "streamlit", "run", str(APP), "--server.address", HOST,
            "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false"]


def dashboard_environment(inputs: list[Path], out: Path) -> dict[str, str]:
    """This process's environment, with the dashboard's folders as absolute paths (it runs in the
    project folder, to read .streamlit/config.toml)."""
    env = dict(os.environ)
    env["DYAD_INPUT"] = os.pathsep.join(os.path.abspath(p) for p in inputs)
    env["DYAD_DATA"] = os.path.abspath(out)
    env.pop("DYAD_NO_BUILD", None)      # articles added from the page must be built
    if not cli.ARROW_POOL_SET_BY_USER:
        env.pop("ARROW_DEFAULT_MEMORY_POOL", None)
    return env


def run(args: argparse.Namespace) -> int:
    """Build, then serve; the exit code of `build` when it cannot start (2: a missing input or a
    refused --out), 130 when stopped during the build."""
    if not 0 < args.port < 65536:
        print(f"error: --port {args.port} is not a port number (1-65535)", file=sys.stderr)
        return 2
    for path in args.input:
        if os.pathsep in str(path):
            print(f"error: the input {path} holds {os.pathsep!r}, which separates inputs for the dashboard; "
                  "rename it or link it from a path without one", file=sys.stderr)
            return 2
    out = args.out if args.out is not None else default_out(args.input)
    note = "" if args.out is not None else " (the default --out for these inputs; choose one with --out DIR)"
    try:
        code = cli.build_and_report(args.input, out, workers=args.workers, out_note=note)
    except KeyboardInterrupt:
        print("\nstopped: the build was interrupted; the previous tables are kept", file=sys.stderr)
        return 130
    if code == 2:
        return code
    if code == 1:
        print("The dashboard starts anyway: add articles from its sidebar, or put them in the input folder.",
              file=sys.stderr)
    env = dashboard_environment(args.input, out)     # absolute paths, before the working folder changes
    print(f"Dashboard on {', '.join(map(str, args.input))} (tables in {out}): http://{HOST}:{args.port}  "
          "(Ctrl-C stops it)", flush=True)
    return _run_dashboard(dashboard_command(args.port), env)


def _run_dashboard(command: list[str], env: dict[str, str]) -> int:
    """Become the Streamlit server (POSIX), or run it as a child and stop it with this process."""
    os.chdir(PROJECT_ROOT)
    sys.stdout.flush()
    sys.stderr.flush()
    if os.name == "posix":
        os.execve(command[0], command, env)     # does not return
    proc = subprocess.Popen(command, env=env)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        try:
            return proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            return proc.wait()
