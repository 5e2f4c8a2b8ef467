"""The workbook, reopened with openpyxl: the report's own numbers in real cells, a sheet per section, "x"."""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from koers.reporting.report import SUPPRESSED, Column, Kind, Period, Report, Section, Table
from koers.reporting.xlsx import XlsxLabels, report_xlsx

LABELS = XlsxLabels(
    about="Over dit rapport",
    organisation="Organisatie",
    period="Periode",
    generated_at="Gemaakt op",
    assumptions="Aannames",
    suppressed="x = afgeschermd: minder dan 5 personen, of een getal waaruit zo'n aantal te herleiden is",
    total="Totaal",
    notes="Opmerkingen",
)
LONG_TITLE = "Doorlooptijd: aanmelding → start [mediaan/p90] per programma*?"
GENERATED_AT = datetime.datetime(2026, 7, 1, 9, 30, 5, tzinfo=datetime.UTC)  # 11:30:05 in Amsterdam

OFFERING = Table(
    key="offering",
    title="Deelnemers per programma",
    columns=[
        Column("programme", "Programma", Kind.TEXT),
        Column("participants", "Deelnemers", Kind.COUNT),
        Column("attendance", "Aanwezigheid", Kind.PERCENT),
        Column("cost", "Kosten per deelnemer", Kind.MONEY),
        Column("hours", "Traineruren", Kind.HOURS),
        Column("waiting", "Wachttijd (dagen)", Kind.DAYS),
        Column("effect", "Effectgrootte", Kind.NUMBER),
    ],
    rows=[
        ["Werkfit", 1234, 0.835, Decimal("1234.56"), 12.5, 14, Decimal("0.46")],
        ['=HYPERLINK("http://x")', SUPPRESSED, None, Decimal("88.10"), 3.0, SUPPRESSED, None],
    ],
    total=[None, 1238, 0.8, Decimal("1322.66"), 15.5, 14, None],
    note="Deelnemers die in de periode begonnen.",
)


def waiting_table(key: str) -> Table:
    return Table(
        key=key,
        title="Wachttijd",
        columns=[Column("programme", "Programma", Kind.TEXT), Column("median", "Mediaan", Kind.DAYS)],
        rows=[["Werkfit", 21]],
    )


def sample_report() -> Report:
    return Report(
        kind="financier",
        title="Financiersrapport",
        subtitle="Gemeente Lekkerwaard, 1-1-2026 t/m 30-6-2026",
        organisation="Stichting Koers",
        period=Period(datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)),
        generated_at=GENERATED_AT,
        sections=[
            Section("offering", "Aanbod", intro="Wat er werd aangeboden.", tables=[OFFERING], notes=["Bron: Koers."]),
            Section("waiting_a", LONG_TITLE, tables=[waiting_table("a"), waiting_table("b")]),
            Section("waiting_b", LONG_TITLE, tables=[waiting_table("c")]),
        ],
        assumptions=[("Uurtarief trainer", "€ 78,00"), ("Minuten per gesprek", "60")],
    )


@pytest.fixture
def workbook_bytes() -> bytes:
    return report_xlsx(sample_report(), labels=LABELS)


@pytest.fixture
def workbook(workbook_bytes):
    return load_workbook(io.BytesIO(workbook_bytes))


def rows_of(sheet: Worksheet) -> list[list]:
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_an_about_sheet_then_one_sheet_per_section_with_safe_unique_names(workbook) -> None:
    assert workbook.sheetnames == [
        "Over dit rapport",
        "Aanbod",
        "Doorlooptijd aanmelding → start",  # forbidden characters out, spaces collapsed, cut to 31
        "Doorlooptijd aanmelding → s (2)",
    ]
    for name in workbook.sheetnames:
        assert len(name) <= 31
        assert not set(name) & set("[]:*?/\\")


def test_sheet_names_stay_unique_without_regard_to_case() -> None:
    report = sample_report()
    report.sections = [Section("a", "Aanbod"), Section("b", "AANBOD"), Section("c", "history")]
    workbook = load_workbook(io.BytesIO(report_xlsx(report, labels=LABELS)))
    assert workbook.sheetnames == ["Over dit rapport", "Aanbod", "AANBOD (2)", "history (2)"]


def test_cells_hold_the_reports_numbers(workbook) -> None:
    sheet = workbook["Aanbod"]
    assert rows_of(sheet)[4:8] == [
        [
            "Programma",
            "Deelnemers",
            "Aanwezigheid",
            "Kosten per deelnemer",
            "Traineruren",
            "Wachttijd (dagen)",
            "Effectgrootte",
        ],
        ["Werkfit", 1234, 0.835, 1234.56, 12.5, 14, 0.46],
        ['=HYPERLINK("http://x")', "x", None, 88.1, 3, "x", None],
        ["Totaal", 1238, 0.8, 1322.66, 15.5, 14, None],
    ]


def test_number_formats_follow_the_kind(workbook) -> None:
    first_row = workbook["Aanbod"][6]
    assert [cell.number_format for cell in first_row[1:]] == [
        "#,##0",
        "0.0%",
        '"€" #,##0.00',
        "0.0",
        "0",
        "0.00",
    ]


def test_a_withheld_figure_is_right_aligned_text_with_a_note(workbook) -> None:
    cell = workbook["Aanbod"]["B7"]
    assert (cell.value, cell.data_type, cell.alignment.horizontal) == ("x", "s", "right")
    assert cell.comment.text == LABELS.suppressed


def test_texts_that_look_like_formulas_stay_text() -> None:
    report = sample_report()
    report.organisation = "=cmd|' /C calc'!A0"
    with zipfile.ZipFile(io.BytesIO(report_xlsx(report, labels=LABELS))) as archive:
        sheets = [archive.read(name).decode() for name in archive.namelist() if name.startswith("xl/worksheets/sheet")]
    assert len(sheets) == 4
    assert not any("<f>" in sheet for sheet in sheets)
    assert "<t>=cmd|' /C calc'!A0</t>" in sheets[0]
    assert 't="inlineStr"><is><t>=HYPERLINK' in sheets[1]


def test_header_and_total_are_bold_and_the_header_is_frozen(workbook) -> None:
    sheet = workbook["Aanbod"]
    assert all(cell.font.b for cell in sheet[5])
    assert all(cell.font.b for cell in sheet[8])
    assert not sheet["A6"].font.b
    assert sheet.freeze_panes == "B6"  # below the header, right of the programme names
    assert workbook.worksheets[2].freeze_panes is None  # two tables: no header to freeze


def test_title_intro_table_note_and_section_notes_surround_the_table(workbook) -> None:
    column_a = [row[0] for row in rows_of(workbook["Aanbod"])]
    assert column_a[:4] == ["Aanbod", "Wat er werd aangeboden.", None, "Deelnemers per programma"]
    assert column_a[8:] == ["Deelnemers die in de periode begonnen.", None, "Opmerkingen", "Bron: Koers."]


def test_columns_are_wide_enough_for_header_and_figures(workbook) -> None:
    sheet = workbook["Aanbod"]
    assert sheet.column_dimensions["A"].width == 24  # the formula-like name, 22 characters, plus 2
    assert sheet.column_dimensions["D"].width == 22  # "Kosten per deelnemer"
    assert sheet.column_dimensions["B"].width == 12  # "1,234.00" and 2 for a currency sign, plus 2
    assert sheet.column_dimensions["G"].width == 15  # "Effectgrootte"


def test_the_about_sheet_describes_the_report(workbook) -> None:
    assert rows_of(workbook["Over dit rapport"]) == [
        ["Financiersrapport", None, None],
        ["Gemeente Lekkerwaard, 1-1-2026 t/m 30-6-2026", None, None],
        [None, None, None],
        ["Organisatie", "Stichting Koers", None],
        ["Periode", datetime.datetime(2026, 1, 1), datetime.datetime(2026, 6, 30)],
        ["Gemaakt op", datetime.datetime(2026, 7, 1, 11, 30, 5), None],
        [None, None, None],
        ["Aannames", None, None],
        ["Uurtarief trainer", "€ 78,00", None],
        ["Minuten per gesprek", "60", None],
        [None, None, None],
        ["x", LABELS.suppressed, None],
    ]
    assert workbook["Over dit rapport"]["B5"].number_format == "d-m-yyyy"


def test_the_same_report_gives_the_same_bytes_stamped_with_its_time(workbook_bytes, workbook) -> None:
    assert report_xlsx(sample_report(), labels=LABELS) == workbook_bytes
    with zipfile.ZipFile(io.BytesIO(workbook_bytes)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2026, 7, 1, 11, 30, 4)}  # zip: 2-second steps
    assert workbook.properties.created == workbook.properties.modified == datetime.datetime(2026, 7, 1, 11, 30, 5)
    assert workbook.properties.title == "Financiersrapport"
