"""Where a session lives on disk, all of it written through storage.

- the record, ``3-prioritera/workshop/<date>.yaml`` (round-trip YAML, atomic, locked),
  with the ballots of every closed round;
- the open round's ballots, ``3-prioritera/workshop/<date>.ballots.jsonl``: one line a
  ballot, on disk before the ballot is acknowledged (``storage.journal``), so a ballot costs
  the same at the end of a long round as at its start;
- the raters' files, ``3-prioritera/bedomningar/*.yaml``: each ballot is merged into its
  rater's file by challenge id, as ``studsa rate`` does (comments kept);
- the secrets, ``.studsa/workshop/<date>.json`` (git-ignored): the random secret every
  token is derived from and, in the pseudonymous mode only, the key from pseudonym to name.
  It is removed when the session is finished, so the key never outlives the session.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from studsa.errors import ConflictError, InputError
from studsa.i18n import labels
from studsa.ids import slugify
from studsa.models.bedomning import Assessment, Bedomning
from studsa.models.workshop import Ballot, WorkshopRecord
from studsa.scoring import CriterionSpec, parse_value
from studsa.storage.document import Document
from studsa.storage.files import atomic_write_bytes, project_lock, read_text
from studsa.storage.journal import append_entry, read_journal
from studsa.storage.layout import BEDOMNING, WORKSHOP
from studsa.storage.project import ProjectStore
from studsa.workflow.prioritize.rating import set_value

SECRETS_DIR = ".studsa/workshop"


class Files:
    """The session's files: its record, the raters' files and its secrets."""

    def __init__(self, store: ProjectStore, stem: str, language: str,
                 scales: dict[str, str]) -> None:
        self.store = store
        self.stem = stem
        self.language = language
        self.scales = scales
        self.record_path = store.path(WORKSHOP, stem)
        self.secrets_path = store.root / SECRETS_DIR / f"{stem}.json"
        self.journal_path = self.record_path.with_name(f"{stem}.ballots.jsonl")
        self._record: Document[Any] | None = None
        self._raters: dict[str, Path] | None = None

    # the record ---------------------------------------------------------------------------
    def load_record(self) -> WorkshopRecord | None:
        """The record on disk (None when this session has none yet), with the open round's
        ballots read back from the journal."""
        if not self.record_path.exists():
            return None
        self._record = self.store.read(WORKSHOP, self.record_path)
        record: WorkshopRecord = self._record.model.model_copy(deep=True)
        with project_lock(self.store.root):
            entries = read_journal(self.journal_path)
        rounds = {r.number: r for r in record.rounds if r.closed is None}
        for entry in entries:
            rnd = rounds.get(int(entry.get("round", 0)))
            if rnd is not None:
                rnd.ballots.append(Ballot.model_validate(
                    {k: v for k, v in entry.items() if k != "round"}))
        return record

    def save_record(self, record: WorkshopRecord) -> None:
        """Write the record (atomically, under the project lock); an open round's ballots
        are in the journal, not in the record."""
        rounds = [r if r.closed is not None else r.model_copy(update={"ballots": []})
                  for r in record.rounds]
        lean = record.model_copy(update={"rounds": rounds})
        if self._record is None:
            self._record = self.store.new(WORKSHOP, lean, self.record_path)
        self._record.model = lean
        self.store.save(self._record)

    def append_ballot(self, number: int, ballot: Ballot) -> None:
        """Put one ballot of round ``number`` on disk (the journal)."""
        entry = {"round": number, **ballot.model_dump(mode="json")}
        with project_lock(self.store.root):
            append_entry(self.journal_path, entry)

    # the secrets --------------------------------------------------------------------------
    def load_secrets(self) -> tuple[str, dict[str, str]] | None:
        """The secret and the pseudonyms' key, or None when there is no secrets file."""
        if not self.secrets_path.exists():
            return None
        raw = read_text(self.secrets_path, self.store.rel(self.secrets_path))
        try:
            data = json.loads(raw.text)
            return str(data["secret"]), {str(k): str(v) for k, v in data["names"].items()}
        except (ValueError, KeyError, TypeError, AttributeError):
            raise InputError(labels(self.language)["ws_err_secrets"],
                             path=self.store.rel(self.secrets_path)) from None

    def save_secrets(self, secret: str, names: dict[str, str]) -> None:
        """Write the secrets file (and the folder's ``.gitignore``)."""
        folder = self.secrets_path.parent
        ignore = folder / ".gitignore"
        with project_lock(self.store.root):
            if not ignore.exists():
                atomic_write_bytes(ignore, b"*\n", within=[self.store.root])
            text = json.dumps({"secret": secret, "names": names}, ensure_ascii=False, indent=1)
            atomic_write_bytes(self.secrets_path, text.encode("utf-8") + b"\n",
                               within=[self.store.root])

    def finish(self) -> None:
        """Remove the secrets file: the session's links stop working, the key is gone."""
        with project_lock(self.store.root):
            self.secrets_path.unlink(missing_ok=True)

    def pseudonym(self, mode: str, number: int) -> str:
        """``Deltagare 3`` (pseudonymous) or ``Anonym 3`` (anonymous), in the project's language."""
        key = "ws_pseudonym" if mode == "pseudonymous" else "ws_anonymous"
        return labels(self.language)[key].format(n=number)

    # the raters' files ---------------------------------------------------------------------
    def rater_paths(self) -> dict[str, Path]:
        """Rater name → file, from every rater file's ``rater:``."""
        if self._raters is None:
            self._raters = {}
            for path in self.store.files(BEDOMNING):
                doc = self.store.read(BEDOMNING, path)
                self._raters.setdefault(str(doc.model.rater).strip(), path)
        return self._raters

    def _rater_doc(self, rater: str) -> Document[Any]:
        paths = self.rater_paths()
        path = paths.get(rater)
        if path is not None and path.exists():
            doc = self.store.read(BEDOMNING, path)
            if str(doc.model.rater).strip() == rater:
                return doc
        taken = {p.stem for p in self.store.files(BEDOMNING)}
        base = slugify(rater) or "bedomare"
        name, n = base, 2
        while name in taken:
            name, n = f"{base}-{n}", n + 1
        path = self.store.path(BEDOMNING, name)
        paths[rater] = path
        return self.store.new(BEDOMNING, Bedomning(schema_=BEDOMNING.schema, rater=rater), path)

    def write_values(self, rater: str, challenge: str, values: dict[str, bool | int]) -> bool:
        """Merge one ballot into the rater's file; True when the file changed."""
        for attempt in range(2):
            doc = self._rater_doc(rater)
            assessment = next((a for a in doc.model.assessments if a.challenge == challenge),
                              None)
            if assessment is None:
                assessment = Assessment(challenge=challenge)
                doc.model.assessments.append(assessment)
            changed = False
            for criterion, value in values.items():
                spec = CriterionSpec(criterion, self.scales[criterion])
                old = assessment.values.get(criterion)
                old_value = getattr(old, "value", old)
                if old is None or _number(spec.scale, old_value) != int(value):
                    set_value(assessment, spec, int(value))
                    changed = True
            if not changed:
                return False
            try:
                return self.store.save(doc)
            except ConflictError:
                if attempt:
                    raise
                self._raters = None  # changed by someone else meanwhile: read it again
        return False


def _number(scale: str, value: object) -> int | None:
    try:
        return parse_value(scale, value)
    except ValueError:
        return None
