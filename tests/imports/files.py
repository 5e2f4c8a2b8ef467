"""Building client files for the import tests (and the browser test): rows in the documented layout."""

import csv
import io
from typing import Any

from tests import factories

HEADER = [
    "bsn",
    "voornaam",
    "achternaam",
    "geboortedatum",
    "gemeente",
    "klantmanager",
    "email",
    "telefoon",
    "straat",
    "postcode",
    "woonplaats",
    "taalniveau",
    "beschikbaarheid",
]


def bsn(n: int) -> str:
    """The n-th fictitious BSN in the demo block (999…), passing the eleven test."""
    return factories._valid_bsn(n)


def csv_bytes(rows: list[list[object]], header: list[str] = HEADER, delimiter: str = ";") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def row(number: int, **overrides: object) -> list[Any]:
    values: dict[str, object] = {
        "bsn": bsn(number),
        "voornaam": "Sanne",
        "achternaam": f"Achternaam{number}",
        "geboortedatum": "1985-05-17",
        "gemeente": "Lekkerwaard",
        "klantmanager": "j.jansen",
        "email": f"client{number}@example.org",
        "telefoon": "06-12345678",
        "straat": "Dorpsstraat 1",
        "postcode": "4231 AB",
        "woonplaats": "Lekkerwaard",
        "taalniveau": "B1",
        "beschikbaarheid": "ma-ochtend;di-middag",
    }
    values.update(overrides)
    return [values[name] for name in HEADER]
