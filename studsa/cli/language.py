"""The terminal's language, decided from the command line before the app is built.

``--help`` is written when the app is built (Typer reads every help text then), so the
language must be known before: ``--lang``, else STUDSA_LANG, else the ``language:`` of the
project the command would open (``-p``/``--project``, else the nearest ``studsa.yaml``
upwards; only that one file is read, with the one reader), else the locale.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from studsa import i18n

_PROJECT = ("-p", "--project")


def lang_option(argv: Sequence[str]) -> str | None:
    """The value of ``--lang`` in ``argv`` (``--lang sv`` or ``--lang=sv``), or None."""
    for index, token in enumerate(argv):
        if token == "--":
            break
        if token == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
        if token.startswith("--lang="):
            return token.partition("=")[2]
    return None


def project_option(argv: Sequence[str]) -> Path | None:
    """The folder given with ``-p``/``--project`` anywhere in ``argv``, or None."""
    for index, token in enumerate(argv):
        if token == "--":
            break
        if token in _PROJECT and index + 1 < len(argv):
            return Path(argv[index + 1])
        if token.startswith("--project="):
            return Path(token.partition("=")[2])
        if token.startswith("-p") and len(token) > 2 and not token.startswith("--"):
            return Path(token[2:])
    return None


def project_language(folder: Path | None) -> str | None:
    """The ``language:`` of the project at ``folder`` (or the nearest one), or None."""
    from studsa.errors import StudsaError
    from studsa.storage.layout import PROJECT_FILE
    from studsa.storage.reader import parse

    try:
        if folder is not None and folder.name == PROJECT_FILE:
            path: Path | None = folder
        else:
            # find_root's walk, without importing the project store (pydantic) for --help
            here = (folder or Path.cwd()).resolve()
            path = next((f / PROJECT_FILE for f in (here, *here.parents)
                         if (f / PROJECT_FILE).is_file()), None)
        if path is None:
            return None
        data = parse(path.read_text(encoding="utf-8"), path)
    except (OSError, UnicodeDecodeError, StudsaError):
        return None
    language = data.get("language") if isinstance(data, dict) else None
    return language if language in i18n.LANGUAGES else None


def choose(argv: Sequence[str]) -> None:
    """Set the terminal's language for the command line ``argv`` (see the module's text)."""
    i18n.override_language(lang_option(argv))
    if not i18n.overridden():
        i18n.use_language(project_language(project_option(argv)))
