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
    terminal,
)
from studsa.cli.project import STATES
from studsa.errors import ExitCode
from studsa.i18n import count, message

PhaseArg = Annotated[str, typer.Argument(
    help=message("help_versions_1"),
    show_default=False)]


@handle_errors
def decide(
    phase: PhaseArg,
    by: Annotated[str, typer.Option("--by", help=message("help_versions_2"),
                                    show_default=False)],
    date: Annotated[str, typer.Option("--date", help=message("help_versions_3"),
                                      show_default=False)],
    paragraph: Annotated[str | None, typer.Option(
        "--paragraph", help=message("help_versions_4"))] = None,
    dnr: Annotated[str | None, typer.Option("--dnr", help=message("help_versions_5"))] = None,
    tag: Annotated[bool, typer.Option(
        "--tag", help=message("help_versions_6"),
    )] = False,
    force: Annotated[bool, typer.Option(
        "--force", help=message("help_decide_force"),
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
        console.info(message("cli_decide_hand_edited", old=result.hand_edited_from,
                             version=d.version))
    for warning in result.warnings:
        console.warn(warning)
    where = f" {d.paragraph}" if d.paragraph else ""
    console.done(message("cli_decided", deliverable=d.deliverable, version=d.version, by=d.by,
                         date=terminal().date(d.date), where=where, file=d.file))
    for frozen in d.includes:
        console.info("  " + message("cli_also_frozen", file=frozen.file))
    if d.tag:
        console.info("  " + message("cli_git_tag", tag=d.tag))
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
    console.done(message("cli_revised", file=result.file, new=result.new_version,
                         old=result.old_version))


@handle_errors
def history(
    deliverable: Annotated[str | None, typer.Argument(
        help=message("help_versions_7"), show_default=False)] = None,
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
        console.info(message("cli_no_versions"))
        return
    table = Table(title=message("cli_history_title"), title_justify="left")
    for column in ("cli_status_deliverable", "cli_status_version", "cli_col_status",
                   "cli_col_date", "cli_col_paragraph", "cli_col_decided_by"):
        table.add_column(message(column), justify="right" if column == "cli_status_version"
                         else "left", no_wrap=column != "cli_col_decided_by")
    for e in entries:
        state_word = message(STATES[e.status]) if e.status in STATES else e.status
        status = state_word if e.intact is not False else message("cli_altered",
                                                                    status=state_word)
        table.add_row(e.deliverable, f"v{e.version}", status,
                      e.date.isoformat() if e.date else "", e.paragraph or "", e.by or "")
    console.out.print(table)


@handle_errors
def diff(
    deliverable: PhaseArg,
    old: Annotated[str | None, typer.Argument(
        help=message("help_versions_8"), show_default=False)] = None,
    new: Annotated[str | None, typer.Argument(
        help=message("help_versions_9"),
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
        console.out.print("  " + message("cli_no_changes"))


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
            what = {"missing": "cli_verify_missing", "changed": "cli_verify_changed",
                    "tag-mismatch": "cli_verify_tag_mismatch",
                    "tag-missing": "safety_verify_tag_missing"}[item.state]
            console.error(message(what, file=item.file, deliverable=item.deliverable,
                                  version=item.version))
        for rel in report.unrecorded:
            console.warn(message("cli_verify_unrecorded", file=rel))
        if not report.broken:
            decided = len({(f.deliverable, f.version) for f in report.files})
            console.done(message("cli_verify_ok",
                                 files=count("cli_frozen_files", len(report.files)),
                                 versions=count("cli_decided_versions", decided)))
    if report.broken:
        raise typer.Exit(int(ExitCode.PROBLEMS))


@handle_errors
def migrate(
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help=message("help_versions_10"))] = False,
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
    for item in report.migrated:
        console.info(message("cli_would_upgrade" if dry_run else "cli_upgraded_file",
                             file=item.file, old=item.old_schema, new=item.new_schema)
                     + ("" if dry_run else message("cli_backup", backup=item.backup)))
        for line in item.changes:
            console.info(f"  - {line}")
    if not report.migrated:
        console.done(count("cli_schemas_current", report.checked))
    elif dry_run:
        console.info(count("cli_to_upgrade", len(report.migrated)))
    else:
        console.done(count("cli_upgraded", len(report.migrated)))


def _project(project: Path | None) -> Path | None:
    return project or state.project


def register(app: typer.Typer) -> None:
    """Add the decision and version commands."""
    for command, key in ((decide, "help_decide"), (revise, "help_revise"),
                         (history, "help_history"), (diff, "help_diff"), (verify, "help_verify"),
                         (migrate, "help_migrate")):
        app.command(rich_help_panel=PANEL_VERSIONS, help=message(key))(command)
