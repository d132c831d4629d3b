"""The one YAML writer: ruamel.yaml round trip, so comments, order and quoting are kept.

Files are read by ``reader``; this module parses a text the reader accepted into
ruamel's round-trip tree only when a file is saved (``parse_tree``), so changes merge into
the user's layout, and writes trees back (``dump_yaml``). Plain scalars stay the text the
user wrote (``PlainScalar``), as the reader gives them, and are written back unquoted.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.scalarstring import (
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

from studsa.errors import InputError
from studsa.storage.reader import PlainScalar, parse

__all__ = ["check_dumped", "dump_yaml", "make_yaml", "parse_tree"]

_DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


class _TextConstructor(RoundTripConstructor):  # type: ignore[misc]
    """Round-trip constructor that keeps implicit ints, floats, bools and dates as text."""

    def construct_as_text(self, node: Any) -> PlainScalar:
        return PlainScalar(node.value)


for _tag in ("int", "float", "bool", "timestamp"):
    _TextConstructor.add_constructor(
        f"tag:yaml.org,2002:{_tag}", _TextConstructor.construct_as_text
    )


def _represent_plain(representer: RoundTripRepresenter, data: PlainScalar) -> ScalarNode:
    # Emit with the tag a plain scalar of this text resolves to, so it stays unquoted.
    tag = representer.dumper.resolver.resolve(ScalarNode, str(data), (True, False))
    return representer.represent_scalar(tag, str(data))


# What a literal block (``|``) can hold as is: printable characters, tabs and ``\n`` only.
# Anything else (control characters, ``\r``, NEL, U+2028/9) is written double-quoted with
# escapes, so the file always reads back as the same text.
_NOT_LITERAL_SAFE = re.compile("[^\t\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd"
                               "\U00010000-\U0010ffff]")
_NOT_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd"
                            "\U00010000-\U0010ffff]")


def _double_quoted(representer: RoundTripRepresenter, data: str) -> ScalarNode:
    return representer.represent_scalar("tag:yaml.org,2002:str", str(data), style='"')


def _represent_str(representer: RoundTripRepresenter, data: str) -> ScalarNode:
    if _NOT_LITERAL_SAFE.search(data):
        # Control characters and line breaks YAML folds (\r, NEL, U+2028/9) only survive
        # escaped in double quotes.
        return _double_quoted(representer, data)
    if "\n" in data:
        return representer.represent_literal_scalarstring(LiteralScalarString(data))
    if _DATE_RE.match(data):
        return _represent_plain(representer, PlainScalar(data))
    return representer.represent_str(data)


def _represent_block(representer: RoundTripRepresenter, data: Any) -> ScalarNode:
    # ruamel keeps a key's old style when a new text is assigned; a ``|`` or ``>`` block
    # cannot hold control characters, so such text is written double-quoted instead.
    if _NOT_LITERAL_SAFE.search(str(data)):
        return _double_quoted(representer, str(data))
    if isinstance(data, FoldedScalarString):
        return representer.represent_folded_scalarstring(data)
    return representer.represent_literal_scalarstring(data)


def _represent_single(representer: RoundTripRepresenter, data: Any) -> ScalarNode:
    # Single quotes fold line breaks and cannot hold control characters.
    if _NOT_LITERAL_SAFE.search(str(data)) or "\n" in str(data):
        return _double_quoted(representer, str(data))
    return representer.represent_single_quoted_scalarstring(data)


def make_yaml() -> YAML:
    """Return the round-trip YAML instance every studsa file is read and written with."""
    yaml = YAML(typ="rt")
    yaml.Constructor = _TextConstructor
    yaml.preserve_quotes = True
    yaml.allow_duplicate_keys = False
    yaml.width = 4096
    yaml.allow_unicode = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.representer.add_representer(PlainScalar, _represent_plain)
    yaml.representer.add_representer(str, _represent_str)
    yaml.representer.add_representer(LiteralScalarString, _represent_block)
    yaml.representer.add_representer(FoldedScalarString, _represent_block)
    yaml.representer.add_representer(SingleQuotedScalarString, _represent_single)
    return yaml


def parse_tree(text: str) -> Any:
    """The round-trip tree of a text the reader accepted, to merge changes into and save."""
    yaml = make_yaml()
    try:
        return yaml.load(text)
    except (YAMLError, ValueError, TypeError, RecursionError) as err:  # pragma: no cover
        raise InputError(f"malformed YAML: {err}") from None


def check_dumped(text: str, path: Path | str | None = None) -> None:
    """Refuse to write YAML text that studsa could not read back: the text is read as the
    next command will read it (libyaml, the same limits; ~20 ms for 1,000 challenges)."""
    from studsa.errors import WriteError

    match = _NOT_PRINTABLE.search(text)
    if match:
        raise WriteError(
            f"studsa produced a character YAML cannot hold ({match.group()!r}); nothing "
            "was written (this is a bug in studsa, please report it)",
            path=path,
        )
    try:
        parse(text, path)
    except InputError as err:
        from studsa.i18n import message

        raise WriteError(message("safety_unreadable_result", reason=err.message),
                         path=path) from None


def dump_yaml(data: Any) -> str:
    """Serialise a round-trip tree (or plain data) to YAML text with ``\\n`` line endings."""
    stream = io.StringIO()
    make_yaml().dump(data, stream)
    return stream.getvalue()
