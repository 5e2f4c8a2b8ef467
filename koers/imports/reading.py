"""Reading an uploaded CSV or XLSX file into a header and rows of raw cells, and refusing files that cannot be."""

import codecs
import csv
import datetime
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from stdnum.nl import bsn as bsn_number

from koers.imports.columns import HEADER_NAMES, REQUIRED_COLUMNS, Column, normalise_header
from koers.imports.models import FileFormat, FileProblem

Cell = str | int | float | datetime.date | datetime.datetime | None

# An XLSX file is a zip; a small one can unpack to gigabytes. 20 MB of XLSX is about 250 MB of XML.
MAX_UNPACKED_BYTES = 400 * 1024 * 1024
XLSX_MAGIC = b"PK\x03\x04"
DELIMITERS = (";", ",", "\t")
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


class FileRefusedError(Exception):
    """The whole file is refused; nothing of it is imported."""

    def __init__(self, code: FileProblem, detail: str = "") -> None:
        super().__init__(code, detail)
        self.code = code
        self.detail = detail


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, list[Cell]]] = field(default_factory=list)  # (row number as a spreadsheet shows it, cells)


def decode_text(content: bytes) -> str:
    """UTF-16 with its BOM (Excel's 'Unicode text'), UTF-8 (with or without the BOM Excel writes); failing that
    Windows-1252, what Excel's plain CSV uses."""
    if content.startswith(UTF16_BOMS):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError as error:
            raise FileRefusedError(FileProblem.UNREADABLE) from error
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return content.decode("cp1252")
        except UnicodeDecodeError as error:
            raise FileRefusedError(FileProblem.UNREADABLE) from error


def _is_blank(cells: list[Cell]) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def read_csv(content: bytes, max_rows: int) -> Table:
    text = decode_text(content)
    if "\x00" in text:
        raise FileRefusedError(FileProblem.UNREADABLE)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(DELIMITERS, key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return _collect(reader, max_rows)
    except csv.Error as error:
        raise FileRefusedError(FileProblem.UNREADABLE) from error


def read_xlsx(content: bytes, max_rows: int) -> Table:
    import openpyxl  # imported here: only imports need it, and it takes a moment to load

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise FileRefusedError(FileProblem.TOO_LARGE)
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except FileRefusedError:
        raise
    except Exception as error:  # openpyxl raises many kinds for a damaged or foreign file
        raise FileRefusedError(FileProblem.UNREADABLE) from error
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some writers store wrong dimensions; read what is really there
        return _collect(sheet.iter_rows(values_only=True), max_rows)
    except FileRefusedError:
        raise
    except Exception as error:
        raise FileRefusedError(FileProblem.UNREADABLE) from error
    finally:
        workbook.close()


def _collect(rows: Any, max_rows: int) -> Table:
    """The first non-blank row is the header; blank rows are skipped (spreadsheets often end with some)."""
    header: list[str] | None = None
    table = Table(header=[])
    for number, raw in enumerate(rows, start=1):
        cells = list(raw)
        if _is_blank(cells):
            continue
        if header is None:
            header = ["" if cell is None else str(cell).strip() for cell in cells]
            while header and not header[-1]:
                header.pop()
            table.header = header
            continue
        if len(table.rows) >= max_rows:
            raise FileRefusedError(FileProblem.TOO_MANY_ROWS, f"{max_rows:,}".replace(",", "."))
        table.rows.append((number, cells))
    if header is None:
        raise FileRefusedError(FileProblem.NO_HEADER)
    return table


def read_table(content: bytes, file_format: str, max_rows: int) -> Table:
    if file_format == FileFormat.XLSX:
        return read_xlsx(content, max_rows)
    return read_csv(content, max_rows)


def map_header(header: list[str]) -> dict[int, Column]:
    """Column index → column. Unknown, duplicate or missing required columns refuse the whole file.

    A first row holding a BSN is data, not a header: refused as such, so that no BSN is quoted back as a column name.
    """
    if any(bsn_number.is_valid(name) for name in header if len(name) == 9):
        raise FileRefusedError(FileProblem.NO_HEADER)
    mapping: dict[int, Column] = {}
    unknown: list[str] = []
    seen: dict[str, str] = {}
    duplicates: list[str] = []
    for index, name in enumerate(header):
        if not name:
            continue  # an empty header cell: values under it are rejected row by row, never silently dropped
        column = HEADER_NAMES.get(normalise_header(name))
        if column is None:
            unknown.append(name[:40])
            continue
        if column.name in seen:
            duplicates.append(f"{seen[column.name]} / {name[:40]}")
            continue
        seen[column.name] = name[:40]
        mapping[index] = column
    if unknown:
        raise FileRefusedError(FileProblem.UNKNOWN_COLUMNS, _listing(unknown))
    if duplicates:
        raise FileRefusedError(FileProblem.DUPLICATE_COLUMNS, _listing(duplicates))
    missing = [column.name for column in REQUIRED_COLUMNS if column.name not in seen]
    if missing:
        raise FileRefusedError(FileProblem.MISSING_COLUMNS, _listing(missing))
    return mapping


def _listing(names: list[str]) -> str:
    return ", ".join(f"'{name}'" for name in names)[:500]


def sniff_format(head: bytes) -> str | None:
    """What the first bytes say the file is: 'xlsx' for a zip, 'csv' for text, None for anything else."""
    if head.startswith(XLSX_MAGIC):
        return FileFormat.XLSX
    if head.startswith(UTF16_BOMS):
        head = head[: len(head) // 2 * 2]  # the sample may end in the middle of a two-byte character
        text = head.decode("utf-16", errors="replace")
        return None if _has_control_characters(text) else FileFormat.CSV
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start >= len(head) - 3:  # the sample cut a multi-byte character in two
            text = head[: error.start].decode("utf-8")
        else:
            try:
                text = decode_text(head)
            except FileRefusedError:
                return None
    return None if _has_control_characters(text) else FileFormat.CSV


def _has_control_characters(text: str) -> bool:
    """Text has no control characters besides tab and line ends; binary files (PDF, old .xls, images) do."""
    return any(ord(char) < 32 and char not in "\t\r\n" for char in text)


def is_xlsx_archive(content: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return False
    return "xl/workbook.xml" in names and "[Content_Types].xml" in names
