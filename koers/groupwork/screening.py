"""Screening of a referral (DOMAIN.md §4): contra-indications block; needs route the client to a fitting variant.

A need (low language proficiency, a cognitive limitation, a psychological condition) is no exclusion, but asks for a
variant of the programme that fits it, or a written note on extra support beside the group. Pure Python: kinds and
variants are the string values of ``clients.FlagKind`` and ``groupwork.Variant``, so this module imports no Django;
the services turn the result into readable messages.
"""

from collections.abc import Iterable
from dataclasses import dataclass

STANDARD = "standard"

# Which variants of a programme answer a need. A need not listed here asks for nothing.
FITTING_VARIANTS: dict[str, tuple[str, ...]] = {
    "low_language": ("language_support",),
    "cognitive_limitation": ("small_group", "language_support"),
    "psychological_condition": ("small_group",),
}


@dataclass(frozen=True)
class UnmetNeed:
    """A need that neither the chosen variant nor a support note provides for."""

    kind: str
    fitting: tuple[str, ...]  # the variants that would answer it
    offered: tuple[str, ...]  # of those, the ones this programme offers


@dataclass(frozen=True)
class ScreeningResult:
    blocking: tuple[str, ...]  # contra-indication kinds that exclude the client from the programme
    unmet_needs: tuple[UnmetNeed, ...]
    variant_offered: bool  # the chosen variant is one the programme offers

    @property
    def passed(self) -> bool:
        return not self.blocking and not self.unmet_needs and self.variant_offered


def screen(
    flag_kinds: Iterable[str],
    contra_indications: Iterable[str],
    offered_variants: Iterable[str],
    chosen_variant: str,
    support_note: str = "",
) -> ScreeningResult:
    """Screen a client's recorded needs and contra-indications against a programme and the chosen variant.

    A kind the programme lists as a contra-indication blocks, even if it is a need elsewhere. Each remaining need is
    met by a chosen variant that fits it and that the programme offers, or by a written support note.
    """
    kinds = sorted(set(flag_kinds))
    excluded = set(contra_indications)
    offered = tuple(offered_variants)
    has_note = bool(support_note.strip())
    blocking = tuple(kind for kind in kinds if kind in excluded)
    unmet = []
    for kind in kinds:
        if kind in excluded or kind not in FITTING_VARIANTS:
            continue
        fitting = FITTING_VARIANTS[kind]
        if has_note or (chosen_variant in fitting and chosen_variant in offered):
            continue
        unmet.append(UnmetNeed(kind, fitting, tuple(v for v in fitting if v in offered)))
    return ScreeningResult(
        blocking=blocking,
        unmet_needs=tuple(unmet),
        variant_offered=chosen_variant in offered or chosen_variant == STANDARD,
    )
