"""Rendering reports: content, escaping, determinism, out folders, the CLI, goldens."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import snapshot
from markdown_it import MarkdownIt
from render_project import TRICKY, make_project

from studsa.errors import UsageError
from studsa.report.format import Formatter, md_block, md_cell, md_inline
from studsa.workflow.context import Workspace
from studsa.workflow.render import REPORTS, render_markdown, render_reports, select_reports

GOLDEN = Path(__file__).parent / "golden"
NBSP = "\u00a0"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "p")


def _md(root: Path, report: str, period: str | None = None) -> str:
    [item] = render_markdown(Workspace.open(root), [report], period)
    return item.markdown


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).enable("table")


# --- formatting -----------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("a | b", "a \\| b"),
    ("1. maj", "1\\. maj"),
    ("*x* _y_ #z <b>", "\\*x\\* \\_y\\_ \\#z \\<b>"),
    ("snabb_effekt", "snabb_effekt"),
    ("- item", "\\- item"),
    ("AT&amp;T", "AT\\&amp;T"),
    ("two\nlines", "two lines"),
])
def test_md_inline_escapes(text: str, expected: str) -> None:
    assert md_inline(text) == expected


@pytest.mark.parametrize("text", [TRICKY, "1. maj", "* star", "# head", "a\\|b", "[x](y)",
                                  "<https://x.se>", "`code`", "> quote", "---", "&copy;"])
def test_escaped_text_renders_literally(text: str) -> None:
    html = _parser().renderInline(md_inline(text))
    from html import escape

    assert html == escape(text, quote=False).replace("&quot;", '"')


def test_md_cell_keeps_table_shape() -> None:
    source = f"| a | b |\n| --- | --- |\n| {md_cell(TRICKY)} | {md_cell('')} |\n"
    tokens = _parser().parse(source)
    assert sum(1 for t in tokens if t.type == "td_open") == 2


def test_md_block_keeps_paragraphs_and_no_list() -> None:
    tokens = _parser().parse(md_block("First.\n\n1. maj is a date"))
    assert [t.type for t in tokens].count("paragraph_open") == 2
    assert not any(t.type == "ordered_list_open" for t in tokens)


def test_babel_formats() -> None:
    sv = Formatter("sv", "sv_SE")
    assert sv.money(2500000) == f"2{NBSP}500{NBSP}000{NBSP}kr"
    assert sv.date("2023-05-17") == "17 maj 2023"
    assert sv.and_list(["a", "b", "c"]) == "a, b och c"
    en = Formatter("en", "en_GB")
    assert en.money(2500000) == f"SEK{NBSP}2,500,000"
    assert en.date("2023-05-17") == "17 May 2023"


# --- reports ----------------------------------------------------------------------------

def test_render_all_writes_every_available_report(project: Path) -> None:
    written = render_reports(Workspace.open(project))
    names = sorted(p.name for p in written)
    assert names == sorted([
        "uppdragsbeskrivning.md", "utmaningskarta.md", "utmaningskarta.svg", "strategi.md",
        "handlingsplan.md", "handlingsplan-tidslinje.svg", "lagesbild-2023.md",
        "tjansteskrivelse.md",
    ])
    assert all(p.parent == project / "rapporter" for p in written)


def test_rerender_is_byte_identical(project: Path, tmp_path: Path) -> None:
    render_reports(Workspace.open(project))
    first = snapshot(project / "rapporter")
    render_reports(Workspace.open(project))
    assert snapshot(project / "rapporter") == first
    render_reports(Workspace.open(project), out_dir=tmp_path / "again")
    again = snapshot(tmp_path / "again")
    # Outside a project, the folder holds the record of what studsa made there.
    assert again.pop(".studsa-made.json")
    assert again == first


def test_user_markup_stays_text(project: Path) -> None:
    text = _md(project, "utmaningskarta")
    tokens = _parser().parse(text)
    assert not any(t.type in {"html_inline", "html_block", "ordered_list_open"} for t in tokens)
    rows = [t for t in tokens if t.type == "tr_open"]
    assert rows
    html = _parser().render(text)
    assert "<script>" not in html
    assert "Trafik | buss *och* _cykel_ &lt;script&gt;x&lt;/script&gt; #1" in html
    # each overview row still has exactly three cells
    overview = html.split("<table>")[1].split("</table>")[0]
    for row in overview.split("<tr>")[2:]:
        assert row.count("<td") == 3


def test_utmaningskarta_content(project: Path) -> None:
    text = _md(project, "utmaningskarta")
    assert "![" in text and "](utmaningskarta.svg)" in text
    assert "**Prioriterad utmaning**" in text
    assert "Snow clearing" in text and "Handled well already" in text
    assert "Agency report" in text and "Interviews" in text
    assert "1\\. maj: more buses" in text


def test_strategi_shows_ranking_and_selection_side_by_side(project: Path) -> None:
    text = _md(project, "strategi")
    assert "| Rang | Utmaning | Preventive | Evidence based | Poäng | Vald |" in text
    assert "| 1 | Trafik \\| buss" in text
    assert "The presidium chose buses." in text
    assert "## Känslighetsanalys" in text


def test_handlingsplan_costs_per_department_and_year(project: Path) -> None:
    text = _md(project, "handlingsplan")
    assert f"2{NBSP}500{NBSP}000{NBSP}kr" in text
    assert "### Street department" in text and "### Park department" in text
    assert "#### 2024" in text
    assert "Mandatperioden (2023–2026)" in text
    total = f"**2{NBSP}700{NBSP}000{NBSP}kr**"  # 2 500 000 + 2 × 100 000
    assert total in text


def test_lagesbild_statuses_and_missing(project: Path) -> None:
    text = _md(project, "lagesbild")
    assert "# Lägesbild: Helår 2023" in text
    assert "| Light the bus stops |" in text and "Pågår" in text and "Half done" in text
    assert "Ej rapporterad" in text
    assert "## Saknade rapporter" in text and "- Park department" in text


def test_memo_sections_in_malmo_order_and_to_write_markers(project: Path) -> None:
    text = _md(project, "tjansteskrivelse")
    order = ["## Sammanfattning", "## Förslag till beslut", "## Beslutsunderlag",
             "## Beslutsplanering", "## Ärendet", "## Barnets bästa", "## Ansvariga",
             "## Beslut expedieras till"]
    positions = [text.index(h) for h in order]
    assert positions == sorted(positions)
    assert "[Att skriva: hur ärendet berör barn och barnets bästa]" in text
    assert "[Att skriva: datum]" in text
    assert "Technical committee föreslås besluta" in text
    assert "- Kim Chef, Head of department" in text


def test_memo_takes_written_parts_from_studsa_yaml(tmp_path: Path) -> None:
    memo = ("memo:\n  date: 2023-05-02\n  child_impact: Children walk to school here.\n"
            "  proposals: [att anta strategin, att ge förvaltningen i uppdrag]\n")
    root = make_project(tmp_path / "m", memo=memo)
    text = _md(root, "tjansteskrivelse")
    assert "Att skriva" not in text
    assert "Children walk to school here." in text and "2 maj 2023" in text
    assert "att anta strategin\n\natt ge förvaltningen i uppdrag" in text


def test_named_report_without_data_is_an_error(project: Path) -> None:
    ws = Workspace.open(project)
    with pytest.raises(UsageError, match="remiss"):
        select_reports(ws, ["remissammanstallning"])
    with pytest.raises(UsageError, match="2030"):
        select_reports(ws, ["lägesbild"], period="2030")
    selection = select_reports(ws, None)
    assert [s.report for s in selection.skipped] == ["remissammanstallning"]
    with pytest.raises(UsageError, match="unknown report"):
        select_reports(ws, ["nope"])


@pytest.mark.parametrize("out", [".", "2-identifiera", "3-prioritera/bedomningar/x",
                                 "mallar", "uppfoljning"])
def test_refuses_out_dir_in_source_folders(project: Path, out: str) -> None:
    before = snapshot(project)
    with pytest.raises(UsageError, match="refusing"):
        render_reports(Workspace.open(project), out_dir=project / out)
    assert snapshot(project) == before


# --- CLI ------------------------------------------------------------------------------

def test_cli_render_prints_paths(cli, project: Path) -> None:
    result = cli("render", "-p", project)
    assert result.exit_code == 0, result.stderr
    assert "rapporter/strategi.md" in result.stdout
    assert "skipped remissammanstallning" in result.stderr


def test_cli_render_named_missing_report_fails(cli, project: Path) -> None:
    result = cli("render", "remissammanstallning", "-p", project)
    assert result.exit_code == 2
    assert "remiss" in result.stderr
    assert not (project / "rapporter").exists()


def test_cli_unknown_format(cli, project: Path) -> None:
    result = cli("render", "--format", "odt", "-p", project)
    assert result.exit_code == 2 and "unknown format" in result.stderr


def test_cli_list_templates_json(cli, project: Path) -> None:
    import json

    result = cli("render", "--list-templates", "--json", "-p", project)
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [d["id"] for d in data] == list(REPORTS)
    assert all(d["origin"] == "built-in" for d in data)


# --- goldens ----------------------------------------------------------------------------

@pytest.mark.parametrize("report", [r for r in REPORTS
                                    if r not in ("remissammanstallning", "workshop")])
def test_golden_example_reports(example_project: Path, report: str,
                                request: pytest.FixtureRequest) -> None:
    text = _md(example_project, report)
    name = {"lagesbild": "lagesbild-2021.md"}.get(report, f"{report}.md")
    golden = GOLDEN / name
    if request.config.getoption("--update-goldens"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8", newline="\n")
    assert golden.is_file(), f"no golden file {golden}; run pytest --update-goldens"
    assert text == golden.read_text(encoding="utf-8")


def test_remissammanstallning(project: Path) -> None:
    import datetime as dt

    from studsa.workflow import remiss

    remiss.open_round(Workspace.open(project), "strategi", ["Park board", "Police"],
                      dt.date(2023, 4, 1), opened=dt.date(2023, 3, 1))
    remiss.answer(Workspace.open(project), "Park board", ["More *light* | please", "Fine"],
                  date=dt.date(2023, 3, 20))
    remiss.respond(Workspace.open(project), "p1", "accepted", "Added to the plan")
    text = _md(project, "remissammanstallning")
    assert "# Remissammanställning: Strategi, version 1" in text
    assert "| Park board | 20 mars 2023 | 2 |" in text
    assert "| Police | Inget svar | 0 |" in text
    row = "| p1 | Park board | More \\*light\\* \\| please | Tillgodosedd | Added to the plan |"
    assert row in text
    assert "| p2 | Park board | Fine | Ej besvarad | – |" in text
    assert "| Tillgodosedd | 1 |" in text and "| Ej besvarad | 1 |" in text


def test_html_and_docx_use_the_same_markdown(project: Path, tmp_path: Path) -> None:
    from studsa.workflow.render import converter

    try:
        converter("html")
        converter("docx")
    except UsageError:
        pytest.skip("the html/docx converters are not there yet")
    out = tmp_path / "out"
    written = render_reports(Workspace.open(project), ["utmaningskarta"], ["md", "html", "docx"],
                             out_dir=out)
    assert sorted(p.name for p in written) == ["utmaningskarta.docx", "utmaningskarta.html",
                                               "utmaningskarta.md", "utmaningskarta.svg"]
    html = (out / "utmaningskarta.html").read_text(encoding="utf-8")
    assert "<svg" in html and "<script>" not in html and 'lang="sv' in html
    first = snapshot(out)
    render_reports(Workspace.open(project), ["utmaningskarta"], ["md", "html", "docx"],
                   out_dir=out)
    assert snapshot(out) == first


def test_strategi_shows_the_evidence_behind_each_prioritized_challenge(
    example_project: Path,
) -> None:
    """Issue 3: per prioritized challenge, which sources support which criterion."""
    text = render_markdown(Workspace.open(example_project), ["strategi"])[0].markdown
    section = text.split("## Underlag för bedömningarna", 1)[1].split("\n## ", 1)[0]
    assert "### Renhållning för ökad trygghet" in section
    row = next(line for line in section.splitlines()
               if line.startswith("| Rekommenderas av forskare och myndigheter"))
    assert "Inventering av aktuellt material från BRÅ (Närvärldsanalys)" in row
