"""The whole project as data (JSON, CSV, XLSX) for Excel, BI tools and other systems.

Tables follow the order of the project files (deterministic: no sorting that files do not
already imply). In CSV and XLSX, text cells that a spreadsheet would run as a formula
(starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return) get a leading ``'``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studsa.errors import StudsaError, UsageError
from studsa.i18n import message
from studsa.models.bedomning import cell_value
from studsa.report.ooxml import FIXED_DATE, stable_zip
from studsa.storage.gate import out_target
from studsa.storage.layout import REMISS, REPORTS_DIR
from studsa.storage.made import MadeFiles, write_made_set
from studsa.workflow.context import Workspace
from studsa.workflow.prioritize.report import score_project
from studsa.workflow.spreadsheet import neutralise, sheets, to_csv, to_xlsx

__all__ = ["FORMATS", "ExportResult", "collect", "export_project", "neutralise", "to_json"]

FORMATS = ("json", "csv", "xlsx")
Row = dict[str, Any]


def _indicator(value: Any) -> Any:
    if value is None or isinstance(value, str):
        return value
    return value.model_dump(mode="json", exclude_none=True)


def _project_tables(ws: Workspace) -> dict[str, list[Row]]:
    project = ws.project.model
    head = {
        "name": project.name,
        "organisation": project.organisation,
        "administration": project.administration,
        "committee": project.committee,
        "dnr": project.dnr,
        "language": project.language,
        "start_year": project.start_year,
    }
    departments = [
        {"id": d.id, "name": d.name, "cadence": d.cadence, "contact": d.contact}
        for d in project.departments
    ]
    decisions = [
        {"deliverable": d.deliverable, "version": d.version, "by": d.by,
         "date": d.date.isoformat(), "paragraph": d.paragraph, "dnr": d.dnr, "sha256": d.sha256}
        for d in project.decisions
    ]
    return {"project": [head], "departments": departments, "decisions": decisions}


def _identify_tables(ws: Workspace, selected: set[str]) -> dict[str, list[Row]]:
    karta = ws.karta.model
    return {
        "themes": [{"id": t.id, "title": t.title, "description": t.description}
                   for t in karta.themes],
        "sources": [
            {"id": s.id, "title": s.title, "kind": s.kind, "organisation": s.organisation,
             "year": s.year, "url": s.url, "description": s.description}
            for s in karta.sources
        ],
        "challenges": [
            {"id": c.id, "title": c.title, "theme": c.theme, "description": c.description,
             "sources": list(c.sources), "out_of_scope": c.out_of_scope,
             "example": c.example, "prioritized": c.id in selected}
            for c in karta.challenges
        ],
    }


def _ranking(ws: Workspace) -> list[Row]:
    """The ranking computed from the assessments now; empty when it cannot be computed.

    Missing or invalid assessments (``studsa score`` explains them) leave the ranking the
    selection was made on, which ``collect`` uses instead.
    """
    try:
        report = score_project(ws, sensitivity=False)
    except StudsaError:
        return []
    return [
        {"rank": entry.rank, "id": entry.id, "title": entry.title, "score": entry.score,
         "method": report.method, "basis": "computed"}
        for entry in report.ranking
    ]


def _prioritize_tables(ws: Workspace, titles: dict[str, str]) -> dict[str, list[Row]]:
    strategi = ws.strategi.model
    criteria = [
        {"id": c.id, "title": c.title, "description": c.description, "scale": c.scale,
         "weight": c.weight}
        for c in strategi.criteria
    ]
    assessments: list[Row] = []
    for doc in ws.bedomningar:
        rater = doc.model.rater
        for item in doc.model.assessments:
            for criterion, raw in item.values.items():
                value, _sources, comment = cell_value(raw)
                assessments.append({"rater": rater, "challenge": item.challenge,
                                    "criterion": criterion, "value": value,
                                    "comment": comment})
    selection = strategi.selection
    ranking = _ranking(ws) or [
        {"rank": entry.rank, "id": entry.id, "title": titles.get(entry.id), "score": entry.score,
         "method": selection.method if selection else None, "basis": "selection"}
        for entry in (selection.ranking if selection else [])
    ]
    chosen = [
        {"challenge": cid, "title": titles.get(cid), "why": selection.why.get(cid)}
        for cid in selection.challenges
    ] if selection else []
    return {"criteria": criteria, "assessments": assessments, "ranking": ranking,
            "selection": chosen}


def _place_tables(ws: Workspace) -> dict[str, list[Row]]:
    plan = ws.plan.model
    placements = [
        {"challenge": p.challenge, "goal": p.goal, "horizon": p.horizon, "lead": p.lead,
         "contributes": list(p.contributes)}
        for p in plan.placements
    ]
    activities = [
        {"id": a.id, "title": a.title, "challenge": a.challenge, "department": a.department,
         "year": a.year, "end_year": a.end_year, "cost": a.cost, "investment": a.investment,
         "indicator": _indicator(a.indicator), "status": a.status, "description": a.description,
         "carried_from": a.carried_from}
        for a in plan.activities
    ]
    followup = [
        {"period": doc.model.period, "activity": r.activity, "status": r.status,
         "comment": r.comment, "spent": r.spent, "reported_by": r.reported_by,
         "date": r.date.isoformat() if r.date else None,
         "summary": doc.model.summary if index == 0 else None}
        for doc in ws.uppfoljningar
        for index, r in enumerate(doc.model.reports)
    ]
    return {"placements": placements, "activities": activities, "followup": followup}


def _remiss_table(ws: Workspace) -> list[Row]:
    rows: list[Row] = []
    for path in ws.store.files(REMISS):
        model = ws.store.read(REMISS, path).model
        for answer in model.answers:
            for point in answer.points:
                response = point.response
                rows.append({
                    "deliverable": model.deliverable, "version": model.version,
                    "body": answer.body, "point": point.id, "text": point.text,
                    "about": point.about,
                    "decision": response.decision if response else None,
                    "why": response.why if response else None,
                })
    return rows


def collect(ws: Workspace) -> dict[str, list[Row]]:
    """Every table of the project, in a fixed order, with JSON-ready values."""
    karta = ws.karta.model
    strategi = ws.strategi.model
    selected = set(strategi.selection.challenges) if strategi.selection else set()
    titles = {c.id: c.title for c in karta.challenges}
    tables: dict[str, list[Row]] = {}
    project = _project_tables(ws)
    tables["project"] = project["project"]
    tables["departments"] = project["departments"]
    tables.update(_identify_tables(ws, selected))
    tables.update(_prioritize_tables(ws, titles))
    tables.update(_place_tables(ws))
    tables["remiss"] = _remiss_table(ws)
    tables["decisions"] = project["decisions"]
    return tables


def to_json(tables: dict[str, list[Row]]) -> bytes:
    """The project as one JSON object: ``project`` is an object, every other key an array."""
    data: dict[str, Any] = {"project": tables["project"][0]}
    data.update({name: rows for name, rows in tables.items() if name != "project"})
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


@dataclass
class ExportResult:
    """What ``export`` produced: files written, or JSON text for stdout."""

    written: list[Path] = field(default_factory=list)
    text: str | None = None


def export_project(ws: Workspace, fmt: str, out: Path | None, *, force: bool = False
                   ) -> ExportResult:
    """Export the project in ``fmt``; write under ``out`` (or the defaults) or return JSON.

    Every file goes through the write gate: inside the project (``rapporter/``) or the
    ``--out`` the user named, never into a source folder or over a source file, and never
    over a file studsa did not make unless ``force``."""
    if fmt not in FORMATS:
        raise UsageError(message("err_unknown_export_format", fmt=fmt,
                                 choices=", ".join(FORMATS)))
    if out is not None:
        out = out_target(out, folder=fmt == "csv")
    tables = collect(ws)
    if fmt == "json":
        data = to_json(tables)
        if out is None:
            return ExportResult(text=data.decode("utf-8"))
        return ExportResult(written=_write(ws, {out: data}, out.parent, force))
    reports = ws.root / REPORTS_DIR
    if fmt == "xlsx":
        target = out or reports / "export.xlsx"
        workbook = to_xlsx(sheets(ws, tables), title=ws.project.model.name,
                           stamp=FIXED_DATE.replace(tzinfo=None))
        data = stable_zip(workbook)
        return ExportResult(written=_write(ws, {target: data}, out and out.parent, force))
    folder = out or reports / "export"
    if folder.exists() and not folder.is_dir():
        raise UsageError(message("err_export_folder_is_file", folder=folder))
    files = {folder / name: data for name, data in to_csv(sheets(ws, tables), ws.language).items()}
    return ExportResult(written=_write(ws, files, out, force))


def _write(ws: Workspace, files: dict[Path, bytes], out: Path | None, force: bool
           ) -> list[Path]:
    """Write export files through the gate: inside ``out`` (resolved) or the project."""
    made = MadeFiles(out if out is not None else ws.root)
    allowed = [out] if out is not None else [ws.root]
    # Every file is checked before the first is written, and all are written together.
    write_made_set([(path, data, ws.store.rel(path)) for path, data in files.items()], made,
                   allowed=allowed, force=force)
    return list(files)
