"""Phase 4 commands: department, assign, activity."""

from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from studsa import console
from studsa.cli.common import (
    PANEL_PLACERA,
    JsonOpt,
    ProjectOpt,
    handle_errors,
    new_app,
    open_workspace,
)

department_app = new_app(
    "Departments (avdelningar) that lead or contribute to challenges, with their reporting "
    "cadence."
)
activity_app = new_app("Yearly activities of the handlingsplan: owner, year, cost, indicator.")

CadenceOpt = Annotated[
    str | None,
    typer.Option("--cadence", help="How often it reports: tertial (3 times a year) or annual.",
                 show_default=False),
]


# departments -------------------------------------------------------------------------


@department_app.command("add")
@handle_errors
def department_add(
    name: Annotated[str, typer.Argument(help="The department's name, e.g. Gatuavdelningen.")],
    dept_id: Annotated[str | None, typer.Option("--id", help="Id (default: from the name).")
                       ] = None,
    cadence: Annotated[str, typer.Option(
        "--cadence", help="How often it reports: tertial (3 times a year) or annual.")
    ] = "annual",
    contact: Annotated[str | None, typer.Option(help="Contact person (name, e-mail).")] = None,
    project: ProjectOpt = None,
) -> None:
    """Add a department with its reporting cadence.

    Example: [bold]studsa department add Gatuavdelningen --cadence tertial --contact "Anna
    Andersson"[/]
    """
    from studsa.workflow.place import add_department

    dept = add_department(open_workspace(project, write=True), name, dept_id, cadence, contact)
    console.done(f"added department {dept.id} ({dept.name}, reports {dept.cadence})")


@department_app.command("list")
@handle_errors
def department_list(project: ProjectOpt = None, as_json: JsonOpt = False) -> None:
    """List the departments, their cadence and what they lead and do."""
    from studsa.workflow.place import list_departments

    rows = list_departments(open_workspace(project))
    if as_json:
        console.print_json([row.as_dict() for row in rows])
        return
    if not rows:
        console.info("no departments yet; add one with `studsa department add NAME`")
        return
    table = Table()
    for column in ("id", "name", "cadence", "contact", "leads", "contributes", "activities"):
        table.add_column(column, justify="right" if column == "activities" else "left")
    for row in rows:
        table.add_row(row.id, row.name, row.cadence, row.contact or "", ", ".join(row.leads),
                      ", ".join(row.contributes), str(row.activities))
    console.out.print(table)


@department_app.command("edit")
@handle_errors
def department_edit(
    department: Annotated[str, typer.Argument(help="Department id (or name).")],
    name: Annotated[str | None, typer.Option(help="New name.")] = None,
    cadence: CadenceOpt = None,
    contact: Annotated[str | None, typer.Option(help="Contact person ('' clears it).")] = None,
    project: ProjectOpt = None,
) -> None:
    """Change a department's name, reporting cadence or contact.

    Example: [bold]studsa department edit parkavdelningen --cadence annual[/]
    """
    from studsa.workflow.place import edit_department

    dept = edit_department(open_workspace(project, write=True), department, name, cadence, contact)
    console.done(f"updated department {dept.id} ({dept.name}, reports {dept.cadence})")


@department_app.command("remove")
@handle_errors
def department_remove(
    department: Annotated[str, typer.Argument(help="Department id (or name).")],
    project: ProjectOpt = None,
) -> None:
    """Remove a department that no placement, activity or follow-up refers to."""
    from studsa.workflow.place import remove_department

    dept = remove_department(open_workspace(project, write=True), department)
    console.done(f"removed department {dept.id}")


# assign ------------------------------------------------------------------------------


@handle_errors
def assign(
    challenge: Annotated[str, typer.Argument(help="Id of a prioritized challenge.")],
    department: Annotated[str | None, typer.Option(
        "--department", "-d", help="Department id (or name).", show_default=False)] = None,
    role: Annotated[str, typer.Option(help="lead (exactly one per challenge) or contributes.")
                    ] = "lead",
    horizon: Annotated[str | None, typer.Option(
        help="The goal's horizon: a year (2030), mandate (the mandate period), 1y or 10y.",
        show_default=False)] = None,
    goal: Annotated[str | None, typer.Option(help="The long-term goal (målbild).",
                                             show_default=False)] = None,
    replace: Annotated[bool, typer.Option(
        "--replace", help="Make this department the lead instead of the current one.")] = False,
    remove: Annotated[bool, typer.Option(
        "--remove", help="Take the department off the challenge.")] = False,
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
    "--kolada", help="Kolada KPI id of the indicator, e.g. N07403 (shown in reports).",
    show_default=False)]
BaselineOpt = Annotated[float | None, typer.Option(help="Indicator baseline value.",
                                                   show_default=False)]
TargetOpt = Annotated[float | None, typer.Option(help="Indicator target value.",
                                                 show_default=False)]
TargetYearOpt = Annotated[int | None, typer.Option(help="Year the target should be met.",
                                                   show_default=False)]
UnitOpt = Annotated[str | None, typer.Option(help="Unit of the indicator (e.g. %).",
                                             show_default=False)]
IndicatorOpt = Annotated[str | None, typer.Option(
    "--indicator", help="How progress is measured (free text).", show_default=False)]
CostOpt = Annotated[str | None, typer.Option(
    "--cost", help="Planned cost per year in whole kronor (SEK), e.g. 2500000 or "
    "'2 500 000'.", show_default=False)]


def _indicator(text: str | None, kolada: str | None, baseline: float | None,
               target: float | None, target_year: int | None, unit: str | None) -> Any:
    from studsa.workflow.activities import IndicatorInput

    return IndicatorInput(text, kolada, baseline, target, target_year, unit)


@activity_app.command("add")
@handle_errors
def activity_add(
    challenge: Annotated[str, typer.Argument(help="Id of a prioritized challenge.")],
    title: Annotated[str, typer.Argument(help="What will be done.")],
    department: Annotated[str, typer.Option(
        "--department", "-d", help="Department that does it (id or name).")],
    year: Annotated[int, typer.Option(help="Year it is done (or starts).")],
    end_year: Annotated[int | None, typer.Option(help="Last year, for a multi-year activity.",
                                                 show_default=False)] = None,
    activity_id: Annotated[str | None, typer.Option(
        "--id", help="Id (default: from the title).", show_default=False)] = None,
    cost: CostOpt = None,
    investment: Annotated[bool, typer.Option(
        "--investment", help="The cost is investment money (default: operating cost).")
    ] = False,
    indicator: IndicatorOpt = None,
    kolada: KoladaOpt = None,
    baseline: BaselineOpt = None,
    target: TargetOpt = None,
    target_year: TargetYearOpt = None,
    unit: UnitOpt = None,
    description: Annotated[str | None, typer.Option(help="Longer description.",
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
    console.done(f"added activity {activity.id} ({activity.department}, {activity.year})")


@activity_app.command("list")
@handle_errors
def activity_list(
    department: Annotated[str | None, typer.Option(
        "--department", "-d", help="Only this department's.", show_default=False)] = None,
    year: Annotated[int | None, typer.Option(help="Only those running this year.",
                                             show_default=False)] = None,
    challenge: Annotated[str | None, typer.Option(help="Only this challenge's.",
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
        console.info("no activities match")
        return
    rows = []
    for v in views:
        years = str(v.year) if len(v.years) == 1 else f"{v.years[0]}-{v.years[-1]}"
        cost = "" if v.cost is None else f"{v.cost:,}".replace(",", " ")
        ind = v.indicator
        ind_text = "" if ind is None else " ".join(x for x in (ind.kolada, ind.text) if x)
        rows.append([v.id, v.title, v.challenge, v.department, years, cost,
                     "investment" if v.investment else "operating", ind_text])
    columns = ("id", "title", "challenge", "department", "year", "cost (kr)", "kind",
               "indicator")
    wrapping = {"title", "indicator"}
    kept = sum(max(len(name), *(len(r[i]) for r in rows)) if name not in wrapping else 12
               for i, name in enumerate(columns))
    if kept + 3 * len(columns) + 1 > console.out.width:
        _activity_blocks(rows)  # too narrow for the table: one short block per activity
        return
    table = Table()
    for column in columns:
        # Ids are what the next command needs: never cut; the texts wrap on words.
        table.add_column(column, justify="right" if column == "cost (kr)" else "left",
                         no_wrap=column not in wrapping,
                         min_width=12 if column in wrapping else None)
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    console.out.print(table)


def _activity_blocks(rows: list[list[str]]) -> None:
    """Activities as blocks (id and facts, then the title and indicator), for narrow terminals."""
    for ident, title, challenge, department, years, cost, kind, indicator in rows:
        facts = " · ".join(x for x in (challenge, department, years,
                                       f"{cost} kr" if cost else "", kind) if x)
        console.out.print(Text.assemble((ident, "bold"), f"  ({facts})"))
        console.out.print(Text(f"  {title}"))
        if indicator:
            console.out.print(Text(f"  indicator: {indicator}"))


@activity_app.command("edit")
@handle_errors
def activity_edit(
    activity: Annotated[str, typer.Argument(help="Activity id.")],
    title: Annotated[str | None, typer.Option(help="New title.", show_default=False)] = None,
    challenge: Annotated[str | None, typer.Option(help="Move to this challenge.",
                                                  show_default=False)] = None,
    department: Annotated[str | None, typer.Option(
        "--department", "-d", help="Move to this department.", show_default=False)] = None,
    year: Annotated[int | None, typer.Option(help="Year.", show_default=False)] = None,
    end_year: Annotated[int | None, typer.Option(help="Last year (0: one year only).",
                                                 show_default=False)] = None,
    cost: CostOpt = None,
    investment: Annotated[bool | None, typer.Option(
        "--investment/--operating", help="Investment money or operating cost.",
        show_default=False)] = None,
    status: Annotated[str | None, typer.Option(
        help="Planning status: not_started, ongoing, done, delayed, stopped.",
        show_default=False)] = None,
    indicator: IndicatorOpt = None,
    kolada: KoladaOpt = None,
    baseline: BaselineOpt = None,
    target: TargetOpt = None,
    target_year: TargetYearOpt = None,
    unit: UnitOpt = None,
    description: Annotated[str | None, typer.Option(help="Longer description.",
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
    console.done(f"updated activity {edited.id}")


@activity_app.command("remove")
@handle_errors
def activity_remove(
    activity: Annotated[str, typer.Argument(help="Activity id.")],
    project: ProjectOpt = None,
) -> None:
    """Remove an activity that has no follow-up reports."""
    from studsa.workflow.activities import remove_activity

    removed = remove_activity(open_workspace(project, write=True), activity)
    console.done(f"removed activity {removed.id}")


def register(app: typer.Typer) -> None:
    """Add the phase 4 commands."""
    app.add_typer(department_app, name="department", rich_help_panel=PANEL_PLACERA)
    app.command(rich_help_panel=PANEL_PLACERA)(assign)
    app.add_typer(activity_app, name="activity", rich_help_panel=PANEL_PLACERA)
