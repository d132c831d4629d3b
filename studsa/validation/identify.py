"""Checks of the utmaningskarta: unique ids, themes and sources that exist, scope reasons."""

from __future__ import annotations

from studsa.i18n import message
from studsa.models.utmaningskarta import Utmaningskarta
from studsa.storage.document import Document
from studsa.validation.findings import Findings

# A reason is text; `out_of_scope: yes` is someone marking it without saying why.
_NOT_A_REASON = {"true", "false", "yes", "no", "ja", "nej", "y", "n", "1", "0", "x"}


# The messages by kind of item, named in full so the catalog test finds every key.
_DUPLICATE = {"theme": "val_duplicate_theme", "challenge": "val_duplicate_challenge",
              "source": "val_duplicate_source"}
_EMPTY_TITLE = {"theme": "val_empty_title_theme", "challenge": "val_empty_title_challenge",
                "source": "val_empty_title_source"}


def _unique_ids(doc: Document[Utmaningskarta], key: str, what: str, findings: Findings
                ) -> None:
    first: dict[str, int] = {}
    for index, item in enumerate(getattr(doc.model, key)):
        if item.id in first:
            line, _ = doc.locate([key, first[item.id], "id"])
            where = message("val_line", line=line) if line else f"{key}[{first[item.id]}]"
            findings.at(doc, [key, index, "id"],
                        message(_DUPLICATE[what], id=item.id, where=where))
        else:
            first[item.id] = index
        if not item.title.strip():
            findings.at(doc, [key, index, "title"],
                        message(_EMPTY_TITLE[what], id=item.id))


def _check_challenges(doc: Document[Utmaningskarta], findings: Findings) -> None:
    karta = doc.model
    themes = {t.id for t in karta.themes}
    sources = {s.id for s in karta.sources}
    for index, challenge in enumerate(karta.challenges):
        if challenge.theme not in themes:
            findings.at(doc, ["challenges", index, "theme"],
                        message("val_unknown_theme", id=challenge.id, theme=challenge.theme))
        for pos, sid in enumerate(challenge.sources):
            if sid not in sources:
                findings.at(doc, ["challenges", index, "sources", pos],
                            message("val_unknown_source", id=challenge.id, source=sid))
        reason = challenge.out_of_scope
        if reason is not None and (not reason.strip() or reason.strip().lower() in _NOT_A_REASON):
            findings.at(doc, ["challenges", index, "out_of_scope"],
                        message("val_out_of_scope_no_reason", id=challenge.id))


def check(doc: Document[Utmaningskarta], findings: Findings) -> None:
    """Add the findings of the utmaningskarta ``doc``."""
    for key, what in (("themes", "theme"), ("challenges", "challenge"), ("sources", "source")):
        _unique_ids(doc, key, what, findings)
    _check_challenges(doc, findings)
    used = {c.theme for c in doc.model.challenges}
    for index, theme in enumerate(doc.model.themes):
        if theme.id not in used:
            findings.at(doc, ["themes", index], message("val_theme_empty", id=theme.id),
                        severity="warning")
