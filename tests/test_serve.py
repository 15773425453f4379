"""`python -m pipeline serve` (issue 15, item 1): the default --out, the errors `build` gives, the
dashboard told its folders, and a real server that stops cleanly with nothing left running."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from dashboard import startup  # noqa: E402
from pipeline import serve  # noqa: E402
from pipeline.build import DEFAULT_INPUT, DEFAULT_OUT  # noqa: E402
from pipeline.cli import main  # noqa: E402
from servers import free_port  # noqa: E402

FERRY = "Ferry talks\n\nThe harbour master of Lindqvist, Arne Solberg, said the ferry would run twice a day.\n"
BRIDGE = "Bridge vote\n\nCouncillors in Tessel voted on Tuesday to repair the old stone bridge, the mayor said.\n"


def corpus(folder: Path, **articles: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in articles.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


# --------------------------------------------------------------------------- the default --out

def test_default_out_of_the_seeds_is_data_processed(monkeypatch):
    assert serve.default_out([DEFAULT_INPUT]) == DEFAULT_OUT
    monkeypatch.chdir(ROOT)
    assert serve.default_out([Path("seeds")]) == DEFAULT_OUT
    assert serve.default_out([Path("./seeds/")]) == DEFAULT_OUT


def test_default_out_of_another_corpus_is_its_own_folder_under_data_corpora(tmp_path, monkeypatch):
    a = corpus(tmp_path / "my corpus!", x=FERRY)
    out = serve.default_out([a])
    assert out.parent == ROOT / "data" / "corpora"
    assert out.name.startswith("my-corpus-") and len(out.name) == len("my-corpus-") + 10
    monkeypatch.chdir(tmp_path)
    assert serve.default_out([Path("my corpus!")]) == out                     # relative: the same folder
    (tmp_path / "link").symlink_to(a)
    assert serve.default_out([tmp_path / "link"]) == out                      # through a link: the same
    other = corpus(tmp_path / "elsewhere" / "my corpus!", x=FERRY)
    assert serve.default_out([other]) != out                                  # same name, other folder
    assert serve.default_out([a, other]) not in (out, serve.default_out([other]))
    assert serve.default_out([Path("/")]).name.startswith("corpus-")
    assert serve.default_out([tmp_path / ("n" * 200)]).name.startswith("n" * 40 + "-")


def test_data_corpora_is_git_ignored():
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    probe = "data/corpora/some-corpus-0123456789/articles.parquet"
    done = subprocess.run(["git", "check-ignore", "-q", probe], cwd=ROOT)
    assert done.returncode == 0


# --------------------------------------------------------------------------- errors, as `build` gives them

def test_missing_input_exits_2(tmp_path, capsys):
    assert main(["serve", "--input", str(tmp_path / "missing"), "--out", str(tmp_path / "out")]) == 2
    assert "error: input path does not exist" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_refused_out_exits_2(tmp_path, capsys):
    folder = corpus(tmp_path / "in", a=FERRY)
    assert main(["serve", "--input", str(folder), "--out", str(folder / "tables")]) == 2
    assert "lies inside the input" in capsys.readouterr().err


def test_refused_default_out_says_it_was_the_default(tmp_path, capsys, monkeypatch):
    folder = corpus(tmp_path / "in", a=FERRY)
    monkeypatch.setattr(serve, "CORPORA_DIR", folder / "corpora")       # as for `serve --input .` in the project
    assert main(["serve", "--input", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "lies inside the input" in err and "the default --out for these inputs; choose one with --out DIR" in err


def test_bad_port_exits_2(tmp_path, capsys):
    assert main(["serve", "--input", str(tmp_path), "--port", "70000"]) == 2
    assert "--port 70000 is not a port number" in capsys.readouterr().err


# --------------------------------------------------------------------------- what the dashboard is told

def test_dashboard_command_and_environment(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DYAD_NO_BUILD", "1")
    env = serve.dashboard_environment([Path("a"), tmp_path / "b.jsonl"], Path("out"))
    assert env["DYAD_INPUT"] == os.pathsep.join([str(tmp_path / "a"), str(tmp_path / "b.jsonl")])
    assert env["DYAD_DATA"] == str(tmp_path / "out")
    assert "DYAD_NO_BUILD" not in env
    command = serve.dashboard_command(8642)
    assert command[:5] == [sys.executable, "-m", "streamlit", "run", str(ROOT / "streamlit_app.py")]
    assert command[command.index("--server.address") + 1] == "127.0.0.1"
    assert command[command.index("--server.port") + 1] == "8642"
    assert command[command.index("--server.headless") + 1] == "true"


def test_page_says_which_folders_and_how_many_articles(tmp_path, monkeypatch):
    """Several inputs reach the dashboard through DYAD_INPUT (os.pathsep-separated)."""
    a = corpus(tmp_path / "first", ferry=FERRY)
    b = tmp_path / "second.txt"
    b.write_text(BRIDGE, encoding="utf-8")
    for name, value in serve.dashboard_environment([a, b], tmp_path / "tables").items():
        if name.startswith("DYAD_"):
            monkeypatch.setenv(name, value)
    monkeypatch.delenv("DYAD_NO_BUILD", raising=False)
    assert startup.input_paths() == [a, b]
    startup.forget_failed_builds()
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120).run()
    assert not at.exception
    caption = at.sidebar.caption[0].value.replace("\\", "")
    assert caption == f"2 articles from {a}, {b}"
    assert (a / "uploads").exists() is False            # nothing written until something is uploaded


# --------------------------------------------------------------------------- a real server

def _children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (Linux /proc)."""
    found = []
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat_file.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat_file.parent.name))
    return found


def _wait_healthy(url: str, proc: subprocess.Popen, log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200 and r.read().strip() == b"ok":
                    return
        except OSError:
            pass
        if proc.poll() is not None:
            break
        time.sleep(0.3)
    raise AssertionError(f"serve did not become healthy (exit {proc.poll()}):\n{log.read_text(errors='replace')}")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc to list child processes")
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["terminate", "ctrl-c"])
def test_serve_builds_then_serves_and_stops_cleanly(tmp_path, stop):
    articles = corpus(tmp_path / "articles", ferry_2022_03_01=FERRY, bridge_2022_03_02=BRIDGE)
    (articles / "dated_2022-03-04.txt").write_text(FERRY.replace("twice", "three times"), encoding="utf-8")
    out = tmp_path / "tables"
    port = free_port()
    log = tmp_path / "serve.log"
    with open(log, "wb") as log_file:
        proc = subprocess.Popen([sys.executable, "-m", "pipeline", "serve", "--input", str(articles), "--out", str(out),
                                 "--port", str(port), "--workers", "1"],
                                cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"},
                                stdout=log_file, stderr=subprocess.STDOUT)
        try:
            _wait_healthy(f"http://127.0.0.1:{port}", proc, log)
            manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
            assert manifest["rows"]["articles"] == 3
            assert manifest["dates"] == {"metadata": 0, "file_name": 1, "text": 0, "none": 2}
            printed = log.read_text()
            assert f"Built 3 articles into {out}" in printed and f"http://127.0.0.1:{port}" in printed
            children = _children(proc.pid)
            proc.send_signal(stop)
            assert proc.wait(timeout=30) in (0, -stop, 128 + stop)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() for pid in children) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [pid for pid in children if Path(f"/proc/{pid}").exists()], children
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)


def test_make_run_serves_the_seeds_at_8501_and_passes_input_and_out_on():
    if shutil.which("make") is None:
        pytest.skip("make not installed")

    def dry_run(*variables: str) -> str:
        # a make of its own: under `make test` the parent's MAKEFLAGS/MAKELEVEL would make it print
        # "Entering directory" lines and pass on the parent's variables
        inherited = ("INPUT", "OUT", "PORT", "MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES")
        done = subprocess.run(["make", "--no-print-directory", "-n", "-o", ".venv/.installed", "run", *variables],
                              cwd=ROOT, capture_output=True, text=True,
                              env={k: v for k, v in os.environ.items() if k not in inherited})
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert dry_run() == ".venv/bin/python -m pipeline serve --input seeds --port 8501"
    assert dry_run("INPUT=/tmp/x") == ".venv/bin/python -m pipeline serve --input /tmp/x --port 8501"
    assert dry_run("INPUT=/tmp/x", "OUT=/tmp/y", "PORT=9000") == \
        ".venv/bin/python -m pipeline serve --input /tmp/x --port 9000 --out /tmp/y"
