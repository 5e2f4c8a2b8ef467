"""The column layout of a client file: one place for the parser, the upload page and docs/import-format.md."""

import re
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Column:
    name: str  # the Dutch column name, as documented
    field: str  # the Client attribute it fills
    required: bool
    aliases: tuple[str, ...]  # other accepted names (English and common variants), compared normalised
    description: Promise


COLUMNS: tuple[Column, ...] = (
    Column("bsn", "bsn", True, ("burgerservicenummer",), _("9 digits, passes the eleven test; identifies the client.")),
    Column("voornaam", "first_name", True, ("first name", "firstname", "roepnaam"), _("First name.")),
    Column("achternaam", "last_name", True, ("last name", "lastname", "surname"), _("Last name, with prefixes.")),
    Column(
        "geboortedatum",
        "date_of_birth",
        False,
        ("date of birth", "birth date", "birthdate"),
        _("YYYY-MM-DD or DD-MM-YYYY, or a date cell in Excel."),
    ),
    Column(
        "gemeente",
        "municipality_id",
        True,
        ("municipality",),
        _("Name or CBS code (such as GM0307) of a municipality your organisation serves."),
    ),
    Column(
        "klantmanager",
        "consultant_id",
        False,
        ("consultant", "trajectbegeleider"),
        _("Username of an active consultant of your organisation; a change moves the client to that caseload."),
    ),
    Column("email", "email", False, ("e mail", "emailadres", "e mailadres"), _("E-mail address.")),
    Column("telefoon", "phone", False, ("phone", "telefoonnummer"), _("Phone number.")),
    Column("straat", "street", False, ("street", "adres", "address"), _("Street and house number.")),
    Column("postcode", "postal_code", False, ("postal code", "zip code"), _("Dutch postal code; saved as 1234 AB.")),
    Column("woonplaats", "city", False, ("city", "plaats"), _("Place of residence.")),
    Column(
        "taalniveau",
        "language_level",
        False,
        ("language level",),
        _("Dutch language level: below_a1, A1, A2, B1, B2 or native (Dutch names such as 'moedertaal' also work)."),
    ),
    Column(
        "beschikbaarheid",
        "availability",
        False,
        ("availability",),
        _("Day parts, separated by ; for example ma-ochtend;di-middag;wo-avond."),
    ),
)

REQUIRED_COLUMNS = tuple(column for column in COLUMNS if column.required)


def normalise_header(text: str) -> str:
    """'E-mail', ' e_mail ' and 'E MAIL' all become 'e mail'."""
    return re.sub(r"[\s_\-]+", " ", text.replace("\ufeff", "")).strip().lower()


HEADER_NAMES: dict[str, Column] = {
    normalise_header(name): column
    for column in COLUMNS
    for name in (column.name, column.field.removesuffix("_id"), *column.aliases)
}
