"""A project opened for one command: every file loaded lazily, at most once."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

from studsa.errors import StudsaError
from studsa.models.bedomning import Bedomning
from studsa.models.handlingsplan import Handlingsplan
from studsa.models.project import Project
from studsa.models.strategi import Strategi
from studsa.models.uppdrag import Uppdragsbeskrivning
from studsa.models.uppfoljning import Uppfoljning
from studsa.models.utmaningskarta import Utmaningskarta
from studsa.periods import sort_periods
from studsa.storage.document import Document
from studsa.storage.layout import BEDOMNING, KARTA, PLAN, STRATEGI, UPPDRAG, UPPFOLJNING
from studsa.storage.project import ProjectStore
from studsa.storage.together import Write


class Workspace:
    """Lazy access to a project's documents; each file is read once per command."""

    def __init__(self, store: ProjectStore, today: dt.date | None = None) -> None:
        self.store = store
        # The date deadlines are judged against; the CLI passes the real date, the core
        # never reads the clock (None: the project's own latest date is used).
        self.today = today

    @classmethod
    def open(cls, project: Path | None = None, *, write: bool = False) -> Workspace:
        """Open the project at ``project`` or the nearest one above the current folder.

        With ``write``, the project's write lock is taken before any file is read and held
        until ``close()``, so a whole read-modify-write command is one atomic step.
        """
        ws = cls(ProjectStore.discover(project))
        if write:
            ws.store.hold_lock()
        return ws

    def close(self) -> None:
        """Release the write lock taken by ``open(write=True)`` (safe to call twice)."""
        self.store.release_lock()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def writing(self) -> Iterator[Workspace]:
        """Hold the project's write lock for a read-modify-write inside this block."""
        with self.store.lock():
            yield self

    @property
    def root(self) -> Path:
        """The project folder."""
        return self.store.root

    @cached_property
    def project(self) -> Document[Project]:
        """``studsa.yaml``."""
        return self.store.project()

    @property
    def language(self) -> str:
        """The project language (``sv`` or ``en``)."""
        return str(self.project.model.language)

    @cached_property
    def uppdrag(self) -> Document[Uppdragsbeskrivning]:
        """Phase 1: the uppdragsbeskrivning."""
        return self.store.load(UPPDRAG)

    @cached_property
    def karta(self) -> Document[Utmaningskarta]:
        """Phase 2: the utmaningskarta."""
        return self.store.load(KARTA)

    @cached_property
    def strategi(self) -> Document[Strategi]:
        """Phase 3: the strategi (criteria, selection)."""
        return self.store.load(STRATEGI)

    @cached_property
    def bedomningar(self) -> list[Document[Bedomning]]:
        """Phase 3: every rater's assessment file, sorted by file name."""
        return [self.store.read(BEDOMNING, path) for path in self.store.files(BEDOMNING)]

    @cached_property
    def plan(self) -> Document[Handlingsplan]:
        """Phase 4: the handlingsplan."""
        return self.store.load(PLAN)

    @cached_property
    def uppfoljningar(self) -> list[Document[Uppfoljning]]:
        """Follow-up periods in time order (2021-T1, 2021-T2, 2021-T3, 2021, 2022-T1, …)."""
        docs = [self.store.read(UPPFOLJNING, path) for path in self.store.files(UPPFOLJNING)]
        order = {name: index for index, name in enumerate(sort_periods(
            [str(d.model.period) for d in docs]))}
        return sorted(docs, key=lambda d: order[str(d.model.period)])

    def save(self, *docs: Document[Any], extra: Sequence[Write] = ()) -> list[str]:
        """Save documents (stale-checked, under the project lock); return what was written.

        A change to a file a decided deliverable rests on beside its own (a rater's
        assessments under a decided strategi) starts that deliverable's next version as a
        draft, exactly as a change to the deliverable's own file does, in the same write.
        All the files are written together or not at all (``storage.together``); ``extra``
        are more files of the same set (the frozen copies of a decision).
        """
        listed = list(docs)
        owner = self._reopened_owner(listed)
        if owner is not None and all(doc is not owner for doc in listed):
            listed.append(owner)
        return self.store.save_all(listed, extra)

    def _reopened_owner(self, docs: list[Document[Any]]) -> Document[Any] | None:
        """The decided strategi, bumped to its next draft, when ``docs`` change assessments."""
        parts = [doc for doc in docs if doc.kind is BEDOMNING]
        if not parts:
            return None
        try:
            owner = self.strategi
        except StudsaError:
            return None  # an unreadable strategi: its own problem, reported elsewhere
        model = owner.model
        if model.status != "decided" or model.version != owner.original_version:
            return None
        if not any(doc.original_text is None or self.store.render_text(doc) != doc.original_text
                   for doc in parts):
            return None
        model.version += 1
        model.status = "draft"
        return owner
