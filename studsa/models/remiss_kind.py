"""The ``remiss`` file kind, registered with the storage layout without loading its models.

``studsa status`` and validation ask whether a project has remiss rounds before they load
the models of one; ``studsa.models.remiss`` re-exports ``REMISS``.
"""

from __future__ import annotations

from studsa.storage.layout import FileKind, register_kind

REMISS = register_kind(FileKind("remiss", "studsa.models.remiss.Remiss", 1, "remiss", None))
