"""Phase 4 and follow-up checks: placements, activities and follow-up reports."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from studsa.i18n import message
from studsa.models.handlingsplan import Handlingsplan, Placement, activity_years
from studsa.models.uppfoljning import Uppfoljning
from studsa.periods import horizon_span, parse_period
from studsa.storage.document import Document
from studsa.validation.findings import Findings

Loc = list[str | int]


def check(data: Any, doc: Document[Handlingsplan], followups: Sequence[Document[Uppfoljning]],
          findings: Findings) -> None:
    """Add the findings of the handlingsplan ``doc`` and of the follow-up files.

    ``data`` is the plan's ``workflow.plan.PlanData``; ``followups`` are the follow-up files
    that could be read, in file order.
    """
    _check_placements(data, doc, findings)
    _check_leads(data, doc, findings)
    _check_activities(data, doc, findings)
    _check_followups(followups, data, findings)


def _check_placements(data: Any, doc: Document[Handlingsplan], findings: Findings) -> None:
    dept_ids = {d.id for d in data.departments}
    counts = Counter(p.challenge for p in data.plan.placements)
    leads_of = _leads_of_duplicates(data.plan.placements, counts)
    for i, placement in enumerate(data.plan.placements):
        where: Loc = ["placements", i]
        challenge = placement.challenge
        if counts[challenge] > 1:
            leads = sorted(leads_of.get(challenge, set()))
            findings.at(doc, [*where, "challenge"],
                        message("val_placed_twice", challenge=challenge, n=counts[challenge],
                                leads=", ".join(leads) or message("val_none")))
        if challenge not in data.challenge_titles:
            findings.at(doc, [*where, "challenge"],
                        message("val_placement_unknown", challenge=challenge))
        elif challenge not in data.prioritized:
            findings.at(doc, [*where, "challenge"],
                        message("val_placed_not_prioritized", challenge=challenge),
                        severity="warning")
        if placement.lead and placement.lead not in dept_ids:
            findings.at(doc, [*where, "lead"],
                        message("val_lead_unknown", lead=placement.lead, challenge=challenge))
        for j, dept in enumerate(placement.contributes):
            if dept not in dept_ids:
                findings.at(doc, [*where, "contributes", j],
                            message("val_contributor_unknown", department=dept,
                                    challenge=challenge))
            elif dept == placement.lead:
                findings.at(doc, [*where, "contributes", j],
                            message("val_leads_and_contributes", department=dept,
                                    challenge=challenge),
                            severity="warning")
        if placement.horizon and data.start_year is not None:
            span = horizon_span(placement.horizon, data.start_year)
            if span.last_year < data.start_year:
                findings.at(doc, [*where, "horizon"],
                            message("val_horizon_before_start", horizon=placement.horizon,
                                    challenge=challenge, year=data.start_year))


def _leads_of_duplicates(placements: list[Placement], counts: Counter[str]
                         ) -> dict[str, set[str]]:
    """The lead departments of each challenge placed more than once."""
    leads_of: dict[str, set[str]] = {}
    for p in placements:
        if counts[p.challenge] > 1 and p.lead:
            leads_of.setdefault(p.challenge, set()).add(str(p.lead))
    return leads_of


def _check_leads(data: Any, doc: Document[Handlingsplan], findings: Findings) -> None:
    started = bool(data.plan.placements or data.plan.activities)
    first: dict[str, int] = {}
    for i, p in enumerate(data.plan.placements):
        first.setdefault(p.challenge, i)
    for challenge in data.prioritized:
        index = first.get(challenge)
        placement = data.plan.placements[index] if index is not None else None
        if placement is not None and placement.lead:
            continue
        title = data.challenge_titles.get(challenge, challenge)
        loc: list[str | int] = ["placements"] if index is None else ["placements", index]
        # Before phase 4 starts every challenge lacks a lead: say so without failing.
        findings.at(doc, loc,
                    message("val_no_lead", challenge=challenge, title=title),
                    severity="error" if started else "warning")


def _check_activities(data: Any, doc: Document[Handlingsplan], findings: Findings) -> None:
    dept_ids = {d.id for d in data.departments}
    counts = Counter(a.id for a in data.plan.activities)
    for i, activity in enumerate(data.plan.activities):
        where: Loc = ["activities", i]
        if counts[activity.id] > 1:
            findings.at(doc, [*where, "id"], message("val_activity_id_twice", id=activity.id,
                                                     n=counts[activity.id]))
        challenge = activity.challenge
        if challenge not in data.challenge_titles:
            findings.at(doc, [*where, "challenge"], message(
                "val_activity_unknown_challenge", id=activity.id, challenge=challenge))
        elif challenge not in data.prioritized:
            findings.at(doc, [*where, "challenge"], message(
                "val_activity_not_prioritized", id=activity.id, challenge=challenge))
        if activity.department not in dept_ids:
            findings.at(doc, [*where, "department"], message(
                "val_activity_unknown_department", id=activity.id,
                department=activity.department))
        else:
            placement = data.placement(challenge)
            roles = {placement.lead, *placement.contributes} if placement else set()
            if challenge in data.challenge_titles and activity.department not in roles:
                findings.at(doc, [*where, "department"],
                            message("val_activity_department_role", id=activity.id,
                                    department=activity.department, challenge=challenge))
        last = activity.end_year if activity.end_year is not None else activity.year
        if last < activity.year:
            findings.at(doc, [*where, "end_year"], message(
                "val_activity_ends_before", id=activity.id, last=last, first=activity.year))
            continue
        span = data.horizon(challenge)
        if span is not None and not (span.contains(activity.year) and span.contains(last)):
            findings.at(doc, [*where, "year"],
                        message("val_activity_outside_horizon", id=activity.id,
                                years=_years(activity.year, last), challenge=challenge,
                                horizon=span.code,
                                span=_years(span.first_year, span.last_year)))
        elif span is None and data.start_year is not None and activity.year < data.start_year:
            findings.at(doc, [*where, "year"],
                        message("val_activity_before_plan", id=activity.id,
                                year=activity.year, start=data.start_year),
                        severity="warning")


def _years(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}-{last}"


def _check_followups(docs: Sequence[Document[Uppfoljning]], data: Any, findings: Findings
                     ) -> None:
    activities = {a.id: a for a in data.plan.activities}
    dept_ids = {d.id for d in data.departments}
    for doc in docs:
        path = doc.path
        model = doc.model
        period = parse_period(model.period)
        if path.stem != str(model.period):
            findings.at(doc, ["period"], message("val_period_file_name", file=path.name,
                                                 period=model.period))
        for j, dept in enumerate(model.departments):
            if dept not in dept_ids:
                findings.at(doc, ["departments", j],
                            message("val_period_unknown_department", department=dept,
                                    period=model.period))
        counts = Counter(r.activity for r in model.reports)
        for j, report in enumerate(model.reports):
            where: Loc = ["reports", j, "activity"]
            activity = activities.get(report.activity)
            if activity is None:
                findings.at(doc, where, message("val_report_unknown_activity",
                                                id=report.activity))
                continue
            if counts[report.activity] > 1:
                findings.at(doc, where, message("val_reported_twice", id=report.activity,
                                                n=counts[report.activity], period=model.period))
            if period.year not in activity_years(activity):
                findings.at(doc, where, message(
                    "val_report_outside_period", id=activity.id,
                    years=_years(activity.year, max(activity_years(activity))),
                    period=model.period), severity="warning")
