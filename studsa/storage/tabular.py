"""Reading spreadsheets users bring: CSV (as Excel writes it, Swedish or not) and XLSX.

Every problem names the file, the row and the column (``file:row:column``), and nothing is
half-read: callers get the whole table or an error.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
import warnings
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

from studsa.errors import InputError, UsageError
from studsa.i18n import message
from studsa.storage.files import read_bytes
from studsa.storage.reader import grouped

_DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True)
class Row:
    """One data row: its 1-based line in the file and its values by column name."""

    number: int
    values: dict[str, str]


@dataclass(frozen=True)
class Table:
    """A spreadsheet read into text cells, with the header normalised to lowercase.

    A header cell that is an alias (``Utmaning`` for ``challenge``) is replaced by the
    canonical name; ``unknown`` lists, as written, the columns that are neither required
    nor optional (kept in the rows, for callers to ignore); ``sheet`` names the worksheet
    read from a workbook.
    """

    display: str
    header: list[str]
    rows: list[Row]
    unknown: tuple[str, ...] = ()
    sheet: str | None = None

    def column(self, name: str) -> int:
        """The 1-based column number of ``name`` (for messages)."""
        return self.header.index(name) + 1

    def error(self, row: Row | int, column: str | None, message: str) -> InputError:
        """An ``InputError`` located at ``row`` and ``column`` of this table."""
        number = row.number if isinstance(row, Row) else row
        col = self.column(column) if column is not None and column in self.header else None
        return InputError(message, path=self.display, line=number, column=col)


def _decode_csv(data: bytes, display: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        # Excel on Swedish Windows saves "CSV" as Windows-1252.
        return data.decode("cp1252")
    except UnicodeDecodeError as err:
        raise InputError(
            "the file is neither UTF-8 nor Windows-1252 text; save it as 'CSV UTF-8' from Excel",
            path=display,
        ) from err


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: (counts[d], -_DELIMITERS.index(d)))
    return best if counts[best] else ","


def _read_csv(data: bytes, display: str) -> list[tuple[int, list[str]]]:
    text = _decode_csv(data, display)
    if "\x00" in text:
        raise InputError("the file contains NUL bytes; it is not a CSV text file", path=display)
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first))
    rows: list[tuple[int, list[str]]] = []
    try:
        for cells in reader:
            rows.append((reader.line_num, [cell.strip() for cell in cells]))
    except csv.Error as err:
        raise InputError(f"malformed CSV: {err}", path=display, line=reader.line_num) from None
    return rows


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def fold_name(text: str) -> str:
    """A column or sheet name compared loosely: case, accents, ``_``/``-`` and spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().replace("_", " ").replace("-", " ").split())


def _pick_sheet(titles: list[str], wanted: Sequence[str]) -> int:
    """The index of the first sheet named like one of ``wanted`` (else the first sheet)."""
    names = {fold_name(name) for name in wanted}
    return next((i for i, title in enumerate(titles) if fold_name(title) in names), 0)


MAX_XLSX_EXPANDED = 64 * 1024 * 1024
"""Most bytes a workbook's XML parts may expand to (a zip bomb is refused before reading)."""
MAX_SHEET_ROWS = 150_000
MAX_SHEET_COLUMNS = 1_000
_XML_ERRORS: tuple[type[BaseException], ...] = (
    BadZipFile, KeyError, OSError, ValueError, SyntaxError, EOFError, zlib.error)
"""What a broken or hostile workbook raises while read (defusedxml's refusals of entity
declarations are ValueErrors, the XML parser's errors SyntaxErrors)."""


def _check_archive(data: bytes, display: str) -> None:
    """Refuse a workbook whose XML expands past ``MAX_XLSX_EXPANDED`` (sizes from the zip
    directory; ``zipfile`` never inflates a member past its recorded size)."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            expanded = sum(info.file_size for info in archive.infolist()
                           if not info.filename.lower().startswith("xl/media/"))
    except (BadZipFile, OSError, ValueError) as err:
        raise InputError(message("safety_xlsx_unreadable", reason=str(err)),
                         path=display) from None
    if expanded > MAX_XLSX_EXPANDED:
        raise InputError(message("safety_xlsx_expands", size=grouped(expanded // 2**20),
                                 limit=grouped(MAX_XLSX_EXPANDED // 2**20)), path=display)


def _check_dimension(sheet: Any, display: str) -> None:
    """Refuse a sheet whose recorded used range is past the row or column limit."""
    rows, columns = sheet.max_row, sheet.max_column
    if (rows or 0) > MAX_SHEET_ROWS or (columns or 0) > MAX_SHEET_COLUMNS:
        from openpyxl.utils import get_column_letter

        raise InputError(message(
            "safety_sheet_too_big", sheet=sheet.title,
            cell=f"{get_column_letter(columns or 1)}{rows or 1}",
            rows=grouped(MAX_SHEET_ROWS), columns=grouped(MAX_SHEET_COLUMNS)), path=display)


def _sheet_rows(sheet: Any, display: str) -> list[tuple[int, list[str]]]:
    """The sheet's rows as text, refused at the first row or cell past the limits (a
    sheet without a recorded used range is bounded as it is read)."""
    rows: list[tuple[int, list[str]]] = []
    for number, values in enumerate(
            sheet.iter_rows(max_row=MAX_SHEET_ROWS + 1, values_only=True), start=1):
        width = len(values)
        while width and values[width - 1] is None:
            width -= 1
        if number > MAX_SHEET_ROWS or width > MAX_SHEET_COLUMNS:
            _check_dimension_at(sheet, display, number, width)
        rows.append((number, [_cell_text(v) for v in values[:width]]))
    return rows


def _check_dimension_at(sheet: Any, display: str, row: int, column: int) -> None:
    from openpyxl.utils import get_column_letter

    raise InputError(message(
        "safety_sheet_too_big", sheet=sheet.title,
        cell=f"{get_column_letter(min(column, 16_384) or 1)}{row}",
        rows=grouped(MAX_SHEET_ROWS), columns=grouped(MAX_SHEET_COLUMNS)),
        path=display, line=row, column=column if column > MAX_SHEET_COLUMNS else None)


def _read_xlsx(data: bytes, display: str, sheets: Sequence[str] = ()
               ) -> tuple[str, list[tuple[int, list[str]]]]:
    _check_archive(data, display)
    from openpyxl import load_workbook  # heavy: only for an .xlsx file

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except _XML_ERRORS as err:
        raise InputError(message("safety_xlsx_unreadable", reason=_reason(err)),
                         path=display) from None
    try:
        sheet = book.worksheets[_pick_sheet(book.sheetnames, sheets)]
        _check_dimension(sheet, display)
        return sheet.title, _sheet_rows(sheet, display)
    except _XML_ERRORS as err:
        raise InputError(message("safety_xlsx_unreadable", reason=_reason(err)),
                         path=display) from None
    finally:
        book.close()


def _reason(err: BaseException) -> str:
    """An exception in one line; defusedxml's refusal (perhaps wrapped by openpyxl) in
    plain words."""
    cause: BaseException | None = err
    while cause is not None:
        if type(cause).__module__.startswith("defusedxml"):
            return message("safety_xlsx_entities")
        cause = cause.__cause__ or cause.__context__
    lines = str(err).strip().splitlines()
    return lines[0].rstrip(".:") if lines else type(err).__name__


def read_table(
    path: Path,
    *,
    required: Sequence[str],
    optional: Sequence[str] = (),
    allow_extra: bool = False,
    display: str | None = None,
    aliases: Mapping[str, str] | None = None,
    sheets: Sequence[str] = (),
) -> Table:
    """Read a CSV or XLSX file whose first non-empty row is a header.

    ``required`` columns must be present, ``optional`` ones may be; any other column is an
    error unless ``allow_extra``. Header names are matched case-insensitively, and through
    ``aliases`` (a folded name, see ``fold_name``, to the canonical one). In a workbook the
    sheet named like one of ``sheets`` is read, else the first.
    """
    shown = display or str(path)
    suffix = path.suffix.lower()
    if suffix not in {".csv", ".txt", ".xlsx", ".xlsm"}:
        raise UsageError(f"{shown}: unsupported file type {suffix or '(none)'}; use .csv or .xlsx")
    data = read_bytes(path, shown)
    sheet: str | None = None
    if suffix in {".xlsx", ".xlsm"}:
        sheet, raw = _read_xlsx(data, shown, sheets)
    else:
        raw = _read_csv(data, shown)
    raw = [(n, cells) for n, cells in raw if any(cells)]
    if not raw:
        raise InputError("the file is empty; expected a header row", path=shown)
    header_line, header_cells = raw[0]
    written = [cell.strip() for cell in header_cells]
    while written and not written[-1]:
        written.pop()
    by_alias = aliases or {}
    header = [by_alias.get(fold_name(name), name.lower()) for name in written]
    _check_header(header, header_line, required, optional, allow_extra, shown)
    known = {*required, *optional}
    unknown = tuple(w for w, h in zip(written, header, strict=True) if h not in known)
    rows: list[Row] = []
    for number, cells in raw[1:]:
        extra_cells = [c for c in cells[len(header):] if c]
        if extra_cells:
            raise InputError(
                f"the row has {len(header) + len(extra_cells)} values but the header has "
                f"{len(header)} columns",
                path=shown, line=number, column=len(header) + 1,
            )
        padded = [*cells, *[""] * (len(header) - len(cells))]
        rows.append(Row(number, dict(zip(header, padded, strict=False))))
    return Table(shown, header, rows, unknown, sheet)


def _check_header(
    header: list[str],
    line: int,
    required: Sequence[str],
    optional: Sequence[str],
    allow_extra: bool,
    display: str,
) -> None:
    seen: set[str] = set()
    for index, name in enumerate(header, start=1):
        if not name:
            raise InputError("a column in the header row has no name", path=display, line=line,
                             column=index)
        if name in seen:
            raise InputError(f"the column {name!r} appears twice in the header row",
                             path=display, line=line, column=index)
        seen.add(name)
    missing = [name for name in required if name not in seen]
    if missing:
        raise InputError(
            f"missing column(s) {', '.join(missing)} in the header row "
            f"(found: {', '.join(header)})",
            path=display, line=line,
        )
    if not allow_extra:
        known = {*required, *optional}
        for index, name in enumerate(header, start=1):
            if name not in known:
                expected = ", ".join([*required, *optional])
                raise InputError(
                    f"unknown column {name!r} in the header row (expected: {expected})",
                    path=display, line=line, column=index,
                )
