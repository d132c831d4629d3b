"""Phase 4's contribution to ``studsa status``: the next step and notes.

Apart from ``place.py`` so that ``studsa status`` loads only what it asks
(``place`` re-exports both).
"""

from __future__ import annotations

from typing import Any

from studsa.workflow.plan import plan_data, reporting_load, without_lead


def next_step(ws: Any) -> str | None:
    """The next thing to do in phase 4, or None when every prioritized challenge is placed."""
    data = plan_data(ws)
    if not data.prioritized:
        return None
    if not data.departments:
        return ("add the departments that will own the challenges: `studsa department add "
                "NAME --cadence tertial|annual`")
    missing = without_lead(data)
    if missing:
        more = f" ({len(missing) - 1} more after it)" if len(missing) > 1 else ""
        return (f"give the prioritized challenge {missing[0]!r} a lead department: "
                f"`studsa assign {missing[0]} --department D --goal TEXT --horizon mandate`"
                f"{more}")
    for challenge in data.prioritized:
        if not any(a.challenge == challenge for a in data.plan.activities):
            return (f"add this year's activities for {challenge!r}: `studsa activity add "
                    f"{challenge} TITLE --department D --year YEAR --cost SEK`")
    return None


def status_notes(ws: Any) -> list[Any]:
    """Phase 4 notes: challenges without a lead, and each department's reporting load."""
    from studsa.workflow.status import StatusNote

    data = plan_data(ws)
    notes: list[StatusNote] = []
    missing = without_lead(data)
    if missing:
        notes.append(StatusNote("todo", "prioritized challenges without a lead department: "
                                + ", ".join(missing), "placera"))
    placed = [p for p in data.plan.placements if p.challenge in data.prioritized]
    for what, missing_ids in (
        ("goal (målbild)", [p.challenge for p in placed if not p.goal]),
        ("horizon", [p.challenge for p in placed if not p.horizon]),
    ):
        if missing_ids:
            notes.append(StatusNote("todo", f"set the {what} of: " + ", ".join(missing_ids)
                                    + " (`studsa assign ID --goal TEXT --horizon mandate`)",
                                    "placera"))
    load = reporting_load(data.departments, data.plan.activities)
    decided = ws.plan.model.status == "decided"
    if not decided:
        for dept in data.departments:
            mine = [e for e in load if e.department.id == dept.id]
            if mine:
                years = ", ".join(f"{e.year}: {e.reports}" for e in mine)
                notes.append(StatusNote(
                    "info", f"reporting load of {dept.name} ({dept.cadence}, reports × "
                    f"activities): {years}", "placera"))
    for entry in load:
        if entry.flagged:
            notes.append(StatusNote(
                "warning",
                f"{entry.department.name} carries {entry.load_share:.0%} of the follow-up "
                f"reports in {entry.year} but {entry.plan_share:.0%} of the plan; consider "
                "annual reporting or fewer, larger activities", "placera"))
    return notes
