"""From answers to scale scores. Pure Python: the rule is the organisation's published one, the same everywhere.

A scale's score is the mean of its items, a reverse-scored item counted as ``low + high − answer``. A scale with a
missing item gets no score rather than a mean over fewer items, so scores at different moments stay comparable.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class ItemRule:
    item_id: int
    scale_id: int
    reverse_scored: bool


def item_value(answer: int, *, low: int, high: int, reverse_scored: bool) -> int:
    """The answer as it counts towards its scale; raises ``ValueError`` outside the answer range."""
    if not low <= answer <= high:
        raise ValueError(f"answer {answer} outside {low}–{high}")
    return low + high - answer if reverse_scored else answer


def scale_scores(items: Sequence[ItemRule], answers: Mapping[int, int], *, low: int, high: int) -> dict[int, Decimal]:
    """Scale id → mean item value (three decimals), for every scale whose items were all answered."""
    values: dict[int, list[int]] = {}
    incomplete: set[int] = set()
    for item in items:
        answer = answers.get(item.item_id)
        if answer is None:
            incomplete.add(item.scale_id)
            continue
        values.setdefault(item.scale_id, []).append(
            item_value(answer, low=low, high=high, reverse_scored=item.reverse_scored)
        )
    return {
        scale_id: (Decimal(sum(scores)) / Decimal(len(scores))).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)
        for scale_id, scores in values.items()
        if scale_id not in incomplete
    }
