"""Checks of decisions, frozen versions and remiss rounds."""

from __future__ import annotations

from typing import Any

from studsa.errors import StudsaError
from studsa.validation import Findings


def _check_log(ws: Any, findings: Findings) -> None:
    from studsa.storage.files import file_digest
    from studsa.storage.layout import PHASE_KINDS

    names = {kind.name for kind in PHASE_KINDS}
    project = ws.project
    seen: set[tuple[str, int]] = set()
    for index, decision in enumerate(project.model.decisions):
        where: list[str | int] = ["decisions", index]
        if decision.deliverable not in names:
            findings.at(project, [*where, "deliverable"],
                        f"unknown deliverable {decision.deliverable!r} in the decisions log; "
                        f"use one of: {', '.join(sorted(names))}")
            continue
        key = (decision.deliverable, decision.version)
        if key in seen:
            findings.at(project, [*where, "version"],
                        f"version {decision.version} of the {decision.deliverable} is logged "
                        "as decided twice")
        seen.add(key)
        entries: list[tuple[str, str, str]] = [("file", decision.file, decision.sha256)]
        entries += [("includes", f.file, f.sha256) for f in decision.includes]
        for key_name, rel, expected in entries:
            path = ws.root / rel
            try:
                ws.store.inside(path)
            except StudsaError:
                findings.at(project, [*where, key_name], f"{rel} is outside the project")
                continue
            digest = file_digest(path) if path.is_file() else None
            if digest != expected:
                state = "is missing" if digest is None else "has changed since it was decided"
                findings.at(project, [*where, key_name],
                            f"the frozen version {rel} {state}; run `studsa verify`")


def _check_drift(ws: Any, findings: Findings) -> None:
    from studsa.workflow.frozen import decided_drift

    for drift in decided_drift(ws):
        warning = drift.decision is None or drift.same_content
        findings.at(drift.doc, ["status"], drift.message,
                    severity="warning" if warning else "error")


def _check_remiss(ws: Any, findings: Findings) -> None:
    from studsa.models.remiss_kind import REMISS
    from studsa.storage.layout import PHASE_KINDS

    names = {kind.name for kind in PHASE_KINDS}
    for path in ws.store.files(REMISS):
        from studsa.workflow.remiss import about_targets  # only for a project with rounds

        try:
            doc = ws.store.read(REMISS, path)
        except StudsaError as err:
            findings.from_error(err)
            continue
        model = doc.model
        if model.deliverable not in names:
            findings.at(doc, ["deliverable"], f"unknown deliverable {model.deliverable!r}; "
                        f"use one of: {', '.join(sorted(names))}")
            continue
        targets = about_targets(ws, model.deliverable)
        lowered = [r.casefold() for r in model.recipients]
        for index, body in enumerate(model.recipients):
            if lowered.index(body.casefold()) != index:
                findings.at(doc, ["recipients", index], f"recipient {body!r} is listed twice")
        seen: set[str] = set()
        for a_index, answer in enumerate(model.answers):
            if answer.body.casefold() not in lowered:
                findings.at(doc, ["answers", a_index, "body"],
                            f"{answer.body!r} answered but is not among the recipients",
                            severity="warning")
            for p_index, point in enumerate(answer.points):
                where: list[str | int] = ["answers", a_index, "points", p_index]
                if point.id in seen:
                    findings.at(doc, [*where, "id"], f"point id {point.id} is used twice")
                seen.add(point.id)
                if point.about is not None and point.about not in targets:
                    findings.at(doc, [*where, "about"],
                                f"point {point.id} is about {point.about!r}, which the "
                                f"{model.deliverable} does not have (any more)",
                                severity="warning")


def check(ws: Any, findings: Findings) -> None:
    """Add findings on the decisions log, hand-edited decided files and remiss rounds."""
    for part in (_check_log, _check_drift, _check_remiss):
        try:
            part(ws, findings)
        except StudsaError:
            # A file this part needs did not load; that problem is already a finding.
            continue
