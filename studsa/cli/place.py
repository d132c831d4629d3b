"""Phase 4 commands: department, assign, activity."""

from typing import Annotated, Any

import typer
from rich.table import Table

from studsa import console
from studsa.cli.common import (
    PANEL_PLACERA,
    JsonOpt,
    ProjectOpt,
    handle_errors,
    new_app,
    open_workspace,
    terminal,
)
from studsa.i18n import message

department_app = new_app(
    message("help_place_1")
)
activity_app = new_app(message("help_place_2"))

CadenceOpt = Annotated[
    str | None,
    typer.Option("--cadence", help=message("help_place_3"),
                 show_default=False),
]


# departments -------------------------------------------------------------------------
def cadence_name(cadence: str) -> str:
    """A reporting cadence in the terminal's words (``per tertial``, ``yearly``)."""
    from studsa.workflow.place import CADENCES

    return message(CADENCES[cadence])


@department_app.command("add", help=message("help_department_add"))
@handle_errors
def department_add(
    name: Annotated[str, typer.Argument(help=message("help_place_4"))],
    dept_id: Annotated[str | None, typer.Option("--id", help=message("help_place_5"))
                       ] = None,
    cadence: Annotated[str, typer.Option(
        "--cadence", help=message("help_place_3"))
    ] = "annual",
    contact: Annotated[str | None, typer.Option(help=message("help_place_6"))] = None,
    project: ProjectOpt = None,
) -> None:
    """Add a department with its reporting cadence.

    Example: [bold]studsa department add Gatuavdelningen --cadence tertial --contact "Anna
    Andersson"[/]
    """
    from studsa.workflow.place import add_department

    dept = add_department(open_workspace(project, write=True), name, dept_id, cadence, contact)
    console.done(message("cli_department_added", id=dept.id, name=dept.name,
                         cadence=cadence_name(dept.cadence)))


@department_app.command("list", help=message("help_department_list"))
@handle_errors
def department_list(project: ProjectOpt = None, as_json: JsonOpt = False) -> None:
    """List the departments, their cadence and what they lead and do."""
    from studsa.workflow.place import list_departments

    rows = list_departments(open_workspace(project))
    if as_json:
        console.print_json([row.as_dict() for row in rows])
        return
    if not rows:
        console.info(message("cli_no_departments"))
        return
    table = Table()
    for column in ("cli_col_id", "cli_col_name", "cli_col_cadence", "cli_col_contact",
                   "cli_col_leads", "cli_col_contributes", "cli_col_activities"):
        table.add_column(message(column),
                         justify="right" if column == "cli_col_activities" else "left")
    for row in rows:
        table.add_row(row.id, row.name, cadence_name(row.cadence), row.contact or "",
                      ", ".join(row.leads),
                      ", ".join(row.contributes), str(row.activities))
    console.out.print(table)


@department_app.command("edit", help=message("help_department_edit"))
@handle_errors
def department_edit(
    department: Annotated[str, typer.Argument(help=message("help_place_7"))],
    name: Annotated[str | None, typer.Option(help=message("help_place_8"))] = None,
    cadence: CadenceOpt = None,
    contact: Annotated[str | None, typer.Option(help=message("help_place_9"))] = None,
    project: ProjectOpt = None,
) -> None:
    """Change a department's name, reporting cadence or contact.

    Example: [bold]studsa department edit parkavdelningen --cadence annual[/]
    """
    from studsa.workflow.place import edit_department

    dept = edit_department(open_workspace(project, write=True), department, name, cadence, contact)
    console.done(message("cli_department_updated", id=dept.id, name=dept.name,
                         cadence=cadence_name(dept.cadence)))


@department_app.command("remove", help=message("help_department_remove"))
@handle_errors
def department_remove(
    department: Annotated[str, typer.Argument(help=message("help_place_7"))],
    project: ProjectOpt = None,
) -> None:
    """Remove a department that no placement, activity or follow-up refers to."""
    from studsa.workflow.place import remove_department

    dept = remove_department(open_workspace(project, write=True), department)
    console.done(message("cli_department_removed", id=dept.id))


# assign ------------------------------------------------------------------------------


@handle_errors
def assign(
    challenge: Annotated[str, typer.Argument(help=message("help_place_10"))],
    department: Annotated[str | None, typer.Option(
        "--department", "-d", help=message("help_place_7"), show_default=False)] = None,
    role: Annotated[str, typer.Option(help=message("help_place_11"))
                    ] = "lead",
    horizon: Annotated[str | None, typer.Option(
        help=message("help_place_12"),
        show_default=False)] = None,
    goal: Annotated[str | None, typer.Option(help=message("help_place_13"),
                                             show_default=False)] = None,
    replace: Annotated[bool, typer.Option(
        "--replace", help=message("help_place_14"))] = False,
    remove: Annotated[bool, typer.Option(
        "--remove", help=message("help_place_15"))] = False,
    project: ProjectOpt = None,
) -> None:
    """Place a prioritized challenge: its lead department, contributors, goal and horizon.

    Example: [bold]studsa assign renhallning --department gatu --goal "Rena och trygga
    gator" --horizon mandate[/], then [bold]studsa assign renhallning -d park --role
    contributes[/]
    """
    from studsa.workflow.place import assign as run

    result = run(open_workspace(project, write=True), challenge, department, role, horizon, goal,
                 replace=replace, remove=remove)
    console.done(f"{challenge}: " + "; ".join(result.changes))


# activities --------------------------------------------------------------------------

KoladaOpt = Annotated[str | None, typer.Option(
    "--kolada", help=message("help_place_16"),
    show_default=False)]
BaselineOpt = Annotated[float | None, typer.Option(help=message("help_place_17"),
                                                   show_default=False)]
TargetOpt = Annotated[float | None, typer.Option(help=message("help_place_18"),
                                                 show_default=False)]
TargetYearOpt = Annotated[int | None, typer.Option(help=message("help_place_19"),
                                                   show_default=False)]
UnitOpt = Annotated[str | None, typer.Option(help=message("help_place_20"),
                                             show_default=False)]
IndicatorOpt = Annotated[str | None, typer.Option(
    "--indicator", help=message("help_place_21"), show_default=False)]
CostOpt = Annotated[str | None, typer.Option(
    "--cost", help=message("help_place_22"), show_default=False)]


def _indicator(text: str | None, kolada: str | None, baseline: float | None,
               target: float | None, target_year: int | None, unit: str | None) -> Any:
    from studsa.workflow.activities import IndicatorInput

    return IndicatorInput(text, kolada, baseline, target, target_year, unit)


@activity_app.command("add", help=message("help_activity_add"))
@handle_errors
def activity_add(
    challenge: Annotated[str, typer.Argument(help=message("help_place_10"))],
    title: Annotated[str, typer.Argument(help=message("help_place_23"))],
    department: Annotated[str, typer.Option(
        "--department", "-d", help=message("help_place_24"))],
    year: Annotated[int, typer.Option(help=message("help_place_25"))],
    end_year: Annotated[int | None, typer.Option(help=message("help_place_26"),
                                                 show_default=False)] = None,
    activity_id: Annotated[str | None, typer.Option(
        "--id", help=message("help_opt_id"), show_default=False)] = None,
    cost: CostOpt = None,
    investment: Annotated[bool, typer.Option(
        "--investment", help=message("help_place_27"))
    ] = False,
    indicator: IndicatorOpt = None,
    kolada: KoladaOpt = None,
    baseline: BaselineOpt = None,
    target: TargetOpt = None,
    target_year: TargetYearOpt = None,
    unit: UnitOpt = None,
    description: Annotated[str | None, typer.Option(help=message("help_place_28"),
                                                    show_default=False)] = None,
    project: ProjectOpt = None,
) -> None:
    """Add a yearly activity to a prioritized challenge.

    Example: [bold]studsa activity add renhallning "Fler papperskorgar i centrum" -d gatu
    --year 2022 --cost 2500000 --investment --kolada N07403 --baseline 62 --target 70
    --target-year 2026[/]
    """
    from studsa.workflow.activities import add_activity
    from studsa.workflow.plan import parse_sek

    activity = add_activity(
        open_workspace(project, write=True), challenge, title, department, year, end_year=end_year,
        activity_id=activity_id, cost=parse_sek(cost, "--cost") if cost is not None else None,
        investment=investment,
        indicator=_indicator(indicator, kolada, baseline, target, target_year, unit),
        description=description,
    )
    console.done(message("cli_activity_added", id=activity.id,
                         department=activity.department, year=activity.year))


@activity_app.command("list", help=message("help_activity_list"))
@handle_errors
def activity_list(
    department: Annotated[str | None, typer.Option(
        "--department", "-d", help=message("help_place_29"), show_default=False)] = None,
    year: Annotated[int | None, typer.Option(help=message("help_place_30"),
                                             show_default=False)] = None,
    challenge: Annotated[str | None, typer.Option(help=message("help_place_31"),
                                                  show_default=False)] = None,
    project: ProjectOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """List the plan's activities ("what does my department do this year").

    Example: [bold]studsa activity list --department gatu --year 2022[/]
    """
    from studsa.workflow.activities import activity_dict, list_activities

    views = list_activities(open_workspace(project), department, year, challenge)
    if as_json:
        console.print_json([activity_dict(v) for v in views])
        return
    if not views:
        console.info(message("cli_no_activities_match"))
        return
    table = Table()
    for column in ("cli_col_id", "cli_col_title", "cli_col_challenge", "cli_col_department",
                   "cli_col_year", "cli_col_cost", "cli_col_kind", "cli_col_indicator"):
        table.add_column(message(column), justify="right" if column == "cli_col_cost" else "left")
    for v in views:
        years = str(v.year) if len(v.years) == 1 else f"{v.years[0]}-{v.years[-1]}"
        cost = "" if v.cost is None else terminal().money(v.cost)
        ind = v.indicator
        ind_text = "" if ind is None else " ".join(x for x in (ind.kolada, ind.text) if x)
        table.add_row(v.id, v.title, v.challenge, v.department, years, cost,
                      message("cli_investment" if v.investment else "cli_operating"), ind_text)
    console.out.print(table)


@activity_app.command("edit", help=message("help_activity_edit"))
@handle_errors
def activity_edit(
    activity: Annotated[str, typer.Argument(help=message("help_place_32"))],
    title: Annotated[
        str | None, typer.Option(help=message("help_new_title"), show_default=False)] = None,
    challenge: Annotated[str | None, typer.Option(help=message("help_place_33"),
                                                  show_default=False)] = None,
    department: Annotated[str | None, typer.Option(
        "--department", "-d", help=message("help_place_34"), show_default=False)] = None,
    year: Annotated[
        int | None, typer.Option(help=message("help_place_35"), show_default=False)] = None,
    end_year: Annotated[int | None, typer.Option(help=message("help_place_36"),
                                                 show_default=False)] = None,
    cost: CostOpt = None,
    investment: Annotated[bool | None, typer.Option(
        "--investment/--operating", help=message("help_place_37"),
        show_default=False)] = None,
    status: Annotated[str | None, typer.Option(
        help=message("help_place_38"),
        show_default=False)] = None,
    indicator: IndicatorOpt = None,
    kolada: KoladaOpt = None,
    baseline: BaselineOpt = None,
    target: TargetOpt = None,
    target_year: TargetYearOpt = None,
    unit: UnitOpt = None,
    description: Annotated[str | None, typer.Option(help=message("help_place_28"),
                                                    show_default=False)] = None,
    project: ProjectOpt = None,
) -> None:
    """Change an activity; it is checked like a new one.

    Example: [bold]studsa activity edit fler-papperskorgar --cost 1800000 --year 2023[/]
    """
    from studsa.workflow.activities import ActivityChanges, edit_activity
    from studsa.workflow.plan import parse_sek

    changes = ActivityChanges(
        title=title, challenge=challenge, department=department, year=year, end_year=end_year,
        cost=parse_sek(cost, "--cost") if cost is not None else None, investment=investment,
        status=status, description=description,
        indicator=_indicator(indicator, kolada, baseline, target, target_year, unit),
    )
    edited = edit_activity(open_workspace(project, write=True), activity, changes)
    console.done(message("cli_activity_updated", id=edited.id))


@activity_app.command("remove", help=message("help_activity_remove"))
@handle_errors
def activity_remove(
    activity: Annotated[str, typer.Argument(help=message("help_place_32"))],
    project: ProjectOpt = None,
) -> None:
    """Remove an activity that has no follow-up reports."""
    from studsa.workflow.activities import remove_activity

    removed = remove_activity(open_workspace(project, write=True), activity)
    console.done(message("cli_activity_removed", id=removed.id))


def register(app: typer.Typer) -> None:
    """Add the phase 4 commands."""
    app.add_typer(department_app, name="department", rich_help_panel=PANEL_PLACERA)
    app.command(rich_help_panel=PANEL_PLACERA, help=message("help_assign"))(assign)
    app.add_typer(activity_app, name="activity", rich_help_panel=PANEL_PLACERA)
