"""The `marsad` command line: arguments in, one summary paragraph out. No logic lives here.

Each command imports the stages it runs when it runs, so `marsad --help` and `marsad extract`
start without loading the HTTP client, the page extractor or the site builder."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .config import Config, ConfigError, load_config

if TYPE_CHECKING:
    from . import pipeline
    from .model import Analysis


def user_errors() -> tuple[type[BaseException], ...]:
    """The mistakes shown as one line; imported only once something went wrong."""
    from .arabic.backends import BackendError
    from .ingest.opml import OpmlError

    # StoreError and ClusterError are RuntimeErrors
    return BackendError, ConfigError, OpmlError, OSError, RuntimeError, UnicodeDecodeError


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.command(args)
    except KeyboardInterrupt:
        print("marsad: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if _is_database_error(exc):  # a full disk, a store locked by another program
            reason = " ".join(str(getattr(exc, "orig", None) or exc).split())
            print(f"marsad: error: store: {reason} (`marsad doctor` checks it)", file=sys.stderr)
            return 2
        if not isinstance(exc, user_errors()):
            raise
        print(f"marsad: error: {exc}", file=sys.stderr)
        return 2


def _is_database_error(exc: Exception) -> bool:
    """Whether SQLAlchemy raised it (only possible once a command has imported it)."""
    errors = sys.modules.get("sqlalchemy.exc")
    return errors is not None and isinstance(exc, errors.SQLAlchemyError)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="marsad", description="Arabic media-monitoring digests: feeds in, an RTL site out.",
        parents=[_global_options(argparse.SUPPRESS)])
    parser.add_argument("--version", action="version", version=f"marsad {__version__}")
    parser.set_defaults(config=Path("marsad.yml"), progress=True)
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")
    # The global options work after the command too (`marsad run --no-progress`).
    command_options = _global_options(argparse.SUPPRESS)

    def command(name: str, func, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text,
                                  parents=[command_options])
        sub.set_defaults(command=func)
        return sub

    ingest = command("ingest", cmd_ingest, "read every due source and store its new articles")
    ingest.add_argument("--force", action="store_true",
                        help="also read sources that are backing off after errors")
    command("analyze", cmd_analyze, "find sentences, entities, quotes and summaries in new articles")
    render = command("render", cmd_render,
                     "write the pages (Markdown) that new articles change into the content folder")
    render.add_argument("--full", action="store_true", help="render every page again")
    build = command("build", cmd_build, "build the changed pages of the site and its search index")
    build.add_argument("--full", action="store_true", help="build the whole site with mkdocs build")
    run = command("run", cmd_run, "ingest, analyze, render and build, in that order")
    run.add_argument("--force", action="store_true",
                     help="also read sources that are backing off after errors")
    sources = command("sources", cmd_sources,
                      "show source health (list), or import/export the sources as OPML")
    sources.add_argument("action", nargs="?", choices=("list", "import", "export"), default="list")
    sources.add_argument("file", nargs="?", type=Path,
                         help="import: the OPML file to read; export: the file to write (default stdout)")
    serve = command("serve", cmd_serve, "serve the built site for preview")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    extract = command("extract", cmd_extract,
                      "analyze one article's plain text and print what was found")
    extract.add_argument("file", nargs="?", default="-", help="a UTF-8 text file, or - for stdin")
    extract.add_argument("--format", choices=("json", "text"), default="json")
    extract.add_argument("--backend", choices=("auto", "embedded", "rules", "bert"), default="auto",
                         help="entity recognizer (default: bert when installed, else embedded)")
    command("doctor", cmd_doctor, "check the configuration, store, sources, lock, entity "
                                  "recognizer and disk, and say what to fix")
    entities = command("entities", cmd_entities,
                       "list the entity registry (list), show one entity, or merge two into one")
    entities.add_argument("action", nargs="?", choices=("list", "show", "merge"), default="list")
    entities.add_argument("ids", nargs="*", help="show: an entity id; merge: OLD_ID NEW_ID")
    entities.add_argument("--type", choices=("PER", "LOC", "ORG", "MISC"), help="list: only this type")
    entities.add_argument("--limit", type=int, default=20, help="list: how many (default 20)")
    store = command("store", cmd_store, "copy the whole store into another database")
    store.add_argument("action", choices=("migrate",))
    store.add_argument("--to", required=True, metavar="URL",
                       help="the empty target store: postgresql://user@host/db or sqlite:///file")
    return parser


def _global_options(default) -> argparse.ArgumentParser:
    """--config and --no-progress; SUPPRESS keeps an absent option from hiding a given one."""
    options = argparse.ArgumentParser(add_help=False)
    options.add_argument("--config", type=Path, default=default,
                         help="the configuration file (default: ./marsad.yml)")
    options.add_argument("--no-progress", dest="progress", action="store_false", default=default,
                         help="do not draw progress bars")
    return options


# --- commands -----------------------------------------------------------------------------


def cmd_ingest(args) -> int:
    from . import pipeline

    config = load_config(args.config)
    with pipeline.run_lock(config):
        report = pipeline.ingest(config, args.progress, args.force)
    _print_ingest(report)
    failed = report.with_status("failed")
    return 1 if failed and len(failed) == len(report.sources) else 0


def cmd_analyze(args) -> int:
    from . import pipeline

    config = load_config(args.config)
    with pipeline.run_lock(config):
        _print_analyze(pipeline.analyze(config, args.progress))
    return 0


def cmd_render(args) -> int:
    from . import pipeline

    config = load_config(args.config)
    with pipeline.run_lock(config):
        _print_render(pipeline.render(config, args.progress, full=args.full), config)
    return 0


def cmd_build(args) -> int:
    from . import pipeline

    config = load_config(args.config)
    with pipeline.run_lock(config):
        _print_build(pipeline.build(config, full=args.full), config)
    return 0


def cmd_run(args) -> int:
    from . import pipeline

    config = load_config(args.config)
    with pipeline.run_lock(config):
        ingest = pipeline.ingest(config, args.progress, args.force)
        _print_ingest(ingest)
        analyze = pipeline.analyze(config, args.progress)
        _print_analyze(analyze)
        render = pipeline.render(config, args.progress)
        _print_render(render, config)
        build = pipeline.build(config)
        _print_build(build, config)
    seconds = ingest.seconds + analyze.seconds + render.seconds + build.seconds
    read = len(ingest.sources) - len(ingest.with_status("failed", "not-due"))
    print(f"\nDone in {seconds:.1f} s: {read} of {len(ingest.sources)} "
          f"sources read, {ingest.total('new')} new articles and "
          f"{ingest.total('unchanged')} duplicates, "
          f"{render.digests} digests, {render.written} pages written and {build.result.pages} site "
          f"pages built. The site is at {_shown(config.site_dir / 'index.html')}; preview it "
          f"with `marsad serve` (http://127.0.0.1:8000) or `mkdocs serve`.")
    return 0


def cmd_sources(args) -> int:
    from . import pipeline

    config = load_config(args.config)
    if args.action == "import":
        if args.file is None:
            raise ConfigError("sources import: name the OPML file to import")
        with pipeline.run_lock(config):
            merge = pipeline.import_opml(config, args.file)
        for line in merge.skipped:
            print(f"  - skipped {line}", file=sys.stderr)
        print(f"sources import: {len(merge.added)} sources added to {_shown(merge.path)}, "
              f"{len(merge.skipped)} skipped; {len(config.sources) + len(merge.added)} sources "
              f"monitored in all.")
    elif args.action == "export":
        data = pipeline.export_opml(config)
        if args.file is None:
            sys.stdout.write(data.decode("utf-8"))
        else:
            args.file.write_bytes(data)
            print(f"sources export: {len(config.sources)} sources written to {_shown(args.file)}.")
    else:
        _print_sources(pipeline.source_health(config, datetime.now(timezone.utc)))
    return 0


def cmd_doctor(args) -> int:
    from .arabic.doctor import doctor_report
    from .doctor import check

    findings = check(args.config)
    for finding in findings:
        print(f"{'ok' if finding.ok else '!!'} {finding.topic}: {finding.detail}")
        if finding.fix:
            print(f"   fix: {finding.fix}")
    print(f"\n{doctor_report()}")
    problems = sum(not finding.ok for finding in findings)
    print(f"\ndoctor: {len(findings)} checks, {problems} to fix.")
    return 1 if problems else 0


def cmd_entities(args) -> int:
    from . import pipeline

    config = load_config(args.config)
    if args.action == "merge":
        if len(args.ids) != 2:
            raise ConfigError("entities merge: give OLD_ID NEW_ID")
        with pipeline.run_lock(config):
            kept = pipeline.merge_entities(config, *args.ids)
        print(f"entities merge: {args.ids[0]} is now {kept.id} ({kept.name}); its old id "
              f"redirects there. {kept.articles} articles, {kept.mentions} mentions.")
    elif args.action == "show":
        if len(args.ids) != 1:
            raise ConfigError("entities show: give one entity id")
        record = pipeline.entity(config, args.ids[0])
        print(f"{record.id}  {record.type}  {record.name}")
        print(f"  seen {_day(record.first_seen)} to {_day(record.last_seen)}: "
              f"{record.articles} articles, {record.mentions} mentions")
        for name, count in record.aliases.items():
            print(f"  alias  {name} ×{count}")
    else:
        records = pipeline.entity_list(config, args.type, args.limit)
        for r in records:
            print(f"{r.id}  {r.type:<4} {r.mentions:>6} mentions {r.articles:>5} articles  {r.name}")
        print(f"\nentities: {len(records)} shown, most mentioned first"
              f"{' (' + args.type + ')' if args.type else ''}.")
    return 0


def cmd_store(args) -> int:
    from . import pipeline

    config = load_config(args.config)
    with pipeline.run_lock(config):
        copied = pipeline.migrate_store(config, args.to, args.progress)
    rows = sum(copied.values())
    print(f"store migrate: {rows} rows in {len(copied)} tables copied to {copied_to(args.to)}; "
          f"set `store: {copied_to(args.to)}` in {_shown(config.path)} to use it.")
    return 0


def copied_to(url: str) -> str:
    from .store import describe
    return describe(url).replace("postgresql+psycopg://", "postgresql://")


def _day(value: datetime | None) -> str:
    return f"{value:%Y-%m-%d}" if value else "-"


def cmd_serve(args) -> int:
    config = load_config(args.config)
    print(f"serving {_shown(config.site_dir)} at http://{args.host}:{args.port}/ (Ctrl+C stops)")
    from .publish import serve_site

    serve_site(config.site_dir, args.host, args.port)
    return 0


def cmd_extract(args) -> int:
    from .arabic import Analyzer

    text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8")
    config = load_config(args.config) if args.config.exists() else None
    watchlists, device = (config.watchlists, config.analysis.device) if config else ((), "auto")
    analysis = Analyzer(watchlists, backend=args.backend, device=device).analyze(text)
    if args.format == "json":
        print(json.dumps(analysis.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(_analysis_text(analysis))
    return 0


# --- printing -----------------------------------------------------------------------------


def _print_ingest(r: pipeline.IngestReport) -> None:
    for source in r.with_status("failed"):
        when = f"; next attempt {source.next_attempt:%Y-%m-%d %H:%M} UTC" if source.next_attempt else ""
        print(f"  ! {source.name}: {source.error}{when}", file=sys.stderr)
    for source in r.sources:
        if source.warning:
            print(f"  ~ {source.name}: {source.warning}", file=sys.stderr)
    read = len(r.sources) - len(r.with_status("failed", "not-due"))
    failed = f", {len(r.with_status('failed'))} failed" if r.with_status("failed") else ""
    waiting = f", {len(r.with_status('not-due'))} not due yet" if r.with_status("not-due") else ""
    unchanged = len(r.with_status("unchanged", "not-modified"))
    print(f"ingest: read {read} sources{failed}{waiting} ({unchanged} unchanged, "
          f"{sum(s.parsed for s in r.sources)} parsed); {r.total('entries')} entries: "
          f"{r.total('new')} new ({r.total('near_duplicates')} copies of other outlets' "
          f"articles), {r.total('updated')} updated, {r.total('unchanged')} duplicates; "
          f"{r.total('full_texts')} full texts fetched ({r.seconds:.1f} s).")


def _print_sources(rows: list[pipeline.SourceHealth]) -> None:
    def when(value: datetime | None) -> str:
        return f"{value:%Y-%m-%d %H:%M}" if value else "-"

    table = [("source", "last success", "last error", "failures", "7 days", "next attempt")]
    table += [(r.name, when(r.last_success), _shortened(r.last_error) or "-", str(r.failures),
               str(r.articles_7_days), when(r.next_attempt) if r.next_attempt else "now")
              for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    for row in table:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    failing = sum(1 for r in rows if r.failures)
    print(f"\nsources: {len(rows)} monitored, {failing} failing (times in UTC).")


def _shortened(text: str, width: int = 60) -> str:
    """Long errors keep their start and their end (where "file not found" is)."""
    return text if len(text) <= width else f"{text[:20]}…{text[-(width - 21):]}"


def _print_analyze(r: pipeline.AnalyzeReport) -> None:
    limited = f"; {r.quotes_left_out} quotes past limits.quotes_per_article left out" \
        if r.quotes_left_out else ""
    where = f" on the cluster at {r.where}" if r.where else ""
    workers = f" by {r.workers} workers{where}" if r.analyzed and (r.workers > 1 or where) else ""
    print(f"analyze: {r.analyzed} articles analyzed{workers}, {r.up_to_date} already up to date"
          f"{limited} ({r.seconds:.1f} s).")
    k = r.link
    print(f"link: {k.articles} articles linked to {k.entities} entities of the registry "
          f"({k.created} new, {k.merged} merged) ({k.seconds:.1f} s).")


def _print_render(r: pipeline.RenderReport, config: Config) -> None:
    kind = "all pages" if r.full else "changed pages"
    limited = f"; {r.left_out} articles past limits.articles_per_page left out" \
        if r.left_out else ""
    print(f"render: {r.digests} digests ({kind}); {r.written} pages written, {r.unchanged} "
          f"unchanged, {r.removed} removed in {_shown(config.content_dir)}{limited} "
          f"({r.seconds:.1f} s).")


def _print_build(r: pipeline.BuildReport, config: Config) -> None:
    b = r.result
    kind = f"full: {'; '.join(b.reasons)}" if b.full else "changed pages"
    indexed = ", search indexed" if b.pages or b.removed else ""
    print(f"build: site in {_shown(config.site_dir)} ({kind}); {b.pages} pages built, "
          f"{b.removed} removed{indexed}; {b.total} files ({r.seconds:.1f} s).")


def _analysis_text(analysis: Analysis) -> str:
    lines = [f"{len(analysis.sentences)} sentences", "", "entities:"]
    lines += [f"  {e.type:<4} {e.name} ×{len(e.mentions)}" for e in analysis.entities]
    lines += ["", "quotes:"]
    lines += [f"  [{q.kind} {q.confidence:.2f}] {q.speaker or '?'}"
              f"{' (unnamed)' if q.unnamed else ''} ({q.verb}): {q.text}" for q in analysis.quotes]
    lines += ["", "summary:"] + [f"  {s}" for s in analysis.summary]
    return "\n".join(lines)


def _shown(path: Path) -> str:
    """A path relative to the working folder when it is inside it: shorter to read."""
    try:
        return str(Path(os.path.abspath(path)).relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
