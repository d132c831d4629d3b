"""Checks of the utmaningskarta: unique ids, themes and sources that exist, scope reasons."""

from __future__ import annotations

from studsa.models.utmaningskarta import Utmaningskarta
from studsa.storage.document import Document
from studsa.validation.findings import Findings

# A reason is text; `out_of_scope: yes` is someone marking it without saying why.
_NOT_A_REASON = {"true", "false", "yes", "no", "ja", "nej", "y", "n", "1", "0", "x"}


def _unique_ids(doc: Document[Utmaningskarta], key: str, what: str, findings: Findings
                ) -> None:
    first: dict[str, int] = {}
    for index, item in enumerate(getattr(doc.model, key)):
        if item.id in first:
            line, _ = doc.locate([key, first[item.id], "id"])
            where = f"line {line}" if line else f"{key}[{first[item.id]}]"
            findings.at(doc, [key, index, "id"],
                        f"duplicate {what} id {item.id!r} (first used on {where}); ids must "
                        "be unique")
        else:
            first[item.id] = index
        if not item.title.strip():
            findings.at(doc, [key, index, "title"], f"{what} {item.id!r} has an empty title")


def _check_challenges(doc: Document[Utmaningskarta], findings: Findings) -> None:
    karta = doc.model
    themes = {t.id for t in karta.themes}
    sources = {s.id for s in karta.sources}
    for index, challenge in enumerate(karta.challenges):
        if challenge.theme not in themes:
            findings.at(doc, ["challenges", index, "theme"],
                        f"challenge {challenge.id!r} is in theme {challenge.theme!r}, which is "
                        "not among the themes")
        for pos, sid in enumerate(challenge.sources):
            if sid not in sources:
                findings.at(doc, ["challenges", index, "sources", pos],
                            f"challenge {challenge.id!r} cites source {sid!r}, which is not "
                            "among the sources")
        reason = challenge.out_of_scope
        if reason is not None and (not reason.strip() or reason.strip().lower() in _NOT_A_REASON):
            findings.at(doc, ["challenges", index, "out_of_scope"],
                        f"challenge {challenge.id!r} is out of scope without a reason; write "
                        "why it is left out (`out_of_scope: <reason>`)")


def check(doc: Document[Utmaningskarta], findings: Findings) -> None:
    """Add the findings of the utmaningskarta ``doc``."""
    for key, what in (("themes", "theme"), ("challenges", "challenge"), ("sources", "source")):
        _unique_ids(doc, key, what, findings)
    _check_challenges(doc, findings)
    used = {c.theme for c in doc.model.challenges}
    for index, theme in enumerate(doc.model.themes):
        if theme.id not in used:
            findings.at(doc, ["themes", index], f"theme {theme.id!r} has no challenges",
                        severity="warning")
