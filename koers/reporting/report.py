"""The shape every report takes: sections of tables (and charts), whatever the report and whatever the output.

The page, the XLSX, the CSV and the PDF all render this one structure, so a figure cannot differ between them. Pure
Python, no Django: selectors build a ``Report`` from aggregate queries, renderers turn it into bytes or HTML. Labels
arrive already translated.

A value is a number of the column's ``Kind`` (``PERCENT`` as a fraction 0–1, ``MONEY`` in euros), a text, ``None``
(nothing to report, shown as "–") or ``SUPPRESSED``: a figure withheld because it concerns fewer than
``SUPPRESSION_THRESHOLD`` persons, or because it would let a withheld figure be computed back from a total.
"""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

# Below this many persons a figure could point to individuals (SECURITY.md item 28).
SUPPRESSION_THRESHOLD = 5


class Kind(StrEnum):
    TEXT = "text"
    COUNT = "count"  # persons or things, a whole number
    PERCENT = "percent"  # a fraction 0–1, shown as a percentage with one decimal
    MONEY = "money"  # euros, two decimals
    HOURS = "hours"  # one decimal
    DAYS = "days"  # whole days
    NUMBER = "number"  # any other measure, two decimals (an effect size, a ratio)


class Suppressed:
    """The one withheld value, whether it concerns fewer than 5 persons or would give such a figure away: shown as
    ``SUPPRESSED_LABEL`` on every output, because a reader must not learn which of the two it is."""

    _instance: "Suppressed | None" = None

    def __new__(cls) -> "Suppressed":
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "SUPPRESSED"

    def __bool__(self) -> bool:
        return False


SUPPRESSED = Suppressed()
# Statistics Netherlands' sign for a confidential figure. Not "<5": a complement withheld to protect a small cell is
# often larger, and the sign must not tell the two apart.
SUPPRESSED_LABEL = "x"

Value = str | int | float | Decimal | None | Suppressed


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: Kind = Kind.COUNT


@dataclass
class Table:
    """A table with a header row; ``rows`` and ``total`` hold one value per column (the first usually a label)."""

    key: str
    title: str
    columns: Sequence[Column]
    rows: list[list[Value]] = field(default_factory=list)
    total: list[Value] | None = None
    note: str = ""

    def column(self, key: str) -> list[Value]:
        """The values of one column, total excluded: for tests and for charts."""
        index = [c.key for c in self.columns].index(key)
        return [row[index] for row in self.rows]

    def cell(self, row_label: str, key: str) -> Value:
        """The value in the row whose first cell is ``row_label`` (or the total row, as ``total``)."""
        index = [c.key for c in self.columns].index(key)
        if self.total is not None and row_label == "total":
            return self.total[index]
        for row in self.rows:
            if row[0] == row_label:
                return row[index]
        raise KeyError(row_label)


@dataclass(frozen=True)
class Chart:
    """An accessible SVG (role="img", <title>, <desc>) drawn from one of the section's tables, which is its text
    alternative; ``svg`` is complete markup, safe to insert as is."""

    title: str
    svg: str


@dataclass
class Section:
    key: str
    title: str
    intro: str = ""
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Period:
    """From ``start`` to ``end``, both days included."""

    start: datetime.date
    end: datetime.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("A period ends on or after its start.")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass
class Report:
    kind: str  # ReportKind value: "financier" or "management"
    title: str
    subtitle: str  # e.g. "Gemeente Lekkerwaard, 1-1-2026 t/m 30-6-2026"
    organisation: str
    period: Period
    generated_at: datetime.datetime
    sections: list[Section] = field(default_factory=list)
    # The assumptions behind derived figures (hourly rates, minutes per conversation), as (label, shown value).
    assumptions: list[tuple[str, str]] = field(default_factory=list)

    def section(self, key: str) -> Section:
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(key)

    def table(self, key: str) -> Table:
        for section in self.sections:
            for table in section.tables:
                if table.key == key:
                    return table
        raise KeyError(key)


# Reports call this between sections, so a background export can show how far it is: (done, total, step label).
Progress = Callable[[int, int, str], None]


def no_progress(done: int, total: int, step: str) -> None:
    """The default when nobody watches (the page itself)."""
