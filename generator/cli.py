"""The `marsad` command line: arguments in, one summary paragraph out. No logic lives here."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import __version__, pipeline
from .config import Config, ConfigError, load_config
from .model import Analysis

USER_ERRORS = (ConfigError, OSError, RuntimeError, UnicodeDecodeError)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.command(args)
    except USER_ERRORS as exc:
        print(f"marsad: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("marsad: interrupted", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="marsad", description="Arabic media-monitoring digests: feeds in, an RTL site out.")
    parser.add_argument("--version", action="version", version=f"marsad {__version__}")
    parser.add_argument("--config", type=Path, default=Path("marsad.yml"),
                        help="the configuration file (default: ./marsad.yml)")
    parser.add_argument("--no-progress", dest="progress", action="store_false",
                        help="do not draw progress bars")
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")

    def command(name: str, func, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(command=func)
        return sub

    command("ingest", cmd_ingest, "read every source and store its new articles")
    command("analyze", cmd_analyze, "find sentences, entities, quotes and summaries in new articles")
    command("render", cmd_render, "write the digest pages (Markdown) into the content folder")
    command("build", cmd_build, "build the static site with MkDocs into the site folder")
    command("run", cmd_run, "ingest, analyze, render and build, in that order")
    serve = command("serve", cmd_serve, "serve the built site for preview")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    extract = command("extract", cmd_extract,
                      "analyze one article's plain text and print what was found")
    extract.add_argument("file", nargs="?", default="-", help="a UTF-8 text file, or - for stdin")
    extract.add_argument("--format", choices=("json", "text"), default="json")
    return parser


# --- commands -----------------------------------------------------------------------------


def cmd_ingest(args) -> int:
    config = load_config(args.config)
    with pipeline.run_lock(config):
        report = pipeline.ingest(config, args.progress)
    _print_ingest(report)
    return 1 if report.failures and len(report.failures) == report.sources else 0


def cmd_analyze(args) -> int:
    config = load_config(args.config)
    with pipeline.run_lock(config):
        _print_analyze(pipeline.analyze(config, args.progress))
    return 0


def cmd_render(args) -> int:
    config = load_config(args.config)
    with pipeline.run_lock(config):
        _print_render(pipeline.render(config), config)
    return 0


def cmd_build(args) -> int:
    config = load_config(args.config)
    with pipeline.run_lock(config):
        _print_build(pipeline.build(config), config)
    return 0


def cmd_run(args) -> int:
    config = load_config(args.config)
    with pipeline.run_lock(config):
        ingest = pipeline.ingest(config, args.progress)
        _print_ingest(ingest)
        analyze = pipeline.analyze(config, args.progress)
        _print_analyze(analyze)
        render = pipeline.render(config)
        _print_render(render, config)
        build = pipeline.build(config)
        _print_build(build, config)
    seconds = ingest.seconds + analyze.seconds + render.seconds + build.seconds
    print(f"\nDone in {seconds:.1f} s: {ingest.sources - len(ingest.failures)} of {ingest.sources} "
          f"sources read, {ingest.new} new articles and {ingest.duplicates} duplicates, "
          f"{render.digests} digests, {render.written} pages and {len(build.result.written)} site "
          f"files written. The site is at {_shown(config.site_dir / 'index.html')}; preview it "
          f"with `marsad serve` (http://127.0.0.1:8000) or `mkdocs serve`.")
    return 0


def cmd_serve(args) -> int:
    config = load_config(args.config)
    print(f"serving {_shown(config.site_dir)} at http://{args.host}:{args.port}/ (Ctrl+C stops)")
    from .publish import serve_site

    serve_site(config.site_dir, args.host, args.port)
    return 0


def cmd_extract(args) -> int:
    from .arabic import Analyzer

    text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8")
    watchlists = load_config(args.config).watchlists if args.config.exists() else ()
    analysis = Analyzer(watchlists).analyze(text)
    if args.format == "json":
        print(json.dumps(analysis.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(_analysis_text(analysis))
    return 0


# --- printing -----------------------------------------------------------------------------


def _print_ingest(r: pipeline.IngestReport) -> None:
    for name, error in r.failures:
        print(f"  ! {name}: {error}", file=sys.stderr)
    for name, warning in r.warnings:
        print(f"  ~ {name}: {warning}", file=sys.stderr)
    failed = f", {len(r.failures)} failed" if r.failures else ""
    print(f"ingest: read {r.sources} sources{failed}; {r.entries} entries: {r.new} new, "
          f"{r.updated} updated, {r.duplicates} duplicates ({r.seconds:.1f} s).")


def _print_analyze(r: pipeline.AnalyzeReport) -> None:
    print(f"analyze: {r.analyzed} articles analyzed, {r.up_to_date} already up to date "
          f"({r.seconds:.1f} s).")


def _print_render(r: pipeline.RenderReport, config: Config) -> None:
    print(f"render: {r.digests} digests; {r.written} pages written, {r.unchanged} unchanged, "
          f"{r.removed} removed in {_shown(config.content_dir)} ({r.seconds:.1f} s).")


def _print_build(r: pipeline.BuildReport, config: Config) -> None:
    b = r.result
    print(f"build: site in {_shown(config.site_dir)}; {len(b.written)} files written, "
          f"{b.unchanged} unchanged, {len(b.removed)} removed ({r.seconds:.1f} s).")


def _analysis_text(analysis: Analysis) -> str:
    lines = [f"{len(analysis.sentences)} sentences", "", "entities:"]
    lines += [f"  {e.type:<4} {e.name} ×{len(e.mentions)}" for e in analysis.entities]
    lines += ["", "quotes:"]
    lines += [f"  [{q.kind}] {q.speaker or '?'}: {q.text}" for q in analysis.quotes]
    lines += ["", "summary:"] + [f"  {s}" for s in analysis.summary]
    return "\n".join(lines)


def _shown(path: Path) -> str:
    """A path relative to the working folder when it is inside it: shorter to read."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
