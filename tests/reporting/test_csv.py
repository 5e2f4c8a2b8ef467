"""The long-format CSV, parsed back: every figure once, machine values, "x", and no formula can run in Excel."""

import csv
import datetime
import io
from decimal import Decimal

from koers.reporting.csv_export import report_csv
from koers.reporting.report import SUPPRESSED, Column, Kind, Period, Report, Section, Table


def sample_report() -> Report:
    offering = Table(
        key="offering",
        title="Deelnemers per programma",
        columns=[
            Column("programme", "Programma", Kind.TEXT),
            Column("participants", "Deelnemers", Kind.COUNT),
            Column("attendance", "Aanwezigheid", Kind.PERCENT),
            Column("cost", "Kosten", Kind.MONEY),
        ],
        rows=[
            ["Werkfit; samen", 1234, 0.835, Decimal("1234.5678")],
            ['=HYPERLINK("http://x")', SUPPRESSED, None, Decimal("1E+3")],
        ],
        total=[None, 1240, 0.8, SUPPRESSED],
    )
    effects = Table(
        key="effects",
        title="+Effect",
        columns=[Column("hours", "Uren", Kind.HOURS), Column("effect", "-Effectgrootte", Kind.NUMBER)],
        rows=[[12.5, -0.25]],
        total=[12.5, None],
    )
    return Report(
        kind="financier",
        title="Financiersrapport",
        subtitle="Gemeente Lekkerwaard",
        organisation="Stichting Koers",
        period=Period(datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)),
        generated_at=datetime.datetime(2026, 7, 1, 9, 30, tzinfo=datetime.UTC),
        sections=[
            Section("offering", "Aanbod", tables=[offering]),
            Section("effects", "@Effecten", tables=[effects]),
        ],
    )


def parsed(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_every_figure_is_one_line_with_a_machine_value() -> None:
    assert parsed(report_csv(sample_report())) == [
        ["section", "table", "row", "column", "value"],
        ["Aanbod", "Deelnemers per programma", "Werkfit; samen", "Deelnemers", "1234"],
        ["Aanbod", "Deelnemers per programma", "Werkfit; samen", "Aanwezigheid", "0.835"],
        ["Aanbod", "Deelnemers per programma", "Werkfit; samen", "Kosten", "1234.5678"],
        ["Aanbod", "Deelnemers per programma", '\'=HYPERLINK("http://x")', "Deelnemers", "x"],
        ["Aanbod", "Deelnemers per programma", '\'=HYPERLINK("http://x")', "Aanwezigheid", ""],
        ["Aanbod", "Deelnemers per programma", '\'=HYPERLINK("http://x")', "Kosten", "1000"],
        ["Aanbod", "Deelnemers per programma", "total", "Deelnemers", "1240"],
        ["Aanbod", "Deelnemers per programma", "total", "Aanwezigheid", "0.8"],
        ["Aanbod", "Deelnemers per programma", "total", "Kosten", "x"],
        ["'@Effecten", "'+Effect", "1", "Uren", "12.5"],
        ["'@Effecten", "'+Effect", "1", "'-Effectgrootte", "-0.25"],
        ["'@Effecten", "'+Effect", "total", "Uren", "12.5"],
        ["'@Effecten", "'+Effect", "total", "'-Effectgrootte", ""],
    ]


def test_excel_gets_a_byte_order_mark_semicolons_and_crlf() -> None:
    body = report_csv(sample_report())
    assert body.startswith(b"\xef\xbb\xbfsection;table;row;column;value\r\n")
    assert b'"Werkfit; samen"' in body  # a semicolon in a label is quoted, not a new field


def test_a_labelled_total_keeps_its_label() -> None:
    report = sample_report()
    report.table("offering").total = ["Alle programma's", 1240, 0.8, SUPPRESSED]
    rows = parsed(report_csv(report))
    assert [row[2] for row in rows[7:10]] == ["Alle programma's"] * 3


def test_every_formula_start_is_neutralised() -> None:
    starts = ["=1+1", "+31 6", "-2", "@SUM(A1)", "\tcmd", "\rcmd"]
    report = sample_report()
    report.table("offering").rows = [[start, 5, 0.5, Decimal("1")] for start in starts]
    report.table("offering").total = None
    names = {row[2] for row in parsed(report_csv(report))[1:] if row[0] == "Aanbod"}
    assert names == {"'" + start for start in starts}
