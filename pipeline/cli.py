"""Command line: `python -m pipeline build|serve|eval …` — a thin layer over pipeline.build."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from pipeline import __version__
from pipeline.build import (DEFAULT_INPUT, DEFAULT_OUT, BuildReport, NoArticlesError, OutputFolderError,
                            build_corpus)
from pipeline.keywords import KeywordSettings
from pipeline.readers import InputNotFoundError

# Arrow's default allocator in the pyarrow wheels (mimalloc) made writing a small corpus's Parquet
# files 3-4x slower in most runs of the command (15 ms -> 50-60 ms, measured; not in a long-lived
# process); the C library's allocator (or jemalloc) does not. It takes effect when pyarrow is first
# imported, which a build does only after this; a user's own setting wins (and only that one is
# passed on to the dashboard `serve` starts: a long-lived reader was not measured with it).
ARROW_POOL_SET_BY_USER = "ARROW_DEFAULT_MEMORY_POOL" in os.environ
os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description="Dyad's preprocessing pipeline.")
    parser.add_argument("--version", action="version", version=f"dyad pipeline {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="build the tables from a corpus of articles")
    build.add_argument("--input", nargs="+", type=Path, default=[DEFAULT_INPUT], metavar="PATH",
                       help="folders (read recursively) or files; default: seeds/")
    build.add_argument("--out", type=Path, default=DEFAULT_OUT, metavar="DIR",
                       help="output folder for the tables; default: data/processed/")
    build.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                       help="parallel worker processes (default: all cores)")
    build.add_argument("--keyword-engine", choices=["yake", "yake-rust"], default=None,
                       help="YAKE implementation for keywords (default: the wrapper's default)")
    build.add_argument("--executor", choices=["local", "dask"], default="local",
                       help="where per-article work runs: local processes, or a Dask cluster")
    build.add_argument("--scheduler", metavar="ADDRESS",
                       help="Dask scheduler address for --executor dask, e.g. tcp://127.0.0.1:8786")
    build.add_argument("--force", action="store_true", help="ignore the cache and rebuild every article")
    build.add_argument("--quiet", action="store_true", help="print only errors")
    from pipeline import evaluate, serve
    serve.add_arguments(sub.add_parser("serve", help="build what is new, then start the dashboard on those tables"))
    evaluate.add_arguments(sub.add_parser("eval", help="build a gold set's articles and score the tables"))
    return parser


def _articles(n: int) -> str:
    return f"{n} article" if n == 1 else f"{n} articles"


def _summary(report: BuildReport, out: Path) -> str:
    lines = []
    if report.up_to_date:
        lines.append(f"Tables in {out} are up to date ({_articles(report.built)}); nothing to rebuild.")
    else:
        lines.append(f"Built {_articles(report.built)} into {out} in {report.seconds:.1f} s "
                     f"({report.processed} processed, {report.cached} from cache).")
    lines.append(f"  skipped inputs: {len(report.skipped)}; failed articles: {len(report.failed)}; "
                 f"duplicates: {len(report.duplicates)}; boilerplate lines removed: {report.boilerplate_removed}")
    if report.pass_failures:
        lines.append(f"  passes that failed and fell back (articles kept; manifest.json pass_failures): "
                     f"{report.pass_failures}")
    lines += _left_out(report)
    if report.rows:
        lines.append("  rows: " + ", ".join(f"{k} {v}" for k, v in report.rows.items()))
    if report.dates:
        lines.append("  dates: " + _date_sources(report.dates))
    return "\n".join(lines)


def _date_sources(dates: dict[str, int]) -> str:
    """Where the articles' dates came from, e.g. "12 from metadata, 30 from file names, 3 none"."""
    said = {"metadata": "from metadata", "file_name": "from file names", "text": "from the text", "none": "none"}
    return ", ".join(f"{n} {said.get(source, source)}" for source, n in dates.items())


def _left_out(report: BuildReport) -> list[str]:
    """One line per skipped input, failed article and duplicate, with its reason."""
    lines = [f"  skipped {path}: {reason}" for path, reason in report.skipped]
    lines += [f"  failed {path} (article {article_id}): {reason}" for path, article_id, reason in report.failed]
    lines += [f"  duplicate {path}: same text as article {first}" for path, first in report.duplicates]
    return lines


def _no_articles(exc: NoArticlesError) -> str:
    """The error of a build that kept no article, after what was left out and why (so the message
    points at something that is there)."""
    report = exc.report
    if report is not None and (report.skipped or report.failed):
        for line in _left_out(report):
            print(line, file=sys.stderr)
        return f"error: {exc}; see the skipped inputs above"
    return f"error: {exc}: the inputs hold no .txt, .md, .html, .htm, .jsonl or .csv file"


def build_and_report(inputs: list[Path], out: Path, *, workers: int, settings: KeywordSettings | None = None,
                     force: bool = False, executor: str = "local", scheduler: str | None = None,
                     quiet: bool = False, out_note: str = "") -> int:
    """Build, print the summary (or the error), and return the exit code: 0 built, 1 no article,
    2 a missing input or a refused ``out`` (``out_note`` is added to that error: where the folder
    came from when the user did not name it)."""
    def waiting() -> None:     # once, when another build holds --out (this one then waits)
        print(f"waiting for another build into {out}…", file=sys.stderr, flush=True)

    try:
        report = build_corpus(inputs, out, workers=max(1, workers), keyword_settings=settings, force=force,
                              executor=executor, scheduler=scheduler, on_wait=waiting)
    except InputNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OutputFolderError as exc:    # --out could destroy files: nothing was touched
        print(f"error: {exc}{out_note}", file=sys.stderr)
        return 2
    except ValueError as exc:   # bad settings, e.g. --executor dask without --scheduler
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except NoArticlesError as exc:
        print(_no_articles(exc), file=sys.stderr)
        return 1
    if not quiet:
        print(_summary(report, out), flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "eval":
        from pipeline import evaluate
        return evaluate.run(args)
    if args.command == "serve":
        from pipeline import serve
        return serve.run(args)
    if args.command == "build":
        settings = KeywordSettings(engine=args.keyword_engine) if args.keyword_engine else None
        return build_and_report(args.input, args.out, workers=args.workers, settings=settings, force=args.force,
                                executor=args.executor, scheduler=args.scheduler, quiet=args.quiet)
    return 2
