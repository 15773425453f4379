"""Builds on a Dask LocalCluster (loopback, two worker processes) give the same tables as a local build."""
from __future__ import annotations

import pytest

from pipeline.build import build_corpus
from pipeline.cli import main
from servers import free_port
from test_build import TABLE_FILES, make_mixed_folder, snapshot

distributed = pytest.importorskip("distributed")


def test_dask_build_matches_local_build(tmp_path):
    make_mixed_folder(tmp_path / "in")
    build_corpus([tmp_path / "in"], tmp_path / "local", workers=1)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        report = build_corpus([tmp_path / "in"], tmp_path / "dask", executor="dask",
                              scheduler=cluster.scheduler_address)
    assert report.built == 5
    assert snapshot(tmp_path / "dask") == snapshot(tmp_path / "local")
    assert len(TABLE_FILES) == 16


def test_dask_executor_needs_a_scheduler(tmp_path, capsys):
    make_mixed_folder(tmp_path / "in")
    assert main(["build", "--input", str(tmp_path / "in"), "--out", str(tmp_path / "out"),
                 "--executor", "dask"]) == 2
    assert "--scheduler" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_workers_without_the_project_get_its_code_from_the_client(tmp_path):
    """A scheduler and workers started outside the project (no checkout on their path) still build."""
    import os
    import subprocess
    import sys

    make_mixed_folder(tmp_path / "in")
    build_corpus([tmp_path / "in"], tmp_path / "local", workers=1)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    common = dict(cwd=str(tmp_path), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    scheduler = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                                  "--port", str(port), "--no-dashboard"], **common)
    worker = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", f"tcp://127.0.0.1:{port}",
                               "--nworkers", "2", "--nthreads", "1", "--no-dashboard"], **common)
    try:
        with distributed.Client(f"tcp://127.0.0.1:{port}", timeout=60) as client:
            client.wait_for_workers(2, timeout=60)
            assert not any(client.run(lambda: __import__("importlib.util").util.find_spec("pipeline") is not None)
                           .values())
        build_corpus([tmp_path / "in"], tmp_path / "remote", executor="dask", scheduler=f"tcp://127.0.0.1:{port}")
    finally:
        worker.terminate()
        scheduler.terminate()
        worker.wait(timeout=30)
        scheduler.wait(timeout=30)
    assert snapshot(tmp_path / "remote") == snapshot(tmp_path / "local")
