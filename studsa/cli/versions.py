"""Decisions and versions: decide, revise, history, diff, verify, migrate."""

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from studsa import console
from studsa.cli.common import (
    PANEL_VERSIONS,
    JsonOpt,
    ProjectOpt,
    handle_errors,
    open_workspace,
    state,
)
from studsa.errors import ExitCode
from studsa.i18n import message

PhaseArg = Annotated[str, typer.Argument(
    help="Phase or deliverable: avgransa, identifiera, prioritera, placera (or "
         "uppdragsbeskrivning, utmaningskarta, strategi, handlingsplan).",
    show_default=False)]


@handle_errors
def decide(
    phase: PhaseArg,
    by: Annotated[str, typer.Option("--by", help="The deciding body, e.g. \"Tekniska nämnden\".",
                                    show_default=False)],
    date: Annotated[str, typer.Option("--date", help="Date of the decision (YYYY-MM-DD).",
                                      show_default=False)],
    paragraph: Annotated[str | None, typer.Option(
        "--paragraph", help="Paragraph in the minutes, e.g. \"§ 12\".")] = None,
    dnr: Annotated[str | None, typer.Option("--dnr", help="Registry number of the case.")] = None,
    tag: Annotated[bool, typer.Option(
        "--tag", help="Also create an annotated git tag on the frozen content (no commit).",
    )] = False,
    force: Annotated[bool, typer.Option(
        "--force", help="Record the decision even though the deliverable's own checks fail "
                        "(no selection, missing assessments, …); the problems are logged.",
    )] = False,
    project: ProjectOpt = None,
) -> None:
    """Record a decision: freeze the deliverable as version N and log who decided it.

    Writes <phase>/versions/<deliverable>.vN.yaml (deciding the strategi also freezes the
    assessments), logs body, date, paragraph and sha256 in studsa.yaml, sets status decided.

    Example: [bold]studsa decide prioritera --by "Tekniska nämnden" --date 2021-03-24
    --paragraph "§ 45"[/]
    """
    from studsa.workflow.versions import decide as run
    from studsa.workflow.versions import parse_date

    ws = open_workspace(project, write=True)
    result = run(ws, phase, by=by, date=parse_date(date), paragraph=paragraph, dnr=dnr, tag=tag,
                 force=force)
    d = result.decision
    if result.hand_edited_from is not None:
        console.info(f"the working file was changed by hand after version "
                     f"{result.hand_edited_from} was decided; it is decided as version "
                     f"{d.version}")
    for warning in result.warnings:
        console.warn(warning)
    where = f" {d.paragraph}" if d.paragraph else ""
    console.done(f"{d.deliverable} version {d.version} decided by {d.by} on {d.date}{where}; "
                 f"frozen as {d.file}")
    for frozen in d.includes:
        console.info(f"  also frozen: {frozen.file}")
    if d.tag:
        console.info(f"  git tag: {d.tag}")
    if d.problems:
        console.warn(message("method_decide_forced", count=len(d.problems),
                             problems="; ".join(d.problems)))


@handle_errors
def revise(phase: PhaseArg, project: ProjectOpt = None) -> None:
    """Start the next version of a decided deliverable as a draft (content unchanged).

    Use it after editing a decided file by hand; any change through studsa does it for you.

    Example: [bold]studsa revise strategi[/]
    """
    from studsa.workflow.versions import revise as run

    result = run(open_workspace(project, write=True), phase)
    console.done(f"{result.file}: version {result.new_version} (draft) started from decided "
                 f"version {result.old_version}")


@handle_errors
def history(
    deliverable: Annotated[str | None, typer.Argument(
        help="Only this deliverable or phase (default: all).", show_default=False)] = None,
    project: ProjectOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """List every version of the deliverables: status, who decided, when, paragraph."""
    from studsa.workflow.versions import history as run

    entries = run(open_workspace(project), deliverable)
    if as_json:
        console.print_json([e.as_dict() for e in entries])
        return
    if not entries:
        console.info("no versions yet")
        return
    table = Table(title="history", title_justify="left")
    for column in ("deliverable", "version", "status", "date", "§", "decided by"):
        table.add_column(column, justify="right" if column == "version" else "left",
                         no_wrap=column != "decided by")
    for e in entries:
        status = e.status if e.intact is not False else f"{e.status} (ALTERED)"
        table.add_row(e.deliverable, f"v{e.version}", status,
                      e.date.isoformat() if e.date else "", e.paragraph or "", e.by or "")
    console.out.print(table)


@handle_errors
def diff(
    deliverable: PhaseArg,
    old: Annotated[str | None, typer.Argument(
        help="From version (v1, v2, …; default: the last decided).", show_default=False)] = None,
    new: Annotated[str | None, typer.Argument(
        help="To version (default: the working file, also `working`).",
        show_default=False)] = None,
    project: ProjectOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Show what changed between two versions, in the terms of the method.

    Example: [bold]studsa diff utmaningskarta v1 v2[/] or [bold]studsa diff strategi[/]
    (last decided version against the working file).
    """
    from studsa.workflow.versions import diff_versions

    result = diff_versions(open_workspace(project), deliverable, old, new)
    if as_json:
        console.print_json(result.as_dict())
        return
    console.out.print(f"[bold]{result.deliverable}[/] {escape(result.old)} → {escape(result.new)}")
    marks = {"added": "+", "removed": "-"}
    for change in result.changes:
        console.out.print(f"  {marks.get(change.action, '~')} {escape(change.message)}")
    if not result.changes:
        console.out.print("  no changes in content")


@handle_errors
def verify(project: ProjectOpt = None, as_json: JsonOpt = False) -> None:
    """Prove that every frozen decided version is untouched (recomputes every sha256)."""
    from studsa.workflow.versions import verify as run

    report = run(open_workspace(project))
    if as_json:
        console.print_json({"ok": not report.broken,
                            "files": [f.as_dict() for f in report.files],
                            "unrecorded": report.unrecorded})
    else:
        for item in report.broken:
            what = {"missing": "is missing", "changed": "has changed since it was decided",
                    "tag-mismatch": "differs from its git tag"}[item.state]
            console.error(f"{item.file}: {item.deliverable} version {item.version} {what}")
        for rel in report.unrecorded:
            console.warn(f"{rel}: looks like a frozen version but is not in the decisions log")
        if not report.broken:
            count = len({(f.deliverable, f.version) for f in report.files})
            console.done(f"{len(report.files)} frozen file(s) of {count} decided version(s) "
                         "match the decisions log")
    if report.broken:
        raise typer.Exit(int(ExitCode.PROBLEMS))


@handle_errors
def migrate(
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Only show what would change.")] = False,
    project: ProjectOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Upgrade files written for an older schema; each file is backed up first.

    Frozen decided versions are never rewritten (their hash proves the decision).
    """
    from studsa.storage.migrate import migrate_project
    from studsa.storage.project import ProjectStore

    report = migrate_project(ProjectStore.discover(_project(project)), dry_run=dry_run)
    if as_json:
        console.print_json({"dry_run": report.dry_run, "checked": report.checked,
                            "migrated": [m.as_dict() for m in report.migrated]})
        return
    verb = "would upgrade" if dry_run else "upgraded"
    for item in report.migrated:
        console.info(f"{item.file}: {verb} {item.old_schema} → {item.new_schema}"
                     + ("" if dry_run else f" (backup: {item.backup})"))
        for line in item.changes:
            console.info(f"  - {line}")
    if not report.migrated:
        console.done(f"all {report.checked} file(s) already use the current schemas")
    elif dry_run:
        console.info(f"{len(report.migrated)} file(s) to upgrade; run without --dry-run to do it")
    else:
        console.done(f"{len(report.migrated)} file(s) upgraded")


def _project(project: Path | None) -> Path | None:
    return project or state.project


def register(app: typer.Typer) -> None:
    """Add the decision and version commands."""
    for command in (decide, revise, history, diff, verify, migrate):
        app.command(rich_help_panel=PANEL_VERSIONS)(command)
