"""Phase 4, placera: departments, the lead and contributing departments of challenges, and
the phase's contribution to ``studsa status``.

Use cases take a ``Workspace``, change the models, save, and return what they did; they
never print. Activities live in ``workflow/activities.py``; the typed view of the whole
plan for reports (``plan_overview``) in ``workflow/overview.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from studsa.errors import ConflictError, UsageError
from studsa.i18n import count, message
from studsa.ids import new_id
from studsa.models.handlingsplan import Handlingsplan, Placement
from studsa.models.project import Department
from studsa.periods import check_horizon, horizon_span
from studsa.report.format import percent
from studsa.workflow.context import Workspace
from studsa.workflow.notes import StatusNote
from studsa.workflow.overview import PlanOverview, plan_overview
from studsa.workflow.plan import (
    check_cadence,
    find_department,
    plan_data,
    reporting_load,
    require_challenge,
    without_lead,
)

__all__ = ["PlanOverview", "next_step", "plan_overview", "status_notes"]

ROLES = ("lead", "contributes")


# departments -------------------------------------------------------------------------


def add_department(ws: Workspace, name: str, dept_id: str | None = None, cadence: str = "annual",
                   contact: str | None = None) -> Department:
    """Add a department to studsa.yaml."""
    if not name.strip():
        raise UsageError("the department needs a name")
    project = ws.project.model
    taken = {d.id for d in project.departments}
    for dept in project.departments:
        if dept.name.casefold() == name.strip().casefold():
            raise UsageError(f"a department named {name!r} already exists (id {dept.id!r})")
    dept = Department(id=new_id(name, dept_id, taken, "department id"), name=name.strip(),
                      cadence=check_cadence(cadence), contact=contact or None)
    project.departments.append(dept)
    ws.save(ws.project)
    return dept


def edit_department(ws: Workspace, ref: str, name: str | None = None, cadence: str | None = None,
                    contact: str | None = None) -> Department:
    """Change a department's name, cadence or contact."""
    dept = find_department(ws.project.model.departments, ref)
    if name is None and cadence is None and contact is None:
        raise UsageError("nothing to change: give --name, --cadence or --contact")
    if name is not None:
        if not name.strip():
            raise UsageError("the department needs a name")
        dept.name = name.strip()
    if cadence is not None:
        dept.cadence = check_cadence(cadence)  # type: ignore[assignment]
    if contact is not None:
        dept.contact = contact or None
    ws.save(ws.project)
    return dept


def department_uses(ws: Workspace, dept_id: str) -> list[str]:
    """Where a department is referenced: placements, activities, follow-up periods."""
    uses = []
    plan = ws.plan.model
    for placement in plan.placements:
        if placement.lead == dept_id:
            uses.append(f"lead of {placement.challenge}")
        if dept_id in placement.contributes:
            uses.append(f"contributes to {placement.challenge}")
    uses += [f"activity {a.id}" for a in plan.activities if a.department == dept_id]
    uses += [f"follow-up {doc.model.period}" for doc in ws.uppfoljningar
             if dept_id in doc.model.departments]
    return uses


def remove_department(ws: Workspace, ref: str) -> Department:
    """Remove a department that nothing refers to."""
    project = ws.project.model
    dept = find_department(project.departments, ref)
    uses = department_uses(ws, dept.id)
    if uses:
        shown = ", ".join(uses[:5]) + (f" and {len(uses) - 5} more" if len(uses) > 5 else "")
        raise ConflictError(f"department {dept.id!r} is still used ({shown}); move those "
                            "first, nothing was removed")
    project.departments = [d for d in project.departments if d.id != dept.id]
    ws.save(ws.project)
    return dept


@dataclass(frozen=True)
class DepartmentRow:
    """A department with what it leads and does (``department list``)."""

    id: str
    name: str
    cadence: str
    contact: str | None
    leads: tuple[str, ...]
    contributes: tuple[str, ...]
    activities: int

    def as_dict(self) -> dict[str, Any]:
        """JSON shape: ``id``, ``title`` (the name) and the rest."""
        return {"id": self.id, "title": self.name, "name": self.name, "cadence": self.cadence,
                "contact": self.contact, "leads": list(self.leads),
                "contributes": list(self.contributes), "activities": self.activities}


def list_departments(ws: Workspace) -> list[DepartmentRow]:
    """Every department in studsa.yaml order, with its placements and activity count."""
    plan = ws.plan.model
    return [
        DepartmentRow(
            id=d.id, name=d.name, cadence=d.cadence, contact=d.contact,
            leads=tuple(p.challenge for p in plan.placements if p.lead == d.id),
            contributes=tuple(p.challenge for p in plan.placements if d.id in p.contributes),
            activities=sum(1 for a in plan.activities if a.department == d.id),
        )
        for d in ws.project.model.departments
    ]


# assign ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssignResult:
    """What ``assign`` changed."""

    placement: Placement
    changes: tuple[str, ...]


def assign(ws: Workspace, challenge: str, department: str | None = None, role: str = "lead",
           horizon: str | None = None, goal: str | None = None, *, replace: bool = False,
           remove: bool = False) -> AssignResult:
    """Place a prioritized challenge: its lead or a contributing department, goal, horizon."""
    data = plan_data(ws)
    require_challenge(data, challenge)
    if role not in ROLES:
        raise UsageError(f"role {role!r} is not valid: use lead or contributes")
    if department is None and horizon is None and goal is None:
        raise UsageError("nothing to assign: give --department, --goal or --horizon")
    if remove and department is None:
        raise UsageError("--remove needs --department")
    plan = data.plan
    placement = data.placement(challenge)
    if placement is None:
        placement = Placement(challenge=challenge)
        plan.placements.append(placement)
    changes: list[str] = []
    if department is not None:
        dept = find_department(data.departments, department)
        if remove:
            changes.append(_unassign(plan, placement, dept.id))
        else:
            changes += _assign_department(placement, dept.id, role, replace)
    if horizon is not None:
        code = check_horizon(horizon)
        if data.start_year is not None:
            span = horizon_span(code, data.start_year)
            if span.last_year < data.start_year:
                raise UsageError(f"horizon {code} ends before the plan starts ({data.start_year})")
        placement.horizon = code
        changes.append(f"horizon {code}")
    if goal is not None:
        placement.goal = goal.strip() or None
        changes.append("goal (målbild) set" if placement.goal else "goal cleared")
    ws.save(ws.plan)
    return AssignResult(placement, tuple(changes))


def _assign_department(placement: Placement, dept_id: str, role: str, replace: bool
                       ) -> list[str]:
    if role == "contributes":
        if placement.lead == dept_id:
            raise UsageError(f"{dept_id!r} already leads {placement.challenge!r}; a lead "
                             "department does not also contribute")
        if dept_id in placement.contributes:
            return [f"{dept_id} already contributes"]
        placement.contributes.append(dept_id)
        return [f"{dept_id} contributes"]
    if placement.lead and placement.lead != dept_id and not replace:
        raise ConflictError(
            f"challenge {placement.challenge!r} already has the lead department "
            f"{placement.lead!r}; each prioritized challenge has exactly one lead. Use "
            "--role contributes, or --replace to make the new department the lead"
        )
    changes = []
    if placement.lead and placement.lead != dept_id:
        changes.append(f"lead {placement.lead} replaced")
    if dept_id in placement.contributes:
        placement.contributes.remove(dept_id)
        changes.append(f"{dept_id} no longer listed as contributing")
    placement.lead = dept_id
    changes.append(f"{dept_id} leads")
    return changes


def _unassign(plan: Handlingsplan, placement: Placement, dept_id: str) -> str:
    used = [a.id for a in plan.activities
            if a.challenge == placement.challenge and a.department == dept_id]
    if used:
        raise ConflictError(f"{dept_id!r} has activities on {placement.challenge!r} "
                            f"({', '.join(used)}); move or remove them first")
    if placement.lead == dept_id:
        placement.lead = None
        return f"{dept_id} no longer leads"
    if dept_id in placement.contributes:
        placement.contributes.remove(dept_id)
        return f"{dept_id} no longer contributes"
    raise UsageError(f"{dept_id!r} is not assigned to {placement.challenge!r}")


# status ------------------------------------------------------------------------------


CADENCES = {"tertial": "wf_cadence_tertial", "annual": "wf_cadence_annual"}
"""The words for a department's reporting ``cadence:``."""


def next_step(ws: Workspace) -> str | None:
    """The next thing to do in phase 4, or None when every prioritized challenge is placed."""
    data = plan_data(ws)
    if not data.prioritized:
        return None
    if not data.departments:
        return message("wf_next_departments")
    missing = without_lead(data)
    if missing:
        more = count("wf_next_lead_more", len(missing) - 1) if len(missing) > 1 else ""
        return message("wf_next_lead", challenge=missing[0], more=more)
    for challenge in data.prioritized:
        if not any(a.challenge == challenge for a in data.plan.activities):
            return message("wf_next_activities", challenge=challenge)
    return None


def status_notes(ws: Workspace) -> list[StatusNote]:
    """Phase 4 notes: challenges without a lead, and each department's reporting load."""
    data = plan_data(ws)
    notes: list[StatusNote] = []
    missing = without_lead(data)
    if missing:
        notes.append(StatusNote("todo", message("wf_note_no_lead", ids=", ".join(missing)),
                                "placera"))
    placed = [p for p in data.plan.placements if p.challenge in data.prioritized]
    for what, missing_ids in (
        ("wf_note_set_goal", [p.challenge for p in placed if not p.goal]),
        ("wf_note_set_horizon", [p.challenge for p in placed if not p.horizon]),
    ):
        if missing_ids:
            notes.append(StatusNote("todo", message(what, ids=", ".join(missing_ids)),
                                    "placera"))
    load = reporting_load(data.departments, data.plan.activities)
    decided = ws.plan.model.status == "decided"
    if not decided:
        for dept in data.departments:
            mine = [e for e in load if e.department.id == dept.id]
            if mine:
                years = ", ".join(f"{e.year}: {e.reports}" for e in mine)
                notes.append(StatusNote(
                    "info", message("wf_note_load", department=dept.name,
                                    cadence=message(CADENCES[dept.cadence]), years=years),
                    "placera"))
    for entry in load:
        if entry.flagged:
            notes.append(StatusNote(
                "warning",
                message("wf_note_load_heavy", department=entry.department.name,
                        load=percent(entry.load_share), year=entry.year,
                        plan=percent(entry.plan_share)), "placera"))
    return notes
