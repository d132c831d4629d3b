"""The sv/en label catalog: complete in both languages, used by every template."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from render_project import make_project

import studsa
from studsa.i18n import CATALOG, LANGUAGES, labels
from studsa.resources import templates_dir
from studsa.workflow.context import Workspace
from studsa.workflow.render import render_markdown, select_reports

PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
USED = re.compile(r"\bt\.([a-z_0-9]+)|\bt\[\"([a-z_0-9-]+)\"\]")


def test_every_key_in_both_languages() -> None:
    sv, en = set(labels("sv")), set(labels("en"))
    assert sv - en == set(), f"missing in en: {sorted(sv - en)}"
    assert en - sv == set(), f"missing in sv: {sorted(en - sv)}"


def test_both_languages_list_the_keys_in_the_same_order() -> None:
    # The catalog files are read side by side; the same order keeps that easy.
    assert list(labels("sv")) == list(labels("en"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_empty_labels(language: str) -> None:
    for key, value in labels(language).items():
        assert isinstance(key, str) and key.strip(), repr(key)
        assert isinstance(value, str) and value.strip(), key


def test_a_process_reads_only_the_language_it_asks_for_and_only_once() -> None:
    # A fresh interpreter: this one has read both files, and an audit hook stays for good.
    script = """if True:
        import sys
        from pathlib import Path
        opened = []
        def hook(event, args):
            if event == "open" and str(args[0]).endswith(".json"):
                opened.append(Path(str(args[0])).as_posix())
        sys.addaudithook(hook)
        from studsa.i18n import CATALOG, labels
        assert opened == [], opened
        assert "sv" in CATALOG and len(CATALOG) == 2
        assert labels("en") is labels("en") is CATALOG["en"]
        print("\\n".join(opened))
    """
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    folder = Path(studsa.__file__).resolve().parent / "catalog"
    assert done.stdout.splitlines() == sorted(p.as_posix() for p in (folder / "en").glob("*.json"))


def test_every_area_file_exists_in_both_languages() -> None:
    folder = Path(studsa.__file__).resolve().parent / "catalog"
    areas = {lang: sorted(p.name for p in (folder / lang).glob("*.json")) for lang in LANGUAGES}
    assert areas["sv"] == areas["en"] and areas["sv"], areas


def test_placeholders_match_between_languages() -> None:
    for key, sv_text in labels("sv").items():
        en_text = labels("en")[key]
        assert set(PLACEHOLDER.findall(sv_text)) == set(PLACEHOLDER.findall(en_text)), key


def test_every_label_a_template_uses_exists() -> None:
    used: set[str] = set()
    for path in sorted(templates_dir().glob("*.md.j2")):
        for plain, quoted in USED.findall(path.read_text(encoding="utf-8")):
            used.add(plain or quoted)
    assert used, "the templates use no labels?"
    assert used - set(labels("sv")) == set()


def test_unknown_language() -> None:
    with pytest.raises(ValueError, match="fr"):
        labels("fr")
    assert set(CATALOG) == set(LANGUAGES)


def _swedish_only() -> set[str]:
    """Swedish labels that differ from their English counterpart (whole phrases)."""
    sv, en = labels("sv"), labels("en")
    found = set()
    for key, text in sv.items():
        if text == en[key] or PLACEHOLDER.search(text) or len(text) < 4:
            continue
        found.add(text)
    return found


def test_english_project_has_no_swedish_labels(tmp_path: Path) -> None:
    root = make_project(tmp_path / "en", language="en")
    ws = Workspace.open(root)
    reports = select_reports(ws, None).reports
    text = "\n".join(item.markdown for item in render_markdown(ws, reports))
    leaks = sorted(s for s in _swedish_only()
                   if re.search(rf"(?<!\w){re.escape(s)}(?!\w)", text))
    assert leaks == []
    for word in ("Sammanfattning", "Utmaning", "Tabell", "Ja", "Nej", "kr", "Pågår"):
        assert not re.search(rf"(?<![\w]){word}(?![\w])", text), word
    assert "# Strategy" in text and "Proposed decision" in text and "SEK" in text


def test_singular_labels_pair_with_their_plural() -> None:
    for language in ("sv", "en"):
        t = labels(language)
        for key in t:
            if key.endswith("_one"):
                assert key.removesuffix("_one") in t, key
            if key.startswith("count_") and not key.endswith("_one"):
                assert f"{key}_one" in t, key


@pytest.mark.parametrize(("language", "n", "expected"), [
    ("sv", 1, "1 källa"), ("sv", 0, "0 källor"), ("sv", 2, "2 källor"),
    ("en", 1, "1 source"), ("en", 21, "21 sources"),
])
def test_count_phrases_follow_the_language_plural_rule(language: str, n: int,
                                                        expected: str) -> None:
    from studsa.i18n import locale_of
    from studsa.report.format import count_phrase, plural_label

    t = labels(language)
    assert count_phrase(t, "count_sources", n, locale_of(language)) == expected
    one = plural_label(t, "stability_text", 1, locale_of(language))
    assert one == t["stability_text_one"]
    assert plural_label(t, "stability_text", 3, locale_of(language)) == t["stability_text"]
