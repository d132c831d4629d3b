"""A municipal Word template's header and footer receive the report's title, date and dnr.

Three ways a template marks where they go, all filled in place (nothing else changes):

- ``{placeholders}`` in the text: ``{titel}``/``{title}``, ``{datum}``/``{date}``,
  ``{dnr}``/``{diarienummer}``, ``{organisation}``, ``{dokumenttyp}``/``{document_type}``
  (matched across Word's runs, which split text anywhere);
- fields: ``TITLE``, ``SUBJECT``, ``AUTHOR``, ``CREATEDATE``, ``SAVEDATE`` and
  ``DOCPROPERTY <name>`` get the value as their shown result (Word and LibreOffice also
  recompute them from the document properties studsa sets);
- content controls whose tag or title names one of the values, or that are bound to the
  core property title.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from studsa.report.page import Letterhead

NAMES = {
    "titel": "title", "title": "title", "rubrik": "title",
    "datum": "date", "date": "date", "beslutsdatum": "date",
    "dnr": "dnr", "diarienummer": "dnr", "diarienr": "dnr", "ärendenummer": "dnr",
    "reference": "dnr",
    "organisation": "organisation", "organization": "organisation", "company": "organisation",
    "author": "organisation", "kommun": "organisation",
    "dokumenttyp": "doc_type", "document_type": "doc_type", "doctype": "doc_type",
    "subject": "doc_type", "ämne": "doc_type",
}
FIELDS = {"TITLE": "title", "SUBJECT": "doc_type", "AUTHOR": "organisation",
          "CREATEDATE": "date", "SAVEDATE": "date"}
PLACEHOLDER = re.compile(r"\{\s*([A-Za-zÅÄÖåäö_]+)\s*\}")


def values(head: Letterhead) -> dict[str, str]:
    """What each kind of slot receives (only what the project has)."""
    found = {"title": head.title, "doc_type": head.doc_type, "organisation": head.organisation,
             "dnr": head.dnr, "date": head.date.isoformat() if head.date else None}
    return {k: v for k, v in found.items() if v}


def _parts(document: Any) -> Iterator[Any]:
    """The root elements of every header and footer the sections define."""
    seen: set[int] = set()
    for section in document.sections:
        for part in (section.header, section.first_page_header, section.even_page_header,
                     section.footer, section.first_page_footer, section.even_page_footer):
            if part.is_linked_to_previous:
                continue
            element = part.part.element
            if id(element) not in seen:
                seen.add(id(element))
                yield element


def fill(document: Any, head: Letterhead) -> int:
    """Fill the template's slots in every header and footer; return how many were filled."""
    given = values(head)
    filled = 0
    for root in _parts(document):
        filled += _content_controls(root, given)
        filled += _simple_fields(root, given)
        for paragraph in list(root.iter(_qn("w:p"))):
            filled += _complex_fields(paragraph, given)
            filled += _placeholders(paragraph, given)
    return filled


def _qn(name: str) -> str:
    from docx.oxml.ns import qn

    return str(qn(name))


def _field_value(instruction: str, given: dict[str, str]) -> str | None:
    words = instruction.replace('"', " ").split()
    if not words:
        return None
    kind = words[0].upper()
    if kind == "DOCPROPERTY" and len(words) > 1:
        return given.get(NAMES.get(words[1].casefold(), ""))
    return given.get(FIELDS.get(kind, ""))


def _set_text(texts: list[Any], value: str) -> None:
    """Put ``value`` in the first ``<w:t>`` and empty the others."""
    texts[0].text = value
    texts[0].set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    for extra in texts[1:]:
        extra.text = ""


def _simple_fields(root: Any, given: dict[str, str]) -> int:
    from docx.oxml import OxmlElement

    filled = 0
    for field in root.iter(_qn("w:fldSimple")):
        value = _field_value(field.get(_qn("w:instr")) or "", given)
        if value is None:
            continue
        texts = list(field.iter(_qn("w:t")))
        if not texts:
            run = OxmlElement("w:r")
            texts = [OxmlElement("w:t")]
            run.append(texts[0])
            field.append(run)
        _set_text(texts, value)
        filled += 1
    return filled


def _complex_fields(paragraph: Any, given: dict[str, str]) -> int:
    """Fields written as begin / instrText / separate / result / end runs in one paragraph."""
    filled = 0
    state = "out"
    instruction: list[str] = []
    result: list[Any] = []
    for run in list(paragraph.iter(_qn("w:r"))):
        char = run.find(_qn("w:fldChar"))
        kind = char.get(_qn("w:fldCharType")) if char is not None else None
        if kind == "begin":
            state, instruction, result = "instr", [], []
        elif kind == "separate" and state == "instr":
            state = "result"
        elif kind == "end" and state != "out":
            value = _field_value("".join(instruction), given)
            if value is not None and result:
                _set_text(result, value)
                filled += 1
            state = "out"
        elif state == "instr":
            instruction += [t.text or "" for t in run.iter(_qn("w:instrText"))]
        elif state == "result":
            result += list(run.iter(_qn("w:t")))
    return filled


def _content_controls(root: Any, given: dict[str, str]) -> int:
    filled = 0
    for sdt in root.iter(_qn("w:sdt")):
        properties = sdt.find(_qn("w:sdtPr"))
        content = sdt.find(_qn("w:sdtContent"))
        if properties is None or content is None:
            continue
        names = [e.get(_qn("w:val")) or "" for e in properties
                 if e.tag in {_qn("w:tag"), _qn("w:alias")}]
        binding = properties.find(_qn("w:dataBinding"))
        xpath = (binding.get(_qn("w:xpath")) or "") if binding is not None else ""
        kind = next((NAMES[n.casefold()] for n in names if n.casefold() in NAMES), None)
        if kind is None and "title" in xpath:
            kind = "title"
        texts = list(content.iter(_qn("w:t")))
        if kind not in given or not texts:
            continue
        _set_text(texts, given[kind])
        placeholder = properties.find(_qn("w:showingPlcHdr"))
        if placeholder is not None:
            properties.remove(placeholder)
        filled += 1
    return filled


def _placeholders(paragraph: Any, given: dict[str, str]) -> int:
    """``{dnr}`` and friends, also when Word has split them over several runs."""
    texts = [t for t in paragraph.iter(_qn("w:t"))]
    whole = "".join(t.text or "" for t in texts)
    matches = [m for m in PLACEHOLDER.finditer(whole)
               if NAMES.get(m.group(1).casefold()) in given]
    if not matches:
        return 0
    # Map every character of the joined text back to its <w:t>, then rebuild each element's
    # text: a placeholder's replacement goes where its first character was.
    owner = [i for i, t in enumerate(texts) for _ in (t.text or "")]
    pieces = [""] * len(texts)
    position = 0
    for match in matches:
        for index in range(position, match.start()):
            pieces[owner[index]] += whole[index]
        pieces[owner[match.start()]] += given[NAMES[match.group(1).casefold()]]
        position = match.end()
    for index in range(position, len(whole)):
        pieces[owner[index]] += whole[index]
    for element, text in zip(texts, pieces, strict=True):
        element.text = text
        element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return len(matches)
