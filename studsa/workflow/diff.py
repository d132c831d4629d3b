"""What changed between two versions of a deliverable, in the terms of the method.

Pure functions over two model instances (no I/O): ``diff_models(old, new)`` returns
``Change`` objects such as "challenge `trafik` added to theme `trafikmiljo`" or
"criterion `evidens` weight changed 1 → 2". Version and status are not content and are
never reported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from studsa.models.handlingsplan import Handlingsplan
from studsa.models.strategi import Strategi
from studsa.models.uppdrag import Uppdragsbeskrivning
from studsa.models.utmaningskarta import Utmaningskarta


@dataclass(frozen=True)
class Change:
    """One change: ``action`` (added, removed, changed, moved, retitled) on ``what`` ``id``."""

    what: str
    id: str
    action: str
    message: str
    field: str | None = None
    old: Any = None
    new: Any = None

    def as_dict(self) -> dict[str, Any]:
        """JSON shape."""
        return asdict(self)


def _show(value: Any) -> str:
    if value is None or value == [] or value == "":
        return "(none)"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    text = str(value).strip().replace("\n", " ")
    return text if len(text) <= 60 else text[:57] + "..."


def _by_id(items: Iterable[Any], key: str = "id") -> dict[str, Any]:
    return {str(getattr(item, key)): item for item in items}


def _fields(
    what: str, ident: str, old: Any, new: Any, names: Sequence[str]
) -> list[Change]:
    """A ``changed`` entry for each named field that differs (title → ``retitled``)."""
    changes = []
    for name in names:
        before, after = getattr(old, name), getattr(new, name)
        if before == after:
            continue
        if name == "title":
            message = f"{what} `{ident}` retitled {_show(before)!r} → {_show(after)!r}"
            changes.append(Change(what, ident, "retitled", message, name, before, after))
        else:
            message = f"{what} `{ident}` {name} changed {_show(before)} → {_show(after)}"
            changes.append(Change(what, ident, "changed", message, name, before, after))
    return changes


def _items(
    what: str,
    old: Sequence[Any],
    new: Sequence[Any],
    names: Sequence[str],
    describe: Callable[[Any], str] = lambda item: "",
    special: Callable[[Any, Any], list[Change]] | None = None,
    key: str = "id",
) -> list[Change]:
    """Added, removed and changed items of two lists keyed by ``key`` (in new-file order)."""
    before, after = _by_id(old, key), _by_id(new, key)
    changes = []
    for ident, item in before.items():
        if ident not in after:
            message = f"{what} `{ident}` removed{describe(item)}"
            changes.append(Change(what, ident, "removed", message))
    for ident, item in after.items():
        if ident not in before:
            message = f"{what} `{ident}` added{describe(item)}"
            changes.append(Change(what, ident, "added", message, new=_title(item)))
            continue
        if special is not None:
            changes.extend(special(before[ident], item))
        changes.extend(_fields(what, ident, before[ident], item, names))
    return changes


def _title(item: Any) -> Any:
    return getattr(item, "title", None)


def _strings(what: str, where: str, old: Sequence[str], new: Sequence[str]) -> list[Change]:
    """Text points (scope in/out, partners) added and removed, compared as whole strings."""
    changes = []
    for text in old:
        if text not in new:
            changes.append(Change(what, where, "removed", f"{what} removed: {_show(text)!r}",
                                  old=text))
    for text in new:
        if text not in old:
            changes.append(Change(what, where, "added", f"{what} added: {_show(text)!r}",
                                  new=text))
    return changes


def _text(what: str, old: Any, new: Any, names: Sequence[str]) -> list[Change]:
    """Prose fields of the deliverable itself (purpose, intro, …) that changed."""
    changes = []
    for name in names:
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            message = f"{what} {name} changed"
            if before is None or after is None or len(str(before) + str(after)) < 80:
                message += f" {_show(before)} → {_show(after)}"
            changes.append(Change(what, name, "changed", message, name, before, after))
    return changes


# utmaningskarta ---------------------------------------------------------------------------
def diff_karta(old: Utmaningskarta, new: Utmaningskarta) -> list[Change]:
    """Themes, sources and challenges added, removed, retitled or moved between themes."""

    def moved(before: Any, after: Any) -> list[Change]:
        if before.theme == after.theme:
            return []
        message = (f"challenge `{after.id}` moved from theme `{before.theme}` to "
                   f"`{after.theme}`")
        return [Change("challenge", after.id, "moved", message, "theme", before.theme,
                       after.theme)]

    def scope(before: Any, after: Any) -> list[Change]:
        if before.out_of_scope == after.out_of_scope:
            return []
        if after.out_of_scope and not before.out_of_scope:
            message = f"challenge `{after.id}` marked out of scope: {_show(after.out_of_scope)}"
        elif before.out_of_scope and not after.out_of_scope:
            message = f"challenge `{after.id}` back in scope"
        else:
            message = f"challenge `{after.id}` out-of-scope reason changed"
        return [Change("challenge", after.id, "changed", message, "out_of_scope",
                       before.out_of_scope, after.out_of_scope)]

    return [
        *_text("utmaningskarta", old, new, ["intro"]),
        *_items("theme", old.themes, new.themes, ["title", "description"]),
        *_items("source", old.sources, new.sources,
                ["title", "kind", "organisation", "year", "url", "description"]),
        *_items("challenge", old.challenges, new.challenges,
                ["title", "description", "sources", "example"],
                describe=lambda c: f" in theme `{c.theme}`",
                special=lambda a, b: moved(a, b) + scope(a, b)),
    ]


# strategi --------------------------------------------------------------------------------
def _selection(old: Strategi, new: Strategi) -> list[Change]:
    before, after = old.selection, new.selection
    chosen_before = list(before.challenges) if before else []
    chosen_after = list(after.challenges) if after else []
    changes = []
    for ident in chosen_before:
        if ident not in chosen_after:
            changes.append(Change("selection", ident, "removed",
                                  f"challenge `{ident}` no longer selected"))
    for ident in chosen_after:
        if ident not in chosen_before:
            changes.append(Change("selection", ident, "added", f"challenge `{ident}` selected"))
    if before and after:
        changes.extend(_fields("selection", "selection", before, after,
                               ["rationale", "method", "made_at"]))
        for ident in sorted(set(before.why) | set(after.why)):
            if before.why.get(ident) != after.why.get(ident):
                changes.append(Change("selection", ident, "changed",
                                      f"reason for selecting `{ident}` changed", "why",
                                      before.why.get(ident), after.why.get(ident)))
    return changes + _ranking(before, after)


def _ranking(before: Any, after: Any) -> list[Change]:
    changes = []
    ranks_before = {e.id: e for e in before.ranking} if before else {}
    ranks_after = {e.id: e for e in after.ranking} if after else {}
    for ident in sorted(set(ranks_before) | set(ranks_after)):
        a, b = ranks_before.get(ident), ranks_after.get(ident)
        if a and b and (a.rank, a.score) != (b.rank, b.score):
            message = f"challenge `{ident}` rank {a.rank} → {b.rank}"
            if a.score != b.score:
                message += f" (score {_show(a.score)} → {_show(b.score)})"
            changes.append(Change("ranking", ident, "changed", message, "rank", a.rank, b.rank))
        elif a and not b and ranks_after:
            changes.append(Change("ranking", ident, "removed",
                                  f"challenge `{ident}` no longer ranked"))
        elif b and not a and ranks_before:
            changes.append(Change("ranking", ident, "added",
                                  f"challenge `{ident}` ranked {b.rank}", new=b.rank))
    return changes


def diff_strategi(old: Strategi, new: Strategi) -> list[Change]:
    """Criteria added or removed, weights and scales changed, selection and ranking changes."""
    changes = _text("strategi", old, new, ["title", "intro", "method", "followup"])
    if old.aggregation != new.aggregation:
        changes.extend(_fields("aggregation", "aggregation", old.aggregation, new.aggregation,
                               ["yes_no_threshold", "numeric"]))
    changes.extend(_items("criterion", old.criteria, new.criteria,
                          ["title", "description", "scale", "weight"]))
    changes.extend(_selection(old, new))
    return changes


# handlingsplan ---------------------------------------------------------------------------
def _departments(plan: Handlingsplan) -> set[str]:
    found = {a.department for a in plan.activities}
    for placement in plan.placements:
        found.update(placement.contributes)
        if placement.lead:
            found.add(placement.lead)
    return found


def _costs(plan: Handlingsplan) -> dict[int, int]:
    totals: dict[int, int] = {}
    for activity in plan.activities:
        totals[activity.year] = totals.get(activity.year, 0) + (activity.cost or 0)
    return totals


def diff_plan(old: Handlingsplan, new: Handlingsplan) -> list[Change]:
    """Placements, departments involved, activities and costs (per activity and per year)."""
    changes = _text("handlingsplan", old, new, ["title", "intro", "start_year"])
    changes.extend(_items("placement", old.placements, new.placements,
                          ["lead", "contributes", "goal", "horizon"], key="challenge"))
    dept_before, dept_after = _departments(old), _departments(new)
    for ident in sorted(dept_after - dept_before):
        changes.append(Change("department", ident, "added", f"department `{ident}` now involved"))
    for ident in sorted(dept_before - dept_after):
        changes.append(Change("department", ident, "removed",
                              f"department `{ident}` no longer involved"))
    changes.extend(_items(
        "activity", old.activities, new.activities,
        ["title", "challenge", "department", "year", "end_year", "cost", "investment",
         "indicator", "status", "description"],
        describe=lambda a: f" ({a.department}, {a.year}"
        + (f", {a.cost} SEK)" if a.cost is not None else ")"),
    ))
    costs_before, costs_after = _costs(old), _costs(new)
    for year in sorted(set(costs_before) | set(costs_after)):
        a, b = costs_before.get(year, 0), costs_after.get(year, 0)
        if a != b:
            changes.append(Change("cost", str(year), "changed",
                                  f"total cost {year} changed {a} → {b} SEK", "cost", a, b))
    return changes


# uppdragsbeskrivning ---------------------------------------------------------------------
def diff_uppdrag(old: Uppdragsbeskrivning, new: Uppdragsbeskrivning) -> list[Change]:
    """Scope points in/out and partners added or removed, prose and timeline changes."""
    changes = _text("uppdragsbeskrivning", old, new,
                    ["title", "background", "purpose", "remit"])
    changes.extend(_strings("scope (in)", "scope.in", old.scope.in_, new.scope.in_))
    changes.extend(_strings("scope (out)", "scope.out", old.scope.out, new.scope.out))
    changes.extend(_strings("partner", "partners", old.partners, new.partners))
    for key in sorted(set(old.decides) | set(new.decides)):
        if old.decides.get(key) != new.decides.get(key):
            message = (f"who decides `{key}` changed {_show(old.decides.get(key))} → "
                       f"{_show(new.decides.get(key))}")
            changes.append(Change("decides", key, "changed", message, key,
                                  old.decides.get(key), new.decides.get(key)))
    changes.extend(_items("milestone", old.timeline, new.timeline, ["date", "who"],
                          key="what"))
    return changes


_DIFFERS: dict[type, Callable[[Any, Any], list[Change]]] = {
    Utmaningskarta: diff_karta,
    Strategi: diff_strategi,
    Handlingsplan: diff_plan,
    Uppdragsbeskrivning: diff_uppdrag,
}


def diff_models(old: Any, new: Any) -> list[Change]:
    """Every domain change from ``old`` to ``new`` (two models of the same deliverable)."""
    if type(old) is not type(new):
        raise TypeError(f"cannot compare {type(old).__name__} with {type(new).__name__}")
    differ = _DIFFERS.get(type(old))
    if differ is None:
        raise TypeError(f"no domain diff for {type(old).__name__}")
    return differ(old, new)
