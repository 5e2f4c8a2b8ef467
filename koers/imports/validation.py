"""Checking one row of a client file and turning its cells into Client values, or into reasons to reject it."""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import models
from django.utils import timezone, translation
from stdnum.nl import bsn as bsn_number

from koers.accounts.models import Municipality, User
from koers.accounts.roles import Role
from koers.clients.models import AVAILABILITY_SLOTS, Client, LanguageLevel
from koers.imports.columns import Column
from koers.imports.models import RejectionReason
from koers.imports.reading import Cell

EARLIEST_BIRTH = datetime.date(1900, 1, 1)
ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$")
DUTCH_DATE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
POSTAL_CODE = re.compile(r"^([1-9][0-9]{3})\s*([A-Za-z]{2})$")
PHONE = re.compile(r"^[0-9+\-() ]+$")
SLOT_SEPARATORS = re.compile(r"[;,|/]+")
WORD_SEPARATORS = re.compile(r"[\s_\-]+")
CBS_CODE = re.compile(r"^(?:GM)?(\d{4})$", re.IGNORECASE)
FORMULA_STARTS = ("=", "+", "-", "@")

DAYS = {
    "mon": ("ma", "maandag", "mon", "monday"),
    "tue": ("di", "dinsdag", "tue", "tuesday"),
    "wed": ("wo", "woensdag", "wed", "wednesday"),
    "thu": ("do", "donderdag", "thu", "thursday"),
    "fri": ("vr", "vrijdag", "fri", "friday"),
}
PARTS = {
    "morning": ("ochtend", "morgen", "morning"),
    "afternoon": ("middag", "afternoon"),
    "evening": ("avond", "evening"),
}
DAY_WORDS = {word: code for code, words in DAYS.items() for word in words}
PART_WORDS = {word: code for code, words in PARTS.items() for word in words}


# Field lengths come from the model, so a change there cannot let a too long value reach the database.
def _max_length(name: str) -> int | None:
    field = Client._meta.get_field(name)
    return field.max_length if isinstance(field, models.Field) else None


MAX_LENGTHS = {name: _max_length(name) for name in ("first_name", "last_name", "email", "phone", "street", "city")}

validate_email = EmailValidator()


class RowProblemError(Exception):
    def __init__(self, code: RejectionReason, number: int | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.number = number


@dataclass
class Problem:
    column: str
    code: RejectionReason
    number: int | None = None


@dataclass
class RowResult:
    row_number: int
    bsn: str = ""
    bsn_column: str = ""  # the BSN column's name as the file writes it
    masked_bsn: str = ""
    values: dict[str, Any] = field(default_factory=dict)  # Client attribute → value, only for filled cells
    problems: list[Problem] = field(default_factory=list)


def cell_text(cell: Cell) -> str:
    """A cell as text: Excel numbers without a trailing '.0', dates in ISO form."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return str(cell)
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime.datetime | datetime.date):
        return cell.isoformat()
    return str(cell).strip()


def mask(digits: str) -> str:
    """The last four digits only, as everywhere in Koers: '*****1234'."""
    digits = re.sub(r"\D", "", digits)
    return f"*****{digits[-4:]}" if len(digits) >= 4 else ""


def parse_bsn(cell: Cell) -> str:
    """Nine digits passing the eleven test. A number cell lost its leading zero (Excel): 8 digits are padded."""
    text = cell_text(cell)
    compact = re.sub(r"[\s.\-]", "", text)
    if not compact.isdigit() or len(compact) not in (8, 9):
        raise RowProblemError(RejectionReason.BSN_FORMAT)
    compact = compact.zfill(9)
    if not bsn_number.is_valid(compact):
        raise RowProblemError(RejectionReason.BSN_CHECKSUM)
    return compact


def parse_date(cell: Cell) -> datetime.date:
    if isinstance(cell, datetime.datetime):
        day = cell.date()
    elif isinstance(cell, datetime.date):
        day = cell
    else:
        text = cell_text(cell)
        iso, dutch = ISO_DATE.match(text), DUTCH_DATE.match(text)
        try:
            if iso:
                day = datetime.date(int(iso[1]), int(iso[2]), int(iso[3]))
            elif dutch:
                day = datetime.date(int(dutch[3]), int(dutch[2]), int(dutch[1]))
            else:
                raise RowProblemError(RejectionReason.DATE_FORMAT)
        except ValueError as error:  # 31-02-1980 and the like
            raise RowProblemError(RejectionReason.DATE_FORMAT) from error
    if not EARLIEST_BIRTH <= day <= timezone.localdate():
        raise RowProblemError(RejectionReason.DATE_RANGE)
    return day


def parse_phone(cell: Cell) -> str:
    """As written. A number cell lost the leading zero of a Dutch number (612345678): it is put back."""
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        digits = cell_text(cell)
        return f"0{digits}" if len(digits) == 9 else digits
    text = cell_text(cell)
    if not PHONE.match(text) or not any(char.isdigit() for char in text):
        raise RowProblemError(RejectionReason.PHONE)
    return _within_limit("phone", text)


def parse_postal_code(cell: Cell) -> str:
    match = POSTAL_CODE.match(cell_text(cell))
    if not match:
        raise RowProblemError(RejectionReason.POSTAL_CODE)
    return f"{match[1]} {match[2].upper()}"


def parse_email(cell: Cell) -> str:
    text = _within_limit("email", cell_text(cell))
    try:
        validate_email(text)
    except ValidationError as error:
        raise RowProblemError(RejectionReason.EMAIL) from error
    return text


@cache
def language_levels() -> dict[str, str]:
    """Codes, English and Dutch labels and a few common words, all lower case → LanguageLevel value."""
    names: dict[str, str] = {}
    for level in LanguageLevel:
        names[level.value.lower()] = level.value
        for language in ("en", "nl"):
            with translation.override(language):
                names[str(level.label).lower()] = level.value
    extra = {
        "onder a1": LanguageLevel.BELOW_A1,
        "lager dan a1": LanguageLevel.BELOW_A1,
        "below a1": LanguageLevel.BELOW_A1,
        "a0": LanguageLevel.BELOW_A1,
        "b2 of hoger": LanguageLevel.B2,
        "c1": LanguageLevel.B2,
        "c2": LanguageLevel.B2,
        "moedertaal": LanguageLevel.NATIVE,
        "moedertaalspreker": LanguageLevel.NATIVE,
    }
    names.update({word: level.value for word, level in extra.items()})
    return names


def parse_language_level(cell: Cell) -> str:
    level = language_levels().get(" ".join(cell_text(cell).lower().split()))
    if level is None:
        raise RowProblemError(RejectionReason.LANGUAGE_LEVEL)
    return level


def _slot(token: str) -> str | None:
    words = [word for word in WORD_SEPARATORS.split(token) if word]
    if len(words) == 1:  # "maandagochtend"
        word = words[0]
        for day in sorted(DAY_WORDS, key=len, reverse=True):
            if word.startswith(day) and word[len(day) :] in PART_WORDS:
                words = [day, word[len(day) :]]
                break
    if len(words) != 2 or words[0] not in DAY_WORDS or words[1] not in PART_WORDS:
        return None
    return f"{DAY_WORDS[words[0]]}_{PART_WORDS[words[1]]}"


def parse_availability(cell: Cell) -> list[str]:
    """'ma-ochtend;di-middag' → ['mon_morning', 'tue_afternoon'], in the fixed order of AVAILABILITY_SLOTS."""
    slots = set()
    for token in SLOT_SEPARATORS.split(cell_text(cell).lower()):
        if not token.strip():
            continue
        slot = _slot(token.strip())
        if slot is None:
            raise RowProblemError(RejectionReason.AVAILABILITY)
        slots.add(slot)
    return [slot for slot in AVAILABILITY_SLOTS if slot in slots]


def _within_limit(name: str, text: str) -> str:
    limit = MAX_LENGTHS[name]
    if limit is not None and len(text) > limit:
        raise RowProblemError(RejectionReason.TOO_LONG, limit)
    return text


def text_parser(name: str) -> Callable[[Cell], str]:
    def parse(cell: Cell) -> str:
        text = cell_text(cell)
        # No name or address starts so; stored, it would run as a formula in a spreadsheet export.
        if text.startswith(FORMULA_STARTS):
            raise RowProblemError(RejectionReason.FORMULA)
        return _within_limit(name, text)

    return parse


@dataclass
class Lookups:
    """The organisation's municipalities and consultants, read once per import."""

    municipalities: dict[str, int]
    consultants: dict[str, int]

    @classmethod
    def for_organisation(cls, organisation_id: int) -> "Lookups":
        municipalities: dict[str, int] = {}
        for pk, name, code in Municipality.objects.filter(organisation_id=organisation_id).values_list(
            "pk", "name", "cbs_code"
        ):
            municipalities[" ".join(name.lower().split())] = pk
            if code:
                municipalities[code.upper()] = pk
        consultants: dict[str, int] = {}
        folded: dict[str, list[int]] = {}
        active = User.objects.filter(
            organisation_id=organisation_id, is_active=True, role_assignments__role=Role.CONSULTANT
        ).values_list("pk", "username")
        for pk, username in active:
            consultants[username] = pk
            folded.setdefault(username.lower(), []).append(pk)
        for username, pks in folded.items():
            if len(pks) == 1:
                consultants.setdefault(username, pks[0])
        return cls(municipalities, consultants)

    def municipality(self, cell: Cell) -> int:
        text = " ".join(cell_text(cell).split())
        code = CBS_CODE.match(text)
        pk = self.municipalities.get(f"GM{code[1]}") if code else self.municipalities.get(text.lower())
        if pk is None:
            raise RowProblemError(RejectionReason.MUNICIPALITY)
        return pk

    def consultant(self, cell: Cell) -> int:
        text = cell_text(cell)
        pk = self.consultants.get(text) or self.consultants.get(text.lower())
        if pk is None:
            raise RowProblemError(RejectionReason.CONSULTANT)
        return pk


class RowValidator:
    """Checks rows against the file's header mapping; one instance per import."""

    def __init__(self, header: list[str], mapping: dict[int, Column], lookups: Lookups) -> None:
        self.header = header
        self.mapping = mapping
        self.parsers: dict[str, Callable[[Cell], Any]] = {
            "bsn": parse_bsn,
            "first_name": text_parser("first_name"),
            "last_name": text_parser("last_name"),
            "date_of_birth": parse_date,
            "municipality_id": lookups.municipality,
            "consultant_id": lookups.consultant,
            "email": parse_email,
            "phone": parse_phone,
            "street": text_parser("street"),
            "postal_code": parse_postal_code,
            "city": text_parser("city"),
            "language_level": parse_language_level,
            "availability": parse_availability,
        }

    def validate(self, row_number: int, cells: list[Cell]) -> RowResult:
        result = RowResult(row_number=row_number)
        filled: set[str] = set()
        for index, cell in enumerate(cells):
            column = self.mapping.get(index)
            blank = cell is None or (isinstance(cell, str) and not cell.strip())
            if column is None:
                if not blank and not any(p.code == RejectionReason.EXTRA_VALUES for p in result.problems):
                    name = self.header[index] if index < len(self.header) else ""
                    result.problems.append(Problem(name, RejectionReason.EXTRA_VALUES))
                continue
            if blank:
                continue  # an empty optional cell leaves the field as it is
            filled.add(column.name)
            if column.field == "bsn":
                result.bsn_column = self.header[index]
                result.masked_bsn = mask(cell_text(cell))
            try:
                value = self.parsers[column.field](cell)
            except RowProblemError as problem:
                result.problems.append(Problem(self.header[index], problem.code, problem.number))
                continue
            if column.field == "bsn":
                result.bsn = value
                result.masked_bsn = mask(value)
            else:
                result.values[column.field] = value
        for index, column in self.mapping.items():
            if column.required and column.name not in filled:
                result.problems.append(Problem(self.header[index], RejectionReason.REQUIRED))
        return result
