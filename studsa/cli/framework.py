"""Typer's own words (panel titles, ``[required]``, "Try … for help") in the user's language.

Typer marks its few texts for translation with the standard library's ``gettext`` in the
default ``messages`` domain. Their translations are an area of the one catalog
(``framework.json``: the English text is Typer's own message id), compiled by Babel into
``studsa/locale/<language>/LC_MESSAGES/messages.mo``, a file shipped with the package and
made anew with ``python -m studsa.cli.framework`` when the area changes (a test checks that
it matches). Choosing the language sets ``LANGUAGE`` for this process, which is how gettext
is told; a child process (git) then speaks the same language.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

from studsa.i18n import LANGUAGES, labels

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "messages"
SOURCE_LANGUAGE = "en"  # Typer's own texts are the message ids
PREFIX = "fw_"


def use(language: str) -> None:
    """Make Typer's gettext texts speak ``language`` from here on in this process."""
    os.environ["LANGUAGE"] = language
    gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))


def translations(language: str) -> dict[str, str]:
    """Typer's message ids and their text in ``language``, from the catalog."""
    source, target = labels(SOURCE_LANGUAGE), labels(language)
    return {source[key]: target[key] for key in source if key.startswith(PREFIX)}


def mo_path(language: str) -> Path:
    """Where the compiled translations of ``language`` are shipped."""
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo"


def write_mo(language: str) -> Path:
    """Compile the catalog's framework area for ``language`` with Babel."""
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo as babel_write_mo

    catalog = Catalog(locale=language, domain=DOMAIN, project="studsa")
    for message_id, text in translations(language).items():
        catalog.add(message_id, text)
    path = mo_path(language)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as stream:
        babel_write_mo(stream, catalog)
    return path


if __name__ == "__main__":
    for name in LANGUAGES:
        if name != SOURCE_LANGUAGE:
            print(write_mo(name))
