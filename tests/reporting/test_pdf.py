"""The report as a tagged PDF, rendered by the real WeasyPrint and read back as it is laid out."""

import datetime
import re
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.utils import translation

from koers.reporting.formatting import suppression_note
from koers.reporting.pdf import report_pdf
from koers.reporting.report import SUPPRESSED, Chart, Column, Kind, Period, Report, Section, Table, Value
from tests.helpers import captured_pdf_html, inflated_pdf, laid_out_pages, laid_out_text, require_tool

CHART = (
    '<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="chart-t chart-d" width="400" height="120" '
    'viewBox="0 0 400 120"><title id="chart-t">Deelnemers per programma</title><desc id="chart-d">Werkfit 1234'
    '</desc><rect x="0" y="10" width="300" height="30" fill="#001a40"/></svg>'
)


def offering(extra_rows: int = 0) -> Table:
    filler: list[list[Value]] = [[f"Programma {number}", 10, 0.5, Decimal("1")] for number in range(extra_rows)]
    return Table(
        key="offering",
        title="Deelnemers per programma",
        columns=[
            Column("programme", "Programma", Kind.TEXT),
            Column("participants", "Deelnemers", Kind.COUNT),
            Column("attendance", "Aanwezigheid", Kind.PERCENT),
            Column("cost", "Kosten per deelnemer", Kind.MONEY),
        ],
        rows=[
            ["Werkfit", 1234, 0.835, Decimal("1234.56")],
            ["<script>Kort</script>", SUPPRESSED, None, Decimal("88.10")],
            *filler,
        ],
        total=[None, 1238, 0.8, Decimal("1322.66")],
        note="Deelnemers die in de periode begonnen.",
    )


def sample_report(extra_rows: int = 0) -> Report:
    waiting = Table(
        key="waiting",
        title="Wachttijd aanmelding tot start",
        columns=[Column("programme", "Programma", Kind.TEXT), Column("median", "Mediaan (dagen)", Kind.DAYS)],
        rows=[["Werkfit", 21]],
    )
    return Report(
        kind="financier",
        title="Financiersrapport",
        subtitle="Gemeente Lekkerwaard, 1-1-2026 t/m 30-6-2026",
        organisation="Stichting Koers",
        period=Period(datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)),
        generated_at=datetime.datetime(2026, 7, 1, 9, 30, tzinfo=datetime.UTC),
        sections=[
            Section(
                "offering",
                "Programma-aanbod",
                intro="Wat er in de periode werd aangeboden.",
                tables=[offering(extra_rows)],
                charts=[Chart("Deelnemers per programma", CHART)],
                notes=["Bron: Koers."],
            ),
            Section("waiting", "Doorlooptijden", tables=[waiting]),
        ],
        assumptions=[("Uurtarief trainer", "€ 78,00")],
    )


def rendered(report: Report, language: str) -> tuple[bytes, str]:
    """The PDF and the HTML WeasyPrint got for it."""
    with pytest.MonkeyPatch.context() as monkeypatch, translation.override(language):
        captured = captured_pdf_html(monkeypatch)
        body = report_pdf(report)
    return body, captured[0]


@pytest.fixture(scope="module")
def dutch() -> tuple[bytes, str]:
    return rendered(sample_report(), "nl")


def test_the_pdf_is_tagged_with_language_title_and_author(dutch) -> None:
    body, _html = dutch
    assert body.startswith(b"%PDF")
    objects = inflated_pdf(body)
    assert b"/StructTreeRoot" in objects
    assert b"/Lang (nl)" in objects
    assert b"/Title (Financiersrapport)" in objects
    assert b"/Author (Stichting Koers)" in objects
    assert b"/MediaBox [0 0 595.27" in objects  # A4
    assert b"Noto" in objects


def test_the_text_holds_the_sections_the_dutch_figures_and_the_withheld_cell(dutch) -> None:
    text = laid_out_text(dutch[1])
    for expected in [
        "Financiersrapport",
        "Gemeente Lekkerwaard, 1-1-2026 t/m 30-6-2026",
        "Uurtarief trainer € 78,00",
        "Programma-aanbod",
        "Wat er in de periode werd aangeboden.",
        "Werkfit 1.234 83,5% € 1.234,56",
        "<script>Kort</script> x – € 88,10",
        "1.238 80,0% € 1.322,66",
        "Deelnemers die in de periode begonnen.",
        "Bron: Koers.",
        "Doorlooptijden",
        "Werkfit 21",
        "1 januari 2026",
    ]:
        assert expected in text, expected
    with translation.override("nl"):
        assert suppression_note() in text


def test_tables_have_a_caption_and_header_scopes_and_labels_are_escaped(dutch) -> None:
    html = dutch[1]
    assert "<caption>Deelnemers per programma</caption>" in html
    assert '<th scope="col">Programma</th><th scope="col" class="num">Deelnemers</th>' in html
    assert '<th scope="row">Werkfit</th><td class="num">1.234</td>' in html
    assert '<th scope="row">&lt;script&gt;Kort&lt;/script&gt;</th><td class="num">x</td>' in html
    assert re.search(r'<tr class="total"><th scope="row">(Totaal|Total)</th><td class="num">1.238</td>', html)


def test_the_chart_is_inline_svg_markup(dutch) -> None:
    assert '<div class="chart"><svg xmlns="http://www.w3.org/2000/svg" role="img"' in dutch[1]


def test_a_long_table_repeats_its_header_on_every_page() -> None:
    _body, html = rendered(sample_report(extra_rows=80), "nl")
    pages = laid_out_pages(html)
    assert len(pages) >= 3
    header = "Programma Deelnemers Aanwezigheid Kosten per deelnemer"
    assert all(page.count(header) == 1 for page in pages[:-1]), [page[:80] for page in pages]
    assert "Programma 79" in pages[-1] or "Programma 79" in pages[-2]


def test_english_figures_in_english() -> None:
    text = laid_out_text(rendered(sample_report(), "en")[1])
    assert "Werkfit 1,234 83.5% €1,234.56" in text
    assert "1 January 2026" in text


def test_page_numbers_as_a_pdf_reader_sees_them(dutch) -> None:
    pdftotext = require_tool(shutil.which("pdftotext"), "poppler-utils")
    text = subprocess.run([pdftotext, "-", "-"], input=dutch[0], capture_output=True, check=True).stdout.decode()
    assert re.search(r"(Pagina|Page) 1 (van|of) \d", text)
    assert "€ 1.234,56" in text
