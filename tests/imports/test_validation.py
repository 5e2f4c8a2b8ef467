"""Row checks: every kind of bad cell gives its own reason, good cells are normalised."""

import datetime

import pytest
from stdnum.nl import bsn as bsn_number

from koers.imports.columns import COLUMNS
from koers.imports.models import RejectionReason
from koers.imports.reading import map_header
from koers.imports.validation import (
    Lookups,
    RowProblemError,
    RowValidator,
    parse_availability,
    parse_bsn,
    parse_date,
    parse_language_level,
    parse_phone,
    parse_postal_code,
)
from tests.imports.files import HEADER, bsn, row

pytestmark = pytest.mark.django_db


def reason_of(parse, value) -> RejectionReason:
    with pytest.raises(RowProblemError) as caught:
        parse(value)
    return caught.value.code


@pytest.fixture
def validator(municipality, consultant) -> RowValidator:
    return RowValidator(HEADER, map_header(HEADER), Lookups.for_organisation(municipality.organisation_id))


def test_a_valid_row_gives_client_values(validator, municipality, consultant) -> None:
    result = validator.validate(2, row(1))
    assert result.problems == []
    assert result.bsn == bsn(1)
    assert result.masked_bsn == f"*****{bsn(1)[-4:]}"
    assert result.values["municipality_id"] == municipality.pk
    assert result.values["consultant_id"] == consultant.pk
    assert result.values["availability"] == ["mon_morning", "tue_afternoon"]
    assert result.values["date_of_birth"] == datetime.date(1985, 5, 17)


def test_bsn_failing_the_eleven_test_is_rejected() -> None:
    assert reason_of(parse_bsn, "123456789") == RejectionReason.BSN_CHECKSUM
    assert reason_of(parse_bsn, "12345") == RejectionReason.BSN_FORMAT
    assert reason_of(parse_bsn, "12345678a") == RejectionReason.BSN_FORMAT


def test_bsn_from_an_excel_number_cell_gets_its_leading_zero_back() -> None:
    valid_with_zero = next(
        f"0{n:07d}{d}" for n in range(1_000_000, 1_000_100) for d in range(10) if bsn_number.is_valid(f"0{n:07d}{d}")
    )
    assert parse_bsn(int(valid_with_zero)) == valid_with_zero
    assert parse_bsn(float(int(valid_with_zero))) == valid_with_zero
    assert parse_bsn(valid_with_zero.lstrip("0")) == valid_with_zero, "a CSV saved by Excel loses it too"
    assert parse_bsn(f" {valid_with_zero[:4]}.{valid_with_zero[4:6]}.{valid_with_zero[6:]} ") == valid_with_zero


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1985-05-17", datetime.date(1985, 5, 17)),
        ("17-05-1985", datetime.date(1985, 5, 17)),
        ("7-5-1985", datetime.date(1985, 5, 7)),
        ("17/05/1985", datetime.date(1985, 5, 17)),
        ("1985-05-17 00:00:00", datetime.date(1985, 5, 17)),
        (datetime.datetime(1985, 5, 17, 0, 0), datetime.date(1985, 5, 17)),
        (datetime.date(1985, 5, 17), datetime.date(1985, 5, 17)),
    ],
)
def test_dates_in_the_documented_forms(value, expected) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["31-02-1985", "1985/05/17", "17 mei 1985", "05-17-1985", 31186])
def test_bad_dates_are_rejected(value) -> None:
    assert reason_of(parse_date, value) == RejectionReason.DATE_FORMAT


def test_dates_of_birth_in_the_future_or_before_1900_are_rejected() -> None:
    assert reason_of(parse_date, "1899-12-31") == RejectionReason.DATE_RANGE
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    assert reason_of(parse_date, tomorrow.isoformat()) == RejectionReason.DATE_RANGE


def test_municipality_by_name_or_cbs_code_of_the_own_organisation_only(municipality, consultant) -> None:
    from tests import factories

    other = factories.MunicipalityFactory(
        organisation=factories.OrganisationFactory(name="Ander werkbedrijf"), name="Elders", cbs_code="GM0307"
    )
    lookups = Lookups.for_organisation(municipality.organisation_id)
    assert lookups.municipality("lekkerwaard") == municipality.pk
    assert lookups.municipality(" LEKKERWAARD ") == municipality.pk
    assert lookups.municipality("GM9901") == municipality.pk
    assert lookups.municipality("gm9901") == municipality.pk
    assert lookups.municipality("9901") == municipality.pk
    assert reason_of(lookups.municipality, "Elders") == RejectionReason.MUNICIPALITY
    assert reason_of(lookups.municipality, other.cbs_code) == RejectionReason.MUNICIPALITY


def test_consultant_must_be_an_active_consultant_of_the_organisation(municipality, consultant, make_user) -> None:
    from koers.accounts.roles import Role
    from tests import factories

    make_user(Role.TRAINER, username="trainer1")
    gone = make_user(Role.CONSULTANT, username="vertrokken")
    gone.is_active = False
    gone.save()
    factories.UserFactory(
        username="buiten", organisation=factories.OrganisationFactory(name="Elders BV"), roles=[Role.CONSULTANT]
    )
    lookups = Lookups.for_organisation(municipality.organisation_id)
    assert lookups.consultant("j.jansen") == consultant.pk
    assert lookups.consultant("J.Jansen") == consultant.pk
    for username in ("trainer1", "vertrokken", "buiten", "onbekend"):
        assert reason_of(lookups.consultant, username) == RejectionReason.CONSULTANT, username


@pytest.mark.parametrize(
    ("value", "expected"), [("1234ab", "1234 AB"), ("1234 AB", "1234 AB"), (" 1234  ab ", "1234 AB")]
)
def test_postal_codes_are_normalised(value, expected) -> None:
    assert parse_postal_code(value) == expected


@pytest.mark.parametrize("value", ["0234 AB", "1234", "12345 AB", "ABCD 12", 1234])
def test_bad_postal_codes_are_rejected(value) -> None:
    assert reason_of(parse_postal_code, value) == RejectionReason.POSTAL_CODE


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("ma-ochtend;di-middag", ["mon_morning", "tue_afternoon"]),
        ("di-middag; ma-ochtend", ["mon_morning", "tue_afternoon"]),
        ("Maandag Ochtend, vrijdag avond", ["mon_morning", "fri_evening"]),
        ("maandagochtend", ["mon_morning"]),
        ("wed_evening|thu_morning", ["wed_evening", "thu_morning"]),
        ("ma-ochtend;ma-ochtend", ["mon_morning"]),
    ],
)
def test_availability_maps_to_the_slot_codes(value, expected) -> None:
    assert parse_availability(value) == expected


@pytest.mark.parametrize("value", ["za-ochtend", "ma", "ma-nacht", "altijd"])
def test_unknown_day_parts_are_rejected(value) -> None:
    assert reason_of(parse_availability, value) == RejectionReason.AVAILABILITY


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("B1", "B1"),
        ("b1", "B1"),
        ("below_a1", "below_a1"),
        ("onder A1", "below_a1"),
        ("moedertaal", "native"),
        ("C1", "B2"),
        ("Native speaker", "native"),
    ],
)
def test_language_levels_by_code_or_name(value, expected) -> None:
    assert parse_language_level(value) == expected


def test_unknown_language_level_is_rejected() -> None:
    assert reason_of(parse_language_level, "vloeiend") == RejectionReason.LANGUAGE_LEVEL


def test_phone_from_an_excel_number_cell_gets_its_zero_back() -> None:
    assert parse_phone(612345678) == "0612345678"
    assert parse_phone("+31 6 1234 5678") == "+31 6 1234 5678"
    assert reason_of(parse_phone, "bel maar") == RejectionReason.PHONE


def test_a_row_collects_every_problem_with_its_column(validator) -> None:
    bad = row(
        1,
        bsn="123456789",
        achternaam="",
        geboortedatum="gisteren",
        gemeente="Atlantis",
        klantmanager="x",
        email="geen-mail",
        postcode="1234",
    )
    result = validator.validate(7, bad)
    found = {(problem.column, problem.code) for problem in result.problems}
    assert found == {
        ("bsn", RejectionReason.BSN_CHECKSUM),
        ("achternaam", RejectionReason.REQUIRED),
        ("geboortedatum", RejectionReason.DATE_FORMAT),
        ("gemeente", RejectionReason.MUNICIPALITY),
        ("klantmanager", RejectionReason.CONSULTANT),
        ("email", RejectionReason.EMAIL),
        ("postcode", RejectionReason.POSTAL_CODE),
    }
    assert result.masked_bsn == "*****6789"


def test_empty_optional_cells_give_no_value(validator) -> None:
    result = validator.validate(2, row(1, email="", telefoon="", beschikbaarheid="", klantmanager=""))
    assert result.problems == []
    assert not {"email", "phone", "availability", "consultant_id"} & set(result.values)


def test_too_long_text_is_rejected_with_the_limit(validator) -> None:
    result = validator.validate(2, row(1, voornaam="x" * 101))
    assert [(p.code, p.number) for p in result.problems] == [(RejectionReason.TOO_LONG, 100)]


def test_values_under_a_column_without_a_name_reject_the_row(municipality, consultant) -> None:
    header = [*HEADER, ""]
    validator = RowValidator(header, map_header(header), Lookups.for_organisation(municipality.organisation_id))
    assert validator.validate(2, [*row(1), ""]).problems == []
    assert [p.code for p in validator.validate(3, [*row(2), "iets"]).problems] == [RejectionReason.EXTRA_VALUES]


def test_every_documented_column_is_accepted() -> None:
    assert len(map_header([column.name for column in COLUMNS])) == len(COLUMNS)


def test_phone_and_email_longer_than_the_field_are_rejected(validator) -> None:
    result = validator.validate(2, row(1, telefoon="0" * 33, email=f"{'a' * 250}@example.org"))
    assert sorted((p.column, p.code, p.number) for p in result.problems) == [
        ("email", RejectionReason.TOO_LONG, 254),
        ("telefoon", RejectionReason.TOO_LONG, 32),
    ]
