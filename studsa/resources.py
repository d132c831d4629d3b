"""Locate the data shipped with studsa: built-in templates and bundled examples."""

from __future__ import annotations

from pathlib import Path

from studsa.i18n import message

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """Return the folder ``templates`` or ``examples``, installed or in a source checkout."""
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    checkout = _PACKAGE.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(message("err_data_missing", name=name))


def templates_dir() -> Path:
    """The built-in report templates."""
    return data_dir("templates")


def example_dir(name: str) -> Path:
    """A bundled example project by name (``malmo``)."""
    return data_dir("examples") / name


def example_names() -> list[str]:
    """Names of the bundled examples."""
    return sorted(p.name for p in data_dir("examples").iterdir() if (p / "studsa.yaml").is_file())
