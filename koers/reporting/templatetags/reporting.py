"""Showing a ``Report`` on a page: each cell formatted for its column, a withheld figure explained where it stands."""

from collections.abc import Sequence

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from koers.reporting.formatting import format_value, suppression_note
from koers.reporting.report import SUPPRESSED, Column, Kind, Value

register = template.Library()
register.simple_tag(suppression_note, name="suppression_note")


@register.filter
def report_value(value: Value, kind: Kind = Kind.COUNT) -> SafeString:
    """The figure as the reader's language writes it; "x" carries its explanation (the page repeats it visibly)."""
    text = format_value(value, Kind(kind))
    if value is SUPPRESSED:
        return format_html('<abbr title="{}">{}</abbr>', suppression_note(), text)
    return format_html("{}", text)


@register.filter
def with_columns(row: Sequence[Value], columns: Sequence[Column]) -> list[tuple[Value, Column]]:
    """The cells of a row beside their columns, so that each is formatted for its column's kind."""
    return list(zip(row, columns, strict=True))
