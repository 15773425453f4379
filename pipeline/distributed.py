"""Run the per-article function on a Dask distributed cluster.

The client ships both things the workers need, so they can run anywhere the scheduler reaches:
the project's code (the ``pipeline`` package, zipped and sent with ``Client.upload_file``) and the
reference data (the loaded ``Resources``, scattered once to every worker). Workers need only the
packages in requirements.txt.
"""
from __future__ import annotations

import tempfile
import zipfile
from dataclasses import astuple
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from pipeline.records import ArticleResult, SourceDocument
from pipeline.resources import Resources

if TYPE_CHECKING:    # pipeline.process imports every stage: only the workers need them
    from pipeline.process import ArticleFailure

PACKAGE_DIR = Path(__file__).resolve().parent


def _chunk_task():
    """The task function, built as a closure so that cloudpickle sends it by value.

    Dask's scheduler unpickles task graphs; a function or dataclass referred to by name would make
    the scheduler import ``pipeline``. Documents therefore travel as plain tuples, and the project's
    code is imported only inside the task, on a worker.
    """
    def process_chunk(rows, reference):
        from pipeline.process import process_or_failure
        from pipeline.records import SourceDocument

        # one article's failure is its ArticleFailure, as in a local build, not the chunk's end
        return [process_or_failure(SourceDocument(*row), resources=reference) for row in rows]

    return process_chunk


def package_zip(folder: Path) -> Path:
    """The pipeline package as a zip file in ``folder``, for Client.upload_file."""
    target = folder / "dyad_pipeline.zip"
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(PACKAGE_DIR.rglob("*.py")):
            zf.write(path, Path("pipeline") / path.relative_to(PACKAGE_DIR))
    return target


def _import_path_setter(zip_name: str):
    """A function for Client.run that lets a worker import the uploaded package, unless it already can.

    Built as a closure so that cloudpickle sends it by value: a worker without the project's code
    could not import it by name.
    """
    def ensure_pipeline(dask_worker):
        import importlib
        import importlib.util
        import os
        import sys

        if importlib.util.find_spec("pipeline") is None:
            sys.path.insert(0, os.path.join(dask_worker.local_directory, zip_name))
            importlib.invalidate_caches()

    return ensure_pipeline


def run_on_dask(docs: list[SourceDocument], *, resources: Resources, scheduler: str | None,
                chunk_size: int) -> Iterator[ArticleResult | ArticleFailure]:
    """Results (or failures) in input order, computed on the cluster at ``scheduler`` (tcp://host:port)."""
    if not scheduler:
        raise ValueError("--executor dask needs --scheduler ADDRESS (for example tcp://127.0.0.1:8786)")
    from distributed import Client

    with Client(scheduler) as client, tempfile.TemporaryDirectory() as tmp:
        zipped = package_zip(Path(tmp))
        # load=False: with load=True the scheduler imports it too, and a LocalCluster's scheduler
        # lives in this process, which would then run the zipped copy instead of its own code.
        client.upload_file(str(zipped), load=False)
        client.run(_import_path_setter(zipped.name))
        shared = client.scatter(resources, broadcast=True, hash=False)
        rows = [astuple(doc) for doc in docs]
        chunks = [rows[i:i + chunk_size] for i in range(0, len(rows), chunk_size)]
        # not `resources=`: Client.map reserves that name for worker resource constraints
        futures = client.map(_chunk_task(), chunks, reference=shared, pure=False)
        for future in futures:
            yield from future.result()
            future.release()
