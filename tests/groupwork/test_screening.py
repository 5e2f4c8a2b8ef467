"""Screening (pure): a contra-indication blocks; a need asks for a fitting variant or a note on support."""

import ast
from pathlib import Path

import pytest

from koers.clients.models import CONTRA_INDICATION_KINDS, NEED_KINDS, FlagKind
from koers.groupwork import screening
from koers.groupwork.models import Variant
from koers.groupwork.screening import FITTING_VARIANTS, UnmetNeed, screen

ALL_VARIANTS = ("standard", "small_group", "language_support", "blended")
CONTRAS = sorted(CONTRA_INDICATION_KINDS)


def test_a_client_without_flags_passes() -> None:
    result = screen([], CONTRAS, ALL_VARIANTS, "standard")
    assert result.passed
    assert result.blocking == ()
    assert result.unmet_needs == ()


@pytest.mark.parametrize("kind", sorted(CONTRA_INDICATION_KINDS))
def test_a_contra_indication_listed_by_the_programme_blocks(kind: str) -> None:
    result = screen([kind], CONTRAS, ALL_VARIANTS, "standard", "A coach checks in after each session.")
    assert not result.passed
    assert result.blocking == (kind,)


def test_a_contra_indication_the_programme_does_not_list_does_not_block() -> None:
    result = screen(["active_addiction"], ["acute_crisis"], ALL_VARIANTS, "standard")
    assert result.passed


def test_a_need_listed_as_contra_indication_blocks_instead_of_routing() -> None:
    result = screen(["psychological_condition"], ["psychological_condition"], ALL_VARIANTS, "small_group")
    assert result.blocking == ("psychological_condition",)
    assert result.unmet_needs == ()


@pytest.mark.parametrize(
    ("kind", "variant"),
    [
        ("low_language", "language_support"),
        ("cognitive_limitation", "small_group"),
        ("cognitive_limitation", "language_support"),
        ("psychological_condition", "small_group"),
    ],
)
def test_a_need_is_met_by_a_fitting_variant_the_programme_offers(kind: str, variant: str) -> None:
    assert screen([kind], CONTRAS, ALL_VARIANTS, variant).passed


@pytest.mark.parametrize(
    ("kind", "variant"),
    [
        ("low_language", "standard"),
        ("low_language", "small_group"),
        ("low_language", "blended"),
        ("cognitive_limitation", "standard"),
        ("psychological_condition", "language_support"),
        ("psychological_condition", "blended"),
    ],
)
def test_a_need_without_fitting_variant_or_note_is_unmet(kind: str, variant: str) -> None:
    result = screen([kind], CONTRAS, ALL_VARIANTS, variant)
    assert not result.passed
    assert [need.kind for need in result.unmet_needs] == [kind]


def test_a_fitting_variant_the_programme_does_not_offer_does_not_meet_the_need() -> None:
    result = screen(["low_language"], CONTRAS, ("standard", "small_group"), "language_support")
    assert result.unmet_needs == (UnmetNeed("low_language", ("language_support",), ()),)
    assert not result.variant_offered


def test_the_unmet_need_names_the_fitting_variants_the_programme_offers() -> None:
    result = screen(["cognitive_limitation"], CONTRAS, ("standard", "small_group"), "standard")
    assert result.unmet_needs == (
        UnmetNeed("cognitive_limitation", ("small_group", "language_support"), ("small_group",)),
    )


def test_a_written_note_on_support_beside_the_group_meets_every_need() -> None:
    kinds = ["low_language", "cognitive_limitation", "psychological_condition"]
    result = screen(kinds, CONTRAS, ("standard",), "standard", "Taalmaatje komt mee naar elke bijeenkomst.")
    assert result.passed


def test_a_blank_note_is_no_note() -> None:
    assert not screen(["low_language"], CONTRAS, ALL_VARIANTS, "standard", "   \n ").passed


def test_one_variant_meets_one_need_and_the_other_stays_unmet() -> None:
    result = screen(["low_language", "psychological_condition"], CONTRAS, ALL_VARIANTS, "language_support")
    assert [need.kind for need in result.unmet_needs] == ["psychological_condition"]


def test_a_contra_indication_blocks_even_with_needs_met() -> None:
    result = screen(["low_language", "acute_crisis"], CONTRAS, ALL_VARIANTS, "language_support")
    assert result.blocking == ("acute_crisis",)
    assert result.unmet_needs == ()


def test_the_rules_cover_exactly_the_need_kinds_and_valid_variants() -> None:
    assert set(FITTING_VARIANTS) == {str(kind) for kind in NEED_KINDS}
    assert {v for variants in FITTING_VARIANTS.values() for v in variants} <= set(Variant.values)
    assert set(FITTING_VARIANTS) <= set(FlagKind.values)


def test_screening_is_pure_python() -> None:
    tree = ast.parse(Path(screening.__file__).read_text())
    imported = {
        name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for name in ([a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""])
    }
    assert not imported & {"django", "koers"}
