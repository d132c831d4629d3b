"""The one Jinja environment for reports: built-in templates, overridable by file name.

Templates are looked up, by file name, in the project's ``mallar/`` folder, then in the
folder named by ``templates:`` in ``studsa.yaml`` (e.g. one shared by the municipality),
then among the built-in ones. A template can reach the built-in of the same name as
``builtin/<name>`` (to ``{% extends %}`` it). Every template runs in Jinja's sandbox with
``StrictUndefined``; any error becomes a ``TemplateProblemError`` naming file and line.

A user's template folder gives only regular ``.j2`` files that lie inside it (a link out of
the folder, a pipe or a file that is not a template is refused), and a render has a budget
(``budget.Budget``): loop steps through ``range``, huge ``*``/``**`` results, output size
and time; a report with a character no file can hold (NUL, a lone surrogate) is refused.
"""

from __future__ import annotations

import dataclasses
import re
import traceback
import types
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    TemplateNotFound,
    TemplateSyntaxError,
)
from jinja2.sandbox import SandboxedEnvironment

from studsa.errors import InputError
from studsa.i18n import CATALOG, labels, locale_of
from studsa.report.budget import Budget, BudgetError, budgeted_binop, budgeted_range
from studsa.report.format import Formatter
from studsa.report.units import unit_forms, with_units
from studsa.resources import templates_dir
from studsa.storage.layout import PROJECT_FILE, TEMPLATES_DIR

TEMPLATE_SUFFIX = ".md.j2"
BUILTIN = "built-in"


class TemplateProblemError(InputError):
    """A report template failed to load or render; nothing was written."""


@dataclass(frozen=True)
class TemplateDir:
    """A folder of templates and how to name it in messages."""

    path: Path
    origin: str
    display: str


@dataclass(frozen=True)
class TemplateSource:
    """Where the template of one report comes from."""

    report: str
    name: str
    origin: str
    path: Path
    display: str


# Values that Jinja's sandbox inspects further (it wraps ``str.format`` methods).
_METHODS = (types.MethodType, types.BuiltinMethodType)
# Read-only mappings (the labels ``t``) whose keys templates read as ``t.name``.
_MAPPINGS = {kind: frozenset(dir(kind)) for kind in (dict, types.MappingProxyType)}
# Type → its public dataclass field names (empty for other types); filled on first use.
_FIELDS: dict[type, frozenset[str]] = {}


class _FolderLoader(BaseLoader):
    """The ``.j2`` templates of one user folder: regular files that resolve inside it."""

    def __init__(self, folder: TemplateDir) -> None:
        self.folder = folder

    def get_source(self, environment: Environment, template: str
                   ) -> tuple[str, str, Any]:
        from jinja2.loaders import split_template_path

        from studsa.i18n import message

        path = self.folder.path.joinpath(*split_template_path(template))
        if not (path.exists() or path.is_symlink()):
            raise TemplateNotFound(template)
        shown = self.folder.display + template
        if not template.endswith(".j2"):
            raise TemplateProblemError(message("safety_template_not_j2", name=template),
                                       path=shown)
        real = path.resolve()
        if not real.is_relative_to(self.folder.path):
            raise TemplateProblemError(message("safety_template_link_out", target=str(real)),
                                       path=shown)
        from studsa.storage.files import read_text

        try:
            text = read_text(real, shown).text  # regular files only, size-limited, UTF-8
        except InputError as err:
            raise TemplateProblemError(err.message, path=shown) from None
        return text, str(real), lambda: True


class ReportSandbox(SandboxedEnvironment):
    """Jinja's sandbox, with a short path to the fields of the report's data objects.

    Reports read tens of thousands of dataclass fields (``c.title``) and labels
    (``t.overview``). For those the sandbox's checks always pass (a field not starting
    with ``_`` of a dataclass instance is never an internal attribute), so the value is
    returned at once; a method value, anything else and every other object take the
    sandbox's own path, unchanged.
    """

    # ``*`` and ``**`` go through ``call_binop`` (and are never folded at compile time),
    # so a template cannot make a text or a number too big to hold.
    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        """``left <operator> right`` within the render's budget."""
        return budgeted_binop(operator, left, right)

    def getattr(self, obj: Any, attribute: str) -> Any:
        """``obj.attribute`` as the sandbox allows it."""
        kind = type(obj)
        names = _FIELDS.get(kind)
        if names is None:
            names = _FIELDS[kind] = _data_fields(kind)
        if attribute in names:
            try:
                value = getattr(obj, attribute)
            except AttributeError:
                return super().getattr(obj, attribute)
            if not isinstance(value, _METHODS):
                return value
        else:
            attributes = _MAPPINGS.get(kind)
            if attributes is not None and attribute not in attributes:
                try:
                    return obj[attribute]
                except LookupError:
                    pass
        return super().getattr(obj, attribute)


def _data_fields(kind: type) -> frozenset[str]:
    """The public field names of a dataclass type (none for anything else)."""
    if not dataclasses.is_dataclass(kind) or issubclass(kind, type):
        return frozenset()
    return frozenset(f.name for f in dataclasses.fields(kind) if not f.name.startswith("_"))


def template_dirs(root: Path, project_templates: str | None) -> list[TemplateDir]:
    """The folders searched for templates, highest precedence first."""
    dirs: list[TemplateDir] = []
    local = root / TEMPLATES_DIR
    if local.is_dir():
        real = local.resolve()
        if not real.is_relative_to(root.resolve()):  # mallar/ itself a link out
            from studsa.i18n import message

            raise TemplateProblemError(message("safety_template_link_out", target=str(real)),
                                       path=f"{TEMPLATES_DIR}/")
        dirs.append(TemplateDir(real, TEMPLATES_DIR, f"{TEMPLATES_DIR}/"))
    if project_templates:
        shared = Path(project_templates).expanduser()
        shared = shared if shared.is_absolute() else root / shared
        if not shared.is_dir():
            raise InputError(
                f"the templates folder {project_templates!r} named in {PROJECT_FILE} "
                "does not exist",
                path=PROJECT_FILE,
                hint="fix or remove the `templates:` line",
            )
        shared = shared.resolve()
        if all(shared != d.path for d in dirs):
            dirs.append(TemplateDir(shared, "templates", _display(shared, root)))
    builtin = templates_dir().resolve()
    dirs.append(TemplateDir(builtin, BUILTIN, BUILTIN))
    return dirs


def _display(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root.resolve()).as_posix() + "/"
    except ValueError:
        return str(path) + "/"


class ReportEnvironment:
    """A sandboxed Jinja environment bound to one project's template folders and language."""

    def __init__(self, dirs: list[TemplateDir], language: str, root: Path,
                 org_unit: str | None = None) -> None:
        self.dirs = dirs
        self.root = root.resolve()
        self.language = language
        catalog = labels(language)
        forms = unit_forms(org_unit, catalog, CATALOG)
        self.labels: Mapping[str, str] = with_units(catalog, forms)
        self.unit = forms["unit"]
        """The project's org-unit term (``avdelning``, ``nämnd`` …), for tables of data."""
        builtin = next(d.path for d in dirs if d.origin == BUILTIN)
        loaders: list[Any] = [_FolderLoader(d) for d in dirs if d.origin != BUILTIN]
        loaders.append(PrefixLoader({"builtin": FileSystemLoader(str(builtin))}))
        loaders.append(FileSystemLoader(str(builtin)))
        self.env = ReportSandbox(
            loader=ChoiceLoader(loaders),
            undefined=StrictUndefined,
            autoescape=False,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,
        )
        self.env.filters.update(Formatter(language, locale_of(language)).filters())
        self.env.globals["range"] = budgeted_range

    def source(self, report: str) -> TemplateSource:
        """Where the template of ``report`` is found."""
        name = report + TEMPLATE_SUFFIX
        for folder in self.dirs:
            path = folder.path / name
            if path.exists() or path.is_symlink():  # a pipe or a link out: refused on render
                display = BUILTIN if folder.origin == BUILTIN else folder.display + name
                return TemplateSource(report, name, folder.origin, path, display)
        raise TemplateProblemError(f"no template {name} (looked in {self._looked()})")

    def _looked(self) -> str:
        return ", ".join(d.display for d in self.dirs)

    def render(self, report: str, context: Mapping[str, Any],
               budget: Budget | None = None) -> str:
        """Render the report's template with ``context`` and the labels as ``t``, within
        ``budget`` (the default one when None)."""
        name = report + TEMPLATE_SUFFIX
        budget = budget or Budget()
        try:
            template = self.env.get_template(name)
            with budget.running():
                text = "".join(budget.chunks(template.generate({**context, "t": self.labels})))
            check_output(text, self._where(template.filename, name))
            return text
        except TemplateProblemError:
            raise
        except BudgetError as err:
            filename, line = _template_frame(err)
            raise TemplateProblemError(str(err), path=self._where(filename, name),
                                       line=line) from None
        except TemplateSyntaxError as err:
            raise TemplateProblemError(
                f"template syntax error: {err.message}",
                path=self._where(err.filename, err.name),
                line=err.lineno,
            ) from None
        except TemplateNotFound as err:
            raise TemplateProblemError(
                f"template {err.name} not found (looked in {self._looked()})",
                path=self._where(None, name),
            ) from None
        except RecursionError:
            raise TemplateProblemError(
                "the template calls itself without end", path=self._where(None, name)
            ) from None
        except Exception as err:  # any failure inside a template is the template's
            filename, line = _template_frame(err)
            raise TemplateProblemError(
                f"template error: {_describe(err)}",
                path=self._where(filename, name),
                line=line,
            ) from None

    def _where(self, filename: str | None, name: str | None) -> str:
        if filename:
            path = Path(filename).resolve()
            for folder in self.dirs:
                if folder.path in path.parents:
                    rel = path.relative_to(folder.path).as_posix()
                    if folder.origin == BUILTIN:
                        return f"{BUILTIN} template {rel}"
                    return folder.display + rel
            return filename
        return name or "?"


_UNWRITABLE = re.compile("[\x00\ud800-\udfff\ufffe\uffff]")


def check_output(text: str, where: str) -> None:
    """Refuse a report holding a character no report file can hold (NUL, a surrogate)."""
    from studsa.i18n import message as label

    found = _UNWRITABLE.search(text)
    if found:
        line = text.count("\n", 0, found.start()) + 1
        raise TemplateProblemError(label("safety_template_bad_char",
                                           char=f"U+{ord(found.group()):04X}", line=line),
                                   path=where)


def _describe(err: Exception) -> str:
    text = str(err) or type(err).__name__
    return text.replace("jinja2.exceptions.", "")


def _template_frame(err: BaseException) -> tuple[str | None, int | None]:
    """The innermost traceback frame that belongs to a template file."""
    found: tuple[str | None, int | None] = (None, None)
    for frame in traceback.extract_tb(err.__traceback__):
        if frame.filename.endswith(".j2"):
            found = (frame.filename, frame.lineno)
    return found


def make_environment(root: Path, language: str, project_templates: str | None,
                     org_unit: str | None = None) -> ReportEnvironment:
    """Build the report environment of a project (its folders, language and org-unit term)."""
    return ReportEnvironment(template_dirs(root, project_templates), language, root, org_unit)
