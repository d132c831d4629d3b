"""``studsa render``: the project's reports in Markdown, HTML, Word and PDF.

Find what to render (I/O) → build each report's context (pure) → render every Markdown
text in memory (a broken template stops everything before anything is written) → convert
and write each file atomically. Output is byte-identical on re-render.
"""

from __future__ import annotations

import datetime as dt
import importlib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from studsa.errors import InputError, StudsaError, UsageError, WriteError
from studsa.i18n import message
from studsa.report import builders
from studsa.report.css import Running
from studsa.report.env import ReportEnvironment, TemplateSource, make_environment
from studsa.storage.gate import out_target, resolved
from studsa.storage.layout import REPORTS_DIR, TEMPLATES_DIR
from studsa.storage.made import MadeFiles, write_made_set
from studsa.workflow import contexts
from studsa.workflow.context import Workspace

REPORTS: tuple[str, ...] = (
    "uppdragsbeskrivning",
    "utmaningskarta",
    "strategi",
    "handlingsplan",
    "lagesbild",
    "remissammanstallning",
    "tjansteskrivelse",
    "workshop",
)
FORMATS: tuple[str, ...] = ("md", "html", "docx", "pdf")
# Reports whose data may not exist yet: skipped with a note when rendering all.
OPTIONAL = {"lagesbild", "remissammanstallning", "workshop"}
# Of those, the ones ``render all`` leaves out without a note (most projects never hold one).
QUIET = {"workshop"}
# Folders that hold the project's sources; reports are never written into them.
SOURCE_FOLDERS = ("remiss", TEMPLATES_DIR, ".git", ".studsa")
_CONVERTERS = {
    "html": ("studsa.report.html", "to_html"),
    "docx": ("studsa.report.docx", "to_docx"),
    "pdf": ("studsa.report.pdf", "to_pdf"),
}

Progress = Callable[[int, int, Path], None]


@dataclass(frozen=True)
class Skipped:
    """A report left out of ``render all`` because its data does not exist yet."""

    report: str
    reason: str


@dataclass
class ReportSelection:
    """Which reports to render, and which were skipped (with why)."""

    reports: list[str]
    skipped: list[Skipped] = field(default_factory=list)


@dataclass(frozen=True)
class RenderedReport:
    """One report rendered to Markdown, with what its conversions need."""

    report: str
    stem: str
    title: str
    markdown: str
    figures: dict[str, str]
    doc_type: str | None = None
    """What the document is ("Handlingsplan"), for the Word header."""
    date: dt.date | None = None
    """The report's own date (memo or decision), None for a draft."""
    running: Running | None = None
    """The printed page's running header and page number (HTML and PDF)."""


def _fold(name: str) -> str:
    text = unicodedata.normalize("NFKD", name.strip().lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def report_name(name: str) -> str:
    """Resolve ``lägesbild`` / ``lagesbild`` to a report id, or raise ``UsageError``."""
    wanted = _fold(name)
    if wanted in REPORTS:
        return wanted
    raise UsageError(message("err_unknown_report", name=name, choices=", ".join(REPORTS)))


def select_reports(ws: Workspace, what: list[str] | None, period: str | None = None
                   ) -> ReportSelection:
    """Resolve the asked-for reports; unavailable ones are skipped (all) or an error (named)."""
    named = [report_name(w) for w in what or [] if _fold(w) != "all"]
    everything = not named
    wanted = list(REPORTS) if everything else sorted(set(named), key=REPORTS.index)
    selection = ReportSelection(reports=[])
    for report in wanted:
        reason = contexts.unavailable(ws, report, period) if report in OPTIONAL else None
        if reason is None:
            selection.reports.append(report)
        elif everything and report in QUIET:
            continue
        elif everything and not (report == "lagesbild" and period):
            selection.skipped.append(Skipped(report, reason))
        else:
            raise UsageError(message("err_cannot_render", report=report, reason=reason))
    return selection


def check_formats(formats: list[str]) -> list[str]:
    """Validate the formats and check that each converter is installed."""
    result: list[str] = []
    for fmt in formats:
        fmt = fmt.strip().lower()
        if fmt not in FORMATS:
            raise UsageError(message("err_unknown_format", fmt=fmt, choices=", ".join(FORMATS)))
        if fmt != "md":
            converter(fmt)
        if fmt not in result:
            result.append(fmt)
    return result or ["md"]


def converter(fmt: str) -> Callable[..., Any]:
    """The function that converts to ``fmt`` (from ``studsa.report.<fmt>``)."""
    module_name, attr = _CONVERTERS[fmt]
    try:
        module = importlib.import_module(module_name)
        function = getattr(module, attr)
    except (ModuleNotFoundError, AttributeError):
        raise UsageError(message("err_format_missing", fmt=fmt)) from None
    available = getattr(module, "available", None)
    if callable(available):
        available()  # raises a StudsaError saying how to install what is missing
    return function  # type: ignore[no-any-return]


def out_folder(ws: Workspace, out_dir: Path | None) -> Path:
    """The folder reports go to: ``rapporter/`` or ``--out``; never a source folder."""
    root = resolved(ws.root)
    if out_dir is None:
        target = resolved(root / REPORTS_DIR)
        if root not in target.parents:
            raise WriteError(message("err_reports_link", folder=REPORTS_DIR),
                             path=str(root / REPORTS_DIR))
        return target
    target = resolved(out_dir)
    if target == root:
        raise UsageError(message("err_reports_into_root", folder=REPORTS_DIR))
    sources = [root / name for name in SOURCE_FOLDERS]
    templates = ws.project.model.templates
    if templates:
        shared = Path(templates).expanduser()
        sources.append(shared if shared.is_absolute() else root / shared)
    return out_target(out_dir, folder=True, extra_sources=sources)


def environment(ws: Workspace) -> ReportEnvironment:
    """The report environment of the project (its template folders, language, org unit)."""
    project = ws.project.model
    return make_environment(ws.root, ws.language, project.templates, project.org_unit)


def list_templates(ws: Workspace) -> list[TemplateSource]:
    """Which template each report uses, and where it comes from."""
    env = environment(ws)
    return [env.source(report) for report in REPORTS]


def render_markdown(ws: Workspace, reports: list[str], period: str | None = None
                    ) -> list[RenderedReport]:
    """Render each report's Markdown in memory (no file is touched)."""
    env = environment(ws)
    shared = contexts.ContextBuilder(ws)
    rendered: list[RenderedReport] = []
    for report in reports:
        context = shared.build(report, env.labels, period)
        env.source(report)
        markdown = env.render(report, builders.variables(context))
        rendered.append(RenderedReport(
            report=report,
            stem=builders.stem(report, context),
            title=builders.title(context),
            markdown=_normalise(markdown),
            figures=builders.figures(context),
            doc_type=context.doc.title,
            date=builders.document_date(context),
            running=builders.running(context, env.labels),
        ))
    return rendered


def _normalise(text: str) -> str:
    """One trailing newline and no run of more than one blank line."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    out: list[str] = []
    for line in lines:
        if line == "" and (not out or out[-1] == ""):
            continue
        out.append(line)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def _outputs(ws: Workspace, item: RenderedReport, formats: list[str]
             ) -> list[tuple[str, Callable[[], bytes]]]:
    """(file name, producer of its bytes) for one report in every format asked for."""
    lang = ws.language
    project = ws.project.model
    files: list[tuple[str, Callable[[], bytes]]] = []
    if "md" in formats:
        files.append((f"{item.stem}.md", lambda: item.markdown.encode("utf-8")))
        for name, svg in sorted(item.figures.items()):
            files.append((name, partial(svg.encode, "utf-8")))
    html_text: list[str] = []

    def html() -> str:
        if not html_text:
            to_html = converter("html")
            html_text.append(to_html(item.markdown, lang=lang, title=item.title,
                                     figures=item.figures, running=item.running))
        return html_text[0]

    if "html" in formats:
        files.append((f"{item.stem}.html", lambda: html().encode("utf-8")))
    if "docx" in formats:
        reference = _reference_docx(ws, project.reference_docx)
        files.append((f"{item.stem}.docx", lambda: converter("docx")(
            item.markdown, lang=lang, title=item.title, organisation=project.organisation,
            reference_docx=reference, doc_type=item.doc_type,
            administration=project.administration, dnr=project.dnr,
            date=item.date or ws.today, figures=item.figures)))
    if "pdf" in formats:
        files.append((f"{item.stem}.pdf", lambda: converter("pdf")(
            html(), lang=lang, title=item.title)))
    return files


def _reference_docx(ws: Workspace, name: str | None) -> Path | None:
    if not name:
        return None
    problem = reference_problem(ws, name)
    if problem is not None:
        line, column = ws.project.locate(["reference_docx"])
        raise InputError(problem, path=ws.project.display, line=line, column=column)
    return reference_path(ws, name)


def reference_problem(ws: Workspace, name: str) -> str | None:
    """Why ``reference_docx: name`` cannot be used (a sentence), or None when it can."""
    from studsa.report.ooxml import reference_problem as not_word

    path = reference_path(ws, name)
    if not path.is_file():
        return message("err_reference_docx_missing", name=name)
    reason = not_word(path)
    return None if reason is None else message("docx_reference_not_word", name=name,
                                               reason=reason)


def reference_path(ws: Workspace, name: str) -> Path:
    """Where ``reference_docx`` points (relative to the project folder)."""
    path = Path(name).expanduser()
    return path if path.is_absolute() else ws.root / path


def figure_note(formats: list[str], rendered: list[RenderedReport]) -> str | None:
    """The warning when Word files will lack their figures (CairoSVG missing), else None.

    CairoSVG is imported only when a Word file has a figure to draw: a report without one
    never pays for loading it.
    """
    if "docx" not in formats or not any(item.figures for item in rendered):
        return None
    from studsa.report import raster

    reason = raster.missing()
    return message("docx_figures_missing", reason=reason) if reason else None


def render_reports(
    ws: Workspace,
    reports: list[str] | None = None,
    formats: list[str] | None = None,
    out_dir: Path | None = None,
    period: str | None = None,
    progress: Progress | None = None,
    *,
    force: bool = False,
    warn: Callable[[str], None] | None = None,
) -> list[Path]:
    """Render reports (default: all available) to ``out_dir``; return the paths written.

    A file there that studsa did not make (or that was edited since) is kept, and nothing
    is written, unless ``force``. ``warn`` hears what a format will lack here (once)."""
    formats = check_formats(formats or ["md"])
    target = out_folder(ws, out_dir)
    if reports is None:
        chosen = select_reports(ws, None, period).reports
    elif reports:
        chosen = select_reports(ws, list(reports), period).reports
    else:
        chosen = []
    rendered = render_markdown(ws, chosen, period)
    note = figure_note(formats, rendered)
    if note is not None and warn is not None:
        warn(note)
    jobs = [job for item in rendered for job in _outputs(ws, item, formats)]
    written: list[Path] = []
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise WriteError(message("err_cannot_create_folder", reason=err.strerror or err),
                         path=str(target)) from None
    made = MadeFiles(target)
    outputs: list[tuple[Path, bytes]] = []
    for index, (name, produce) in enumerate(jobs, start=1):
        path = target / name
        data = produce()
        # Checked before the first report is written: a refusal changes nothing.
        made.needs_write(path, data, force=force, shown=_shown(ws, path))
        outputs.append((path, data))
        if progress is not None:
            progress(index, len(jobs), path)
    # The whole report set and the record of it, together: never half old, half new.
    write_made_set([(path, data, _shown(ws, path)) for path, data in outputs], made,
                   allowed=[target], force=True)
    written.extend(path for path, _ in outputs)
    return written


def _shown(ws: Workspace, path: Path) -> str:
    try:
        return path.resolve().relative_to(ws.root.resolve()).as_posix()
    except ValueError:
        return str(path)


__all__ = [
    "FORMATS",
    "REPORTS",
    "RenderedReport",
    "ReportSelection",
    "Skipped",
    "StudsaError",
    "figure_note",
    "list_templates",
    "render_markdown",
    "render_reports",
    "select_reports",
]
