"""Run the per-article function on a Dask distributed cluster.

The client ships both things the workers need, so they can run anywhere the scheduler reaches:
the project's code (the ``pipeline`` package, zipped and sent with ``Client.upload_file``) and the
reference data (the loaded ``Resources``, scattered once to every worker). Workers need only the
packages in requirements.txt.
"""
from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path
from typing import Iterator

from pipeline.process import process_document
from pipeline.records import ArticleResult, SourceDocument
from pipeline.resources import Resources

PACKAGE_DIR = Path(__file__).resolve().parent


def _process_chunk(docs: list[SourceDocument], reference: Resources) -> list[ArticleResult]:
    return [process_document(doc, resources=reference) for doc in docs]


def package_zip(folder: Path) -> Path:
    """The pipeline package as a zip file in ``folder``, for Client.upload_file."""
    target = folder / "dyad_pipeline.zip"
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(PACKAGE_DIR.rglob("*.py")):
            zf.write(path, Path("pipeline") / path.relative_to(PACKAGE_DIR))
    return target


def run_on_dask(docs: list[SourceDocument], *, resources: Resources, scheduler: str | None,
                chunk_size: int) -> Iterator[ArticleResult]:
    """Results in input order, computed on the cluster at ``scheduler`` (tcp://host:port)."""
    if not scheduler:
        raise ValueError("--executor dask needs --scheduler ADDRESS (for example tcp://127.0.0.1:8786)")
    from distributed import Client

    with Client(scheduler) as client, tempfile.TemporaryDirectory() as tmp:
        client.upload_file(str(package_zip(Path(tmp))), load=False)
        shared = client.scatter(resources, broadcast=True, hash=False)
        chunks = [docs[i:i + chunk_size] for i in range(0, len(docs), chunk_size)]
        # not `resources=`: Client.map reserves that name for worker resource constraints
        futures = client.map(_process_chunk, chunks, reference=shared, pure=False)
        for future in futures:
            yield from future.result()
            future.release()
