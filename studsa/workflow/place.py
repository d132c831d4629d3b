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
from studsa.i18n import and_list, count, message
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
        raise UsageError(message("err_dept_name_empty"))
    project = ws.project.model
    taken = {d.id for d in project.departments}
    for dept in project.departments:
        if dept.name.casefold() == name.strip().casefold():
            raise UsageError(message("err_dept_name_taken", name=name, id=dept.id))
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
        raise UsageError(message("err_dept_nothing_to_change"))
    if name is not None:
        if not name.strip():
            raise UsageError(message("err_dept_name_empty"))
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
            uses.append(message("err_dept_use_lead", challenge=placement.challenge))
        if dept_id in placement.contributes:
            uses.append(message("err_dept_use_contributes", challenge=placement.challenge))
    uses += [message("err_dept_use_activity", id=a.id)
             for a in plan.activities if a.department == dept_id]
    uses += [message("err_dept_use_followup", period=doc.model.period)
             for doc in ws.uppfoljningar if dept_id in doc.model.departments]
    return uses


def remove_department(ws: Workspace, ref: str) -> Department:
    """Remove a department that nothing refers to."""
    project = ws.project.model
    dept = find_department(project.departments, ref)
    uses = department_uses(ws, dept.id)
    if uses:
        more = [count("err_more", len(uses) - 5)] if len(uses) > 5 else []
        raise ConflictError(message("err_dept_still_used", id=dept.id,
                                    uses=and_list([*uses[:5], *more])))
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
        raise UsageError(message("err_assign_role", role=role))
    if department is None and horizon is None and goal is None:
        raise UsageError(message("err_assign_nothing"))
    if remove and department is None:
        raise UsageError(message("err_assign_remove_needs_department"))
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
                raise UsageError(message("err_assign_horizon_early", code=code,
                                         year=data.start_year))
        placement.horizon = code
        changes.append(message("err_change_horizon", code=code))
    if goal is not None:
        placement.goal = goal.strip() or None
        changes.append(message("err_change_goal_set" if placement.goal
                               else "err_change_goal_cleared"))
    ws.save(ws.plan)
    return AssignResult(placement, tuple(changes))


def _assign_department(placement: Placement, dept_id: str, role: str, replace: bool
                       ) -> list[str]:
    if role == "contributes":
        if placement.lead == dept_id:
            raise ConflictError(message("err_assign_already_leads", department=dept_id,
                                        challenge=placement.challenge))
        if dept_id in placement.contributes:
            return [message("err_change_already_contributes", department=dept_id)]
        placement.contributes.append(dept_id)
        return [message("err_change_contributes", department=dept_id)]
    if placement.lead and placement.lead != dept_id and not replace:
        raise ConflictError(message("err_assign_has_lead", challenge=placement.challenge,
                                    lead=placement.lead))
    changes = []
    if placement.lead and placement.lead != dept_id:
        changes.append(message("err_change_lead_replaced", department=placement.lead))
    if dept_id in placement.contributes:
        placement.contributes.remove(dept_id)
        changes.append(message("err_change_no_longer_contributing", department=dept_id))
    placement.lead = dept_id
    changes.append(message("err_change_leads", department=dept_id))
    return changes


def _unassign(plan: Handlingsplan, placement: Placement, dept_id: str) -> str:
    used = [a.id for a in plan.activities
            if a.challenge == placement.challenge and a.department == dept_id]
    if used:
        raise ConflictError(message("err_assign_has_activities", department=dept_id,
                                    challenge=placement.challenge, ids=", ".join(used)))
    if placement.lead == dept_id:
        placement.lead = None
        return message("err_change_no_longer_leads", department=dept_id)
    if dept_id in placement.contributes:
        placement.contributes.remove(dept_id)
        return message("err_change_no_longer_contributes", department=dept_id)
    raise UsageError(message("err_assign_not_assigned", department=dept_id,
                             challenge=placement.challenge))


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
