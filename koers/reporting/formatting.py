"""Figures of a ``Report`` as the reader sees them, in the active language: the page, the PDF and the XLSX labels.

Django's own number formatting supplies the separators ("1.234,5" in Dutch, "1,234.5" in English); rounding happens
here first, because Django cuts surplus decimals off instead of rounding them.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from koers.reporting.report import SUPPRESSED, SUPPRESSED_LABEL, SUPPRESSION_THRESHOLD, Kind, Value
from koers.reporting.xlsx import XlsxLabels

NOTHING_LABEL = "–"  # nothing to report: no persons, or a measure that does not apply

DECIMALS = {
    Kind.COUNT: 0,
    Kind.DAYS: 0,
    Kind.HOURS: 1,
    Kind.PERCENT: 1,
    Kind.MONEY: 2,
    Kind.NUMBER: 2,
}


def format_value(value: Value, kind: Kind) -> str:
    """One cell as text: "x" for a withheld figure, "–" for none, a text as it is, a number rounded per kind."""
    if value is SUPPRESSED:
        return SUPPRESSED_LABEL
    if value is None:
        return NOTHING_LABEL
    if isinstance(value, str) or kind is Kind.TEXT:
        return str(value)
    number = Decimal(str(value))  # via str: the float 0.835 stays 0.835 instead of 0.83499…
    if kind is Kind.PERCENT:
        number *= 100
    decimals = DECIMALS[kind]
    rounded = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if rounded.is_zero():
        rounded = abs(rounded)  # no "-0,0" for a tiny negative
    if kind is Kind.MONEY:
        return _euros(rounded)
    text = number_format(rounded, decimal_pos=decimals, use_l10n=True, force_grouping=True)
    return f"{text}%" if kind is Kind.PERCENT else text


def _euros(amount: Decimal) -> str:
    """Dutch writes "€ -1.234,56", English "-€1,234.56"."""
    digits = number_format(abs(amount), decimal_pos=2, use_l10n=True, force_grouping=True)
    sign = "-" if amount < 0 else ""
    if (get_language() or "").startswith("en"):
        return f"{sign}€{digits}"
    return f"€ {sign}{digits}"


def suppression_note() -> str:
    """What "x" means, wherever it appears: beside the figures and as the explanation of each withheld cell."""
    return _(
        "%(label)s = withheld: fewer than %(threshold)s persons, or a figure from which such a number could be "
        "worked out"
    ) % {"label": SUPPRESSED_LABEL, "threshold": SUPPRESSION_THRESHOLD}


def xlsx_labels() -> XlsxLabels:
    """The fixed words of the workbook in the active language (xlsx.py itself is pure and translates nothing)."""
    english = (get_language() or "").startswith("en")
    return XlsxLabels(
        about=_("About this report"),
        organisation=_("Organisation"),
        period=_("Period"),
        generated_at=_("Generated at"),
        assumptions=_("Assumptions"),
        suppressed=suppression_note(),
        total=_("Total"),
        notes=_("Notes"),
        date_format="yyyy-mm-dd" if english else "d-m-yyyy",
    )
