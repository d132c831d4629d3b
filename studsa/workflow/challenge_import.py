"""``challenge import``: many challenges from a CSV or XLSX sheet, all or nothing.

Every row is checked before anything is written; all problems are reported at once, each
at ``file:row:column``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studsa.errors import InputError, SchemaError, StudsaError, UsageError
from studsa.ids import check_id, new_id
from studsa.models.utmaningskarta import Challenge, Theme, Utmaningskarta
from studsa.storage.tabular import Row, Table, read_table
from studsa.workflow.context import Workspace
from studsa.workflow.exchange import aliases, parse_bool, sheet_titles
from studsa.workflow.identify import find_source, fold

REQUIRED = ("title", "theme")
OPTIONAL = ("id", "description", "sources", "out_of_scope", "example")
EXPORTED = ("prioritized",)
"""Columns ``export`` writes that are computed, not imported (skipped without a word)."""
MAX_SHOWN = 25


@dataclass
class ImportResult:
    """What an import added (or, with ``dry_run``, would add)."""

    file: str
    sheet: str
    challenges: list[Challenge] = field(default_factory=list)
    themes: list[Theme] = field(default_factory=list)
    dry_run: bool = False
    written: bool = False
    new_version: int | None = None
    skipped: tuple[str, ...] = ()
    """Columns of the sheet that the import does not know (as written in the header)."""

    def as_dict(self) -> dict[str, Any]:
        """The ``challenge import --json`` shape."""
        return {
            "file": self.file,
            "sheet": self.sheet,
            "dry_run": self.dry_run,
            "written": self.written,
            "skipped_columns": list(self.skipped),
            "themes_created": [t.model_dump(mode="json", exclude_none=True)
                               for t in self.themes],
            "challenges": [c.model_dump(mode="json", exclude_defaults=True)
                           for c in self.challenges],
        }


class _Planner:
    """Turns the rows of a sheet into new challenges (and themes), collecting problems."""

    def __init__(self, karta: Utmaningskarta, table: Table, create_themes: bool) -> None:
        self.karta = karta
        self.table = table
        self.create_themes = create_themes
        self.problems: list[StudsaError] = []
        self.new_themes: dict[str, Theme] = {}
        self.theme_ids = {t.id for t in karta.themes}

    def problem(self, row: Row, column: str, message: str) -> None:
        self.problems.append(self.table.error(row, column, message))

    def explicit_ids(self) -> dict[str, int]:
        """Ids written in the sheet, checked for form and uniqueness."""
        existing = {c.id for c in self.karta.challenges}
        seen: dict[str, int] = {}
        for row in self.table.rows:
            given = row.values.get("id", "").strip()
            if not given:
                continue
            try:
                check_id(given, "challenge id")
            except UsageError as err:
                self.problem(row, "id", err.message)
                continue
            if given in existing:
                self.problem(row, "id", f"a challenge with id {given!r} already exists")
            elif given in seen:
                self.problem(row, "id", f"the id {given!r} is also used on row {seen[given]}")
            else:
                seen[given] = row.number
        return seen

    def theme(self, row: Row) -> str | None:
        """The id of the row's theme (existing or, with --create-themes, new)."""
        ref = row.values["theme"].strip()
        if not ref:
            self.problem(row, "theme", "the theme is empty; give a theme id or title")
            return None
        wanted = fold(ref)
        by_id = [t for t in self.karta.themes if t.id == wanted]
        by_title = [t for t in self.karta.themes if fold(t.title) == wanted]
        if by_id or len(by_title) == 1:
            return (by_id or by_title)[0].id
        if by_title:
            ids = ", ".join(t.id for t in by_title)
            self.problem(row, "theme", f"several themes are titled {ref!r} ({ids}); use an id")
            return None
        if wanted in self.new_themes:
            return self.new_themes[wanted].id
        if not self.create_themes:
            known = ", ".join(t.id for t in self.karta.themes) or "none yet"
            self.problem(row, "theme", f"unknown theme {ref!r} (known themes: {known}); add "
                         "it with `studsa theme add` or import with --create-themes")
            return None
        try:
            theme = Theme(id=new_id(ref, None, self.theme_ids, "theme id"), title=ref)
        except UsageError as err:
            self.problem(row, "theme", err.message)
            return None
        self.theme_ids.add(theme.id)
        self.new_themes[wanted] = theme
        return theme.id

    def sources(self, row: Row) -> list[str]:
        """The row's ``;``-separated sources, each an existing source id or title."""
        ids: list[str] = []
        for ref in row.values.get("sources", "").split(";"):
            if not ref.strip():
                continue
            try:
                sid = find_source(self.karta, ref).id
            except UsageError as err:
                self.problem(row, "sources", err.message + "; add it with `studsa source add`")
                continue
            if sid not in ids:
                ids.append(sid)
        return ids

    def example(self, row: Row) -> bool:
        """Whether the row marks an example challenge (``ja``/``nej``, empty: no)."""
        try:
            return bool(parse_bool(row.values.get("example", "")))
        except ValueError as err:
            self.problem(row, "example", str(err))
            return False

    def plan(self) -> list[Challenge]:
        """Every row as a new challenge; problems are collected, not raised."""
        explicit = self.explicit_ids()
        taken = {c.id for c in self.karta.challenges} | set(explicit)
        old_titles = {fold(c.title): c.id for c in self.karta.challenges}
        derived_titles: dict[str, int] = {}
        planned: list[Challenge] = []
        for row in self.table.rows:
            title = row.values["title"].strip()
            theme_id = self.theme(row)
            sources = self.sources(row)
            given = row.values.get("id", "").strip()
            if not title:
                self.problem(row, "title", "the title is empty")
                continue
            if not given:
                # Without an id, a repeated title is almost always the same challenge
                # imported twice; ask for an id rather than inventing `-2` ids.
                folded = fold(title)
                if folded in old_titles:
                    self.problem(row, "title", f"a challenge titled {title!r} already exists "
                                 f"(id {old_titles[folded]}); give this row an id if it is "
                                 "a different challenge")
                    continue
                if folded in derived_titles:
                    self.problem(row, "title", f"the title {title!r} is also on row "
                                 f"{derived_titles[folded]}; give one of them an id")
                    continue
                derived_titles[folded] = row.number
                try:
                    given = new_id(title, None, taken, "challenge id")
                except UsageError as err:
                    self.problem(row, "title", err.message.replace("with --id", "in the id "
                                                                   "column"))
                    continue
                taken.add(given)
            example = self.example(row)
            if theme_id is None or self.problems:
                continue  # nothing will be written; keep collecting problems
            planned.append(Challenge(
                id=given, title=title, theme=theme_id,
                description=row.values.get("description", "").strip() or None,
                sources=sources,
                out_of_scope=row.values.get("out_of_scope", "").strip() or None,
                example=example,
            ))
        return planned


def _check_fits(karta: Utmaningskarta, text: str, table: Table) -> None:
    """Refuse, before any row is planned, an import whose utmaningskarta studsa could not
    read back: more challenges than a list may hold, or more values than a file may."""
    from studsa.i18n import message
    from studsa.storage.reader import MAX_ITEMS, MAX_NODES, estimate_nodes, grouped

    total = len(karta.challenges) + len(table.rows)
    # A challenge is a mapping, each filled column a key and a value; sources a list.
    values = estimate_nodes(text)
    for row in table.rows:
        values += 1 + 2 * sum(1 for value in row.values.values() if value.strip())
        sources = row.values.get("sources", "")
        if sources.strip():
            values += 1 + sources.count(";")
    if total > MAX_ITEMS or values > MAX_NODES:
        raise InputError(message(
            "safety_import_too_big", rows=grouped(len(table.rows)), total=grouped(total),
            values=grouped(values), items=grouped(MAX_ITEMS), limit=grouped(MAX_NODES)),
            path=table.display)


def import_challenges(ws: Workspace, path: Path, create_themes: bool = False,
                      dry_run: bool = False) -> ImportResult:
    """Import challenges from a CSV or XLSX sheet into the utmaningskarta, all or nothing."""
    columns = (*REQUIRED, *OPTIONAL, *EXPORTED)
    table = read_table(path, required=REQUIRED, optional=columns[len(REQUIRED):],
                       allow_extra=True, aliases=aliases(columns),
                       sheets=sheet_titles("challenges"))
    if not table.rows:
        raise InputError("the file has a header row but no challenges", path=table.display)
    with ws.store.lock():
        doc = ws.karta
        _check_fits(doc.model, doc.original_text or "", table)
        planner = _Planner(doc.model, table, create_themes)
        challenges = planner.plan()
        if planner.problems:
            problems = sorted(planner.problems, key=lambda p: (p.line or 0, p.column or 0))
            if len(problems) > MAX_SHOWN:
                more = len(problems) - MAX_SHOWN
                problems = [*problems[:MAX_SHOWN],
                            InputError(f"{more} more problem(s) not shown", path=table.display)]
            raise SchemaError(problems)
        shown = f"{table.display} ({table.sheet})" if table.sheet else table.display
        result = ImportResult(doc.display, shown, challenges,
                              list(planner.new_themes.values()), dry_run,
                              skipped=table.unknown)
        if dry_run:
            return result
        before = doc.model.version
        doc.model.themes.extend(result.themes)
        doc.model.challenges.extend(challenges)
        result.written = bool(ws.save(doc))
        if doc.model.version != before:
            result.new_version = doc.model.version
        return result
