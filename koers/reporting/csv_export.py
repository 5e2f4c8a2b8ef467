"""A ``Report`` as one tidy CSV in long format: a line per figure, for whoever analyses the figures further.

Columns: section, table, row, column, value, the first four as the reader sees them in the other outputs. Values are
machine values: a decimal point, a percentage as the fraction, money as the report holds it (no rounding), "x" for a
withheld figure and an empty field for none. UTF-8 with a byte order mark and ``;`` between fields, as Dutch Excel
expects; the decimal point stays, because a tool reads it exactly (who wants to calculate in Excel takes the XLSX).
Labels come from the database (programme names), so a text starting with a formula character gets an apostrophe in
front: Excel would otherwise run "=HYPERLINK(...)" as a formula.
"""

import csv
import io
from collections.abc import Iterator, Sequence
from decimal import Decimal

from koers.reporting.report import SUPPRESSED, SUPPRESSED_LABEL, Kind, Report, Table, Value

HEADER = ("section", "table", "row", "column", "value")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TOTAL_ROW = "total"  # the total row's name when its first cell is not a label


def report_csv(report: Report) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    for section in report.sections:
        for table in section.tables:
            for row_name, column_label, value in _figures(table):
                writer.writerow(
                    [
                        _text(section.title),
                        _text(table.title),
                        _text(row_name),
                        _text(column_label),
                        _machine_value(value),
                    ]
                )
    return "\ufeff".encode() + out.getvalue().encode()


def _figures(table: Table) -> Iterator[tuple[str, str, Value]]:
    """Each cell with its row and column name; a first text column names the rows and is no figure itself."""
    labelled = bool(table.columns) and table.columns[0].kind is Kind.TEXT
    figure_columns = table.columns[1:] if labelled else table.columns
    rows: list[tuple[str, Sequence[Value]]] = []
    for number, row in enumerate(table.rows, start=1):
        rows.append((_row_name(row[0]) if labelled else str(number), row))
    if table.total is not None:
        label = table.total[0] if labelled else None
        rows.append((label if isinstance(label, str) and label else TOTAL_ROW, table.total))
    for row_name, values in rows:
        shown = values[1:] if labelled else values
        for column, value in zip(figure_columns, shown, strict=True):
            yield row_name, column.label, value


def _row_name(value: Value) -> str:
    return "" if value is None else SUPPRESSED_LABEL if value is SUPPRESSED else str(value)


def _machine_value(value: Value) -> str:
    if value is SUPPRESSED:
        return SUPPRESSED_LABEL
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")  # never "1E+3"
    if isinstance(value, int | float):
        return repr(value)
    return _text(str(value))


def _text(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value
