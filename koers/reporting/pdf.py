"""A ``Report`` as a tagged A4 PDF (PDF/UA-1), through the project's one WeasyPrint pipeline (fonts, no fetching).

The figures are formatted here, with ``format_value`` in the active language, so the template only places text:
a report rendered in a background task must activate the requester's language first.
"""

from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from koers.pdf import render_pdf
from koers.reporting.formatting import format_value, suppression_note
from koers.reporting.report import Kind, Report, Section, Table, Value

TEMPLATE = "reporting/report_pdf.html"


@dataclass(frozen=True)
class PrintedCell:
    text: str
    numeric: bool  # right-aligned


@dataclass(frozen=True)
class PrintedRow:
    cells: list[PrintedCell]
    is_total: bool = False


@dataclass(frozen=True)
class PrintedTable:
    title: str
    row_headers: bool  # the first column names the rows: th scope="row"
    headers: list[PrintedCell]
    rows: list[PrintedRow]  # the total last, in the body: a footer group would repeat it at every page break
    note: str


@dataclass(frozen=True)
class PrintedSection:
    title: str
    intro: str
    charts: list[SafeString]
    tables: list[PrintedTable]
    notes: list[str]


def report_pdf(report: Report) -> bytes:
    context = {
        "report": report,
        "sections": [_printed_section(section) for section in report.sections],
        "suppression_note": suppression_note(),
    }
    return render_pdf(TEMPLATE, context)


def _printed_section(section: Section) -> PrintedSection:
    return PrintedSection(
        title=section.title,
        intro=section.intro,
        # Chart.svg is complete markup built by the chart modules from numbers and escaped labels.
        charts=[mark_safe(chart.svg) for chart in section.charts],  # noqa: S308
        tables=[_printed_table(table) for table in section.tables],
        notes=section.notes,
    )


def _printed_table(table: Table) -> PrintedTable:
    def printed(values: list[Value], is_total: bool = False) -> PrintedRow:
        cells = [
            PrintedCell(format_value(value, column.kind), column.kind is not Kind.TEXT)
            for value, column in zip(values, table.columns, strict=True)
        ]
        return PrintedRow(cells, is_total)

    row_headers = bool(table.columns) and table.columns[0].kind is Kind.TEXT
    rows = [printed(row) for row in table.rows]
    if table.total is not None:
        total = list(table.total)
        if total and row_headers and not total[0]:
            total[0] = _("Total")
        rows.append(printed(total, is_total=True))
    return PrintedTable(
        title=table.title,
        row_headers=row_headers,
        headers=[PrintedCell(column.label, column.kind is not Kind.TEXT) for column in table.columns],
        rows=rows,
        note=table.note,
    )
