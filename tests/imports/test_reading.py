"""Reading files: delimiters, encodings, blank rows, and whole-file refusals that import nothing."""

import datetime
import io

import openpyxl
import pytest

from koers.imports.models import FileProblem
from koers.imports.reading import FileRefusedError, map_header, read_csv, read_xlsx, sniff_format
from tests.imports.files import HEADER


def refused(call) -> FileRefusedError:
    with pytest.raises(FileRefusedError) as caught:
        call()
    return caught.value


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_csv_delimiter_is_detected_from_the_header(delimiter) -> None:
    content = delimiter.join(["bsn", "voornaam", "achternaam", "gemeente"]).encode() + b"\r\n1;2,3\t4\r\n"
    table = read_csv(content, 10)
    assert table.header == ["bsn", "voornaam", "achternaam", "gemeente"]
    assert len(table.rows) == 1


def test_windows_1252_csv_from_excel_is_read() -> None:
    table = read_csv("bsn;achternaam\r\n1;Çelik-Müller\r\n".encode("cp1252"), 10)
    assert table.rows == [(2, ["1", "Çelik-Müller"])]


def test_utf8_with_bom_and_quoted_delimiters() -> None:
    table = read_csv('\ufeffbsn;beschikbaarheid\r\n1;"ma-ochtend;di-middag"\r\n'.encode(), 10)
    assert table.header == ["bsn", "beschikbaarheid"]
    assert table.rows[0][1] == ["1", "ma-ochtend;di-middag"]


def test_blank_rows_are_skipped_and_row_numbers_are_as_a_spreadsheet_shows_them() -> None:
    table = read_csv(b"bsn;voornaam\r\n;\r\n1;a\r\n\r\n2;b\r\n", 10)
    assert [number for number, _cells in table.rows] == [3, 5]


def test_more_rows_than_allowed_refuse_the_file() -> None:
    problem = refused(lambda: read_csv(b"bsn\r\n1\r\n2\r\n3\r\n", 2))
    assert problem.code == FileProblem.TOO_MANY_ROWS


def test_a_file_without_header_is_refused() -> None:
    assert refused(lambda: read_csv(b"\r\n;;\r\n", 10)).code == FileProblem.NO_HEADER


def test_a_damaged_xlsx_is_refused() -> None:
    assert refused(lambda: read_xlsx(b"PK\x03\x04 not really a zip", 10)).code == FileProblem.UNREADABLE


def test_xlsx_cells_keep_their_types() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["BSN", "Geboortedatum"])
    sheet.append([12345678, datetime.datetime(1985, 5, 17)])
    sheet.append([None, None])
    sheet.append([12345679])
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = read_xlsx(buffer.getvalue(), 10)
    assert table.header == ["BSN", "Geboortedatum"]
    assert table.rows == [(2, [12345678, datetime.datetime(1985, 5, 17)]), (4, [12345679])]


def test_header_names_are_matched_case_insensitively_in_dutch_or_english() -> None:
    mapping = map_header(["BSN", "First name", "last_name", "Municipality", "E-mail", " Postcode "])
    assert [column.name for column in mapping.values()] == [
        "bsn",
        "voornaam",
        "achternaam",
        "gemeente",
        "email",
        "postcode",
    ]


def test_unknown_columns_refuse_the_whole_file_and_are_named() -> None:
    problem = refused(lambda: map_header([*HEADER, "schuldhulp", "Opmerking"]))
    assert problem.code == FileProblem.UNKNOWN_COLUMNS
    assert problem.detail == "'schuldhulp', 'Opmerking'"


def test_missing_required_columns_refuse_the_whole_file_and_are_listed() -> None:
    problem = refused(lambda: map_header(["bsn", "voornaam", "email"]))
    assert problem.code == FileProblem.MISSING_COLUMNS
    assert problem.detail == "'achternaam', 'gemeente'"


def test_the_same_column_twice_refuses_the_file() -> None:
    problem = refused(lambda: map_header([*HEADER, "e-mail"]))
    assert problem.code == FileProblem.DUPLICATE_COLUMNS


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"bsn;voornaam\r\n", "csv"),
        ("bsn;achternaam\r\n1;Çelik".encode("cp1252"), "csv"),
        ("bsn;achternaam\r\n1;Çelik".encode()[:-1], "csv"),
        (b"PK\x03\x04rest", "xlsx"),
        (b"%PDF-1.7\n\x00\x01binary", None),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", None),
        (b"\x89PNG\r\n\x1a\n", None),
    ],
)
def test_content_sniffing(head, expected) -> None:
    assert sniff_format(head) == expected


def test_an_xml_entity_bomb_in_an_xlsx_is_refused_quickly() -> None:
    """openpyxl parses with the standard library; expat (2.4 and later) stops entity expansion attacks."""
    import time
    import zipfile

    workbook = openpyxl.Workbook()
    workbook.active.append(["bsn"])
    plain = io.BytesIO()
    workbook.save(plain)
    entities = '<!ENTITY a0 "boom">' + "".join(f'<!ENTITY a{n} "{f"&a{n - 1};" * 10}">' for n in range(1, 10))
    bomb = (
        f'<?xml version="1.0"?><!DOCTYPE worksheet [{entities}]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&a9;</t></is></c></row></sheetData></worksheet>'
    )
    armed = io.BytesIO()
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(armed, "w") as target:
        for item in source.infolist():
            data = bomb.encode() if item.filename == "xl/worksheets/sheet1.xml" else source.read(item.filename)
            target.writestr(item, data)
    started = time.perf_counter()
    assert refused(lambda: read_xlsx(armed.getvalue(), 10)).code == FileProblem.UNREADABLE
    assert time.perf_counter() - started < 5
