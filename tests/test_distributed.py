"""Builds on a Dask LocalCluster (loopback, two worker processes) give the same tables as a local build."""
from __future__ import annotations

import pytest

from pipeline.build import build_corpus
from pipeline.cli import main
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
