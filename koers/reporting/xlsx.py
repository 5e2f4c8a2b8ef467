"""A ``Report`` as an Excel workbook: an "About" sheet, then one sheet per section with real numbers in its cells.

Numbers stay numbers (a percentage is the fraction with a percent format), so a financier can compute with them;
only a withheld figure is the text "x", with a cell note that says why. Pure: the caller passes the few fixed words
already translated (``formatting.xlsx_labels``). The file is deterministic: the workbook's dates and the time stamps
inside the archive are the report's ``generated_at``, so the same report gives the same bytes.
"""

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from koers.reporting.report import SUPPRESSED, SUPPRESSED_LABEL, Kind, Report, Section, Table, Value

NUMBER_FORMATS = {
    Kind.COUNT: "#,##0",
    Kind.PERCENT: "0.0%",
    Kind.MONEY: '"€" #,##0.00',  # the euro sign quoted: Excel only takes a few symbols as bare literals
    Kind.HOURS: "0.0",
    Kind.DAYS: "0",
    Kind.NUMBER: "0.00",
}
SHEET_NAME_LENGTH = 31
FORBIDDEN_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
RESERVED_SHEET_NAMES = {"history"}  # Excel keeps this name for itself
MIN_COLUMN_WIDTH, MAX_COLUMN_WIDTH = 10, 45

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
ITALIC = Font(italic=True)
RIGHT = Alignment(horizontal="right")
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="bottom")
HEADER_NUMERIC_ALIGNMENT = Alignment(wrap_text=True, vertical="bottom", horizontal="right")
LINE = Side(style="thin")


@dataclass(frozen=True)
class XlsxLabels:
    """The fixed words of the workbook, translated by the caller."""

    about: str  # "About this report": the first sheet's name
    organisation: str
    period: str
    generated_at: str
    assumptions: str
    suppressed: str  # what "x" means: on the first sheet and as the note of each withheld cell
    total: str  # the total row's label when the report gives none
    notes: str
    date_format: str = "d-m-yyyy"


def report_xlsx(report: Report, *, labels: XlsxLabels) -> bytes:
    workbook = Workbook()
    moment = _local_naive(report.generated_at)
    workbook.properties.title = report.title
    workbook.properties.subject = report.subtitle
    workbook.properties.creator = report.organisation
    workbook.properties.lastModifiedBy = report.organisation
    workbook.properties.created = moment
    workbook.properties.modified = moment

    names = SheetNames()
    about = workbook.active
    assert about is not None
    about.title = names.add(labels.about)
    _write_about(about, report, labels)
    for section in report.sections:
        _write_section(workbook.create_sheet(names.add(section.title)), section, labels)
    return _save(workbook, moment)


class SheetNames:
    """Excel's rules for sheet names: at most 31 characters, none of []:*?/\\, no quote at either end, unique
    without regard to case. A second section with the same (cut) title gets " (2)" and so on."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def add(self, title: str) -> str:
        base = FORBIDDEN_IN_SHEET_NAME.sub(" ", title)
        base = " ".join(base.split()).strip("'") or "Sheet"
        name, number = base[:SHEET_NAME_LENGTH].rstrip(), 1
        while name.casefold() in self._taken or name.casefold() in RESERVED_SHEET_NAMES:
            number += 1
            suffix = f" ({number})"
            name = base[: SHEET_NAME_LENGTH - len(suffix)].rstrip() + suffix
        self._taken.add(name.casefold())
        return name


def _write_about(sheet: Worksheet, report: Report, labels: XlsxLabels) -> None:
    sheet.append([_text(sheet, report.title)])
    sheet["A1"].font = TITLE
    sheet.append([_text(sheet, report.subtitle)])
    sheet.append([])
    sheet.append([_text(sheet, labels.organisation), _text(sheet, report.organisation)])
    sheet.append([_text(sheet, labels.period), report.period.start, report.period.end])
    for column in (2, 3):
        sheet.cell(sheet.max_row, column).number_format = labels.date_format
    sheet.append([_text(sheet, labels.generated_at), _local_naive(report.generated_at)])
    sheet.cell(sheet.max_row, 2).number_format = f"{labels.date_format} hh:mm"
    if report.assumptions:
        sheet.append([])
        sheet.append([_text(sheet, labels.assumptions)])
        sheet.cell(sheet.max_row, 1).font = BOLD
        for label, shown in report.assumptions:
            sheet.append([_text(sheet, label), _text(sheet, shown)])
    sheet.append([])
    sheet.append([_suppressed(sheet, labels), _text(sheet, labels.suppressed)])
    sheet.column_dimensions["A"].width = 40
    for letter in "BC":
        sheet.column_dimensions[letter].width = 30


def _write_section(sheet: Worksheet, section: Section, labels: XlsxLabels) -> None:
    """Title and introduction, the tables one below the other, the section's notes at the bottom."""
    sheet.append([_text(sheet, section.title)])
    sheet.cell(1, 1).font = TITLE
    if section.intro:
        sheet.append([_text(sheet, section.intro)])
    for table in section.tables:
        sheet.append([])
        header_row = _write_table(sheet, table, labels)
        if len(section.tables) == 1:
            # Frozen rows over a second table would show the first table's header above it.
            first_kind = table.columns[0].kind if table.columns else Kind.COUNT
            sheet.freeze_panes = sheet.cell(header_row + 1, 2 if first_kind is Kind.TEXT else 1)
    if section.notes:
        sheet.append([])
        sheet.append([_text(sheet, labels.notes)])
        sheet.cell(sheet.max_row, 1).font = BOLD
        for note in section.notes:
            sheet.append([_text(sheet, note)])
    _set_widths(sheet, section.tables)


def _write_table(sheet: Worksheet, table: Table, labels: XlsxLabels) -> int:
    """The table's title, a bold header, its rows and total; returns the header's row number."""
    sheet.append([_text(sheet, table.title)])
    sheet.cell(sheet.max_row, 1).font = BOLD
    sheet.append([_text(sheet, column.label) for column in table.columns])
    header_row = sheet.max_row
    for index, column in enumerate(table.columns, start=1):
        cell = sheet.cell(header_row, index)
        cell.font = BOLD
        cell.border = Border(bottom=LINE)
        cell.alignment = HEADER_ALIGNMENT if column.kind is Kind.TEXT else HEADER_NUMERIC_ALIGNMENT
    for row in table.rows:
        sheet.append(_cells(sheet, table, row, labels))
    if table.total is not None:
        total = list(table.total)
        if total and table.columns[0].kind is Kind.TEXT and not total[0]:
            total[0] = labels.total  # _cells writes it as text
        sheet.append(_cells(sheet, table, total, labels))
        total_row = header_row + len(table.rows) + 1
        for index in range(1, len(table.columns) + 1):
            sheet.cell(total_row, index).font = BOLD
            sheet.cell(total_row, index).border = Border(top=LINE)
    if table.note:
        sheet.append([_text(sheet, table.note)])
        sheet.cell(sheet.max_row, 1).font = ITALIC
    return header_row


def _cells(sheet: Worksheet, table: Table, values: Sequence[Value], labels: XlsxLabels) -> list[Cell | None]:
    cells: list[Cell | None] = []
    for value, column in zip(values, table.columns, strict=True):
        if value is SUPPRESSED:
            cells.append(_suppressed(sheet, labels))
        elif value is None:
            cells.append(None)
        elif isinstance(value, str) or column.kind is Kind.TEXT:
            cells.append(_text(sheet, str(value)))
        else:
            cell = Cell(sheet, value=value)
            cell.number_format = NUMBER_FORMATS[column.kind]
            cells.append(cell)
    return cells


def _text(sheet: Worksheet, value: str) -> Cell:
    """Always a text cell: openpyxl would turn a text starting with "=" (a programme or organisation name from the
    database) into a formula. Every text in the workbook goes through here."""
    cell = Cell(sheet, value=value)
    cell.data_type = "s"
    return cell


def _suppressed(sheet: Worksheet, labels: XlsxLabels) -> Cell:
    cell = _text(sheet, SUPPRESSED_LABEL)
    cell.alignment = RIGHT
    cell.comment = Comment(labels.suppressed, "Koers")
    return cell


def _set_widths(sheet: Worksheet, tables: Sequence[Table]) -> None:
    """Wide enough for the header or the widest figure; titles, intro and notes may run over into empty cells."""
    widths: dict[int, int] = {}
    for table in tables:
        for index, column in enumerate(table.columns, start=1):
            shown = [_shown_width(row[index - 1]) for row in [*table.rows, table.total or []] if len(row) >= index]
            header = min(len(column.label), MAX_COLUMN_WIDTH)
            widths[index] = max(widths.get(index, 0), header, *shown)
    for index, width in widths.items():
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = min(max(width + 2, MIN_COLUMN_WIDTH), MAX_COLUMN_WIDTH)


def _shown_width(value: Value) -> int:
    if isinstance(value, int | float | Decimal):
        return len(f"{value:,.2f}") + 2  # grouping, decimals and a currency sign
    if isinstance(value, str):
        return len(value)
    return 0


def _local_naive(moment: datetime.datetime) -> datetime.datetime:
    """Excel has no time zones: an aware time is shown in local time (Django sets the process to TIME_ZONE)."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone().replace(tzinfo=None)


class _FixedTimeZip(ZipFile):
    """openpyxl stamps every part of the archive with the current time; the report's time makes the bytes repeat."""

    def __init__(self, file: BytesIO, moment: datetime.datetime) -> None:
        super().__init__(file, "w", ZIP_DEFLATED)
        self._date_time = (max(moment.year, 1980), *moment.timetuple()[1:6])

    def writestr(self, zinfo_or_arcname: Any, data: Any, *args: Any, **kwargs: Any) -> None:
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = ZipInfo(zinfo_or_arcname, date_time=self._date_time)
            zinfo_or_arcname.compress_type = ZIP_DEFLATED
        super().writestr(zinfo_or_arcname, data, *args, **kwargs)

    def write(self, filename: Any, arcname: Any = None, *args: Any, **kwargs: Any) -> None:
        """The sheets come from temporary files, which would carry their own modification time."""
        with open(filename, "rb") as source:
            self.writestr(arcname or filename, source.read())


def _save(workbook: Workbook, moment: datetime.datetime) -> bytes:
    """Like ``Workbook.save``, which would set the modified time to now."""
    buffer = BytesIO()
    with _FixedTimeZip(buffer, moment) as archive:
        ExcelWriter(workbook, archive).write_data()
    return buffer.getvalue()
