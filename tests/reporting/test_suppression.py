"""Small-cell suppression: the hand examples, and a proof by linear programming that no withheld count of a random
table can be computed back from what the table publishes."""

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from koers.reporting.report import SUPPRESSED, Column, Kind, Table
from koers.reporting.suppression import protect, share, withhold

S = SUPPRESSED


def counts_table(rows: list[list[int]], keys: list[str], *, total: bool = True) -> Table:
    """A table with a label column and one count column per key; the total row holds the column sums."""
    columns = [Column("label", "Label", Kind.TEXT), *(Column(key, key) for key in keys)]
    return Table(
        key="t",
        title="T",
        columns=columns,
        rows=[[f"row {index}", *row] for index, row in enumerate(rows)],
        total=["total", *(sum(column) for column in zip(*rows, strict=True))] if total else None,
    )


def with_sum(rows: list[list[int]]) -> list[list[int]]:
    """Each row followed by its sum."""
    return [[*row, sum(row)] for row in rows]


# Hand examples


def test_a_small_count_and_the_smallest_other_cell_of_its_column_are_withheld():
    table = counts_table([[3], [10], [12]], ["n"])
    protect(table, count_columns=["n"])
    assert table.column("n") == [S, S, 12]
    assert table.total == ["total", 25]


def test_a_small_count_in_a_row_sum_takes_a_complement_in_its_row_and_in_the_columns_it_touches():
    # men + women = all; row 0 has 3 women.
    table = counts_table(with_sum([[10, 3], [8, 7], [20, 12]]), ["men", "women", "all"])
    protect(table, count_columns=["men", "women", "all"], row_sums={"all": ["men", "women"]})
    # Row 0: 3 women, so the smallest other part (10 men) goes too; then each of those columns needs a second
    # withheld cell: the smallest inner one, row 1 (8 men, 7 women), which keeps row 1 in balance.
    assert table.rows == [
        ["row 0", S, S, 13],
        ["row 1", S, S, 15],
        ["row 2", 20, 12, 32],
    ]
    assert table.total == ["total", 38, 22, 60]


def test_zeros_are_published_and_never_chosen_while_a_positive_cell_will_do():
    table = counts_table([[0], [2], [0], [9], [6]], ["n"])
    protect(table, count_columns=["n"])
    assert table.column("n") == [0, S, 0, 9, S]
    assert table.total == ["total", 17]


def test_a_table_of_small_counts_is_withheld_entirely_but_its_zeros():
    table = counts_table(with_sum([[1, 2], [0, 1]]), ["a", "b", "all"])
    protect(table, count_columns=["a", "b", "all"], row_sums={"all": ["a", "b"]})
    assert table.rows == [["row 0", S, S, S], ["row 1", 0, S, S]]
    assert table.total == ["total", S, S, S]


def test_a_total_is_withheld_only_when_no_inner_cell_can_be():
    # Column: 4 and 30 with total 34; the only other inner cell of the line is the 30, the total stays.
    table = counts_table([[4], [30]], ["n"])
    protect(table, count_columns=["n"])
    assert table.column("n") == [S, S]
    assert table.total == ["total", 34]


def test_without_a_total_row_only_the_row_sums_are_lines():
    table = counts_table(with_sum([[3, 40, 7], [20, 30, 10]]), ["a", "b", "c", "all"], total=False)
    protect(table, count_columns=["a", "b", "c", "all"], row_sums={"all": ["a", "b", "c"]})
    assert table.rows == [["row 0", S, 40, S, 50], ["row 1", 20, 30, 10, 60]]


def test_a_small_count_in_no_line_is_withheld_alone():
    table = counts_table([[3], [40]], ["n"], total=False)
    protect(table, count_columns=["n"])
    assert table.column("n") == [S, 40]


def test_two_ones_in_a_column_get_a_cycle_the_line_rule_alone_would_not_give():
    # Rows 3 and 4 each hold 1 in p0: every line then has two withheld cells, but both ones can only be higher
    # than 1, and their column total is published, so neither could move. Withholding 11 in row 1 closes a cycle
    # (row 1's p2 and p0 trade against rows 3 and 4) along which they can.
    rows = [[27, 4, 10], [11, 5, 10], [20, 32, 25], [1, 32, 23], [1, 38, 4]]
    table = counts_table(with_sum(rows), ["p0", "p1", "p2", "all"])
    protect(table, count_columns=["p0", "p1", "p2", "all"], row_sums={"all": ["p0", "p1", "p2"]})
    assert table.rows == [
        ["row 0", 27, S, S, 41],
        ["row 1", S, S, S, 26],
        ["row 2", 20, 32, 25, 77],
        ["row 3", S, 32, S, 56],
        ["row 4", S, 38, S, 43],
    ]
    assert table.total == ["total", 60, 111, 72, 243]


def test_ones_that_fill_a_small_total_stay_pinned_whatever_is_withheld():
    # Four cells of at least 1 with a total of at most 4 must all be 1: the documented limit, nothing more to do.
    table = counts_table([[1], [1], [1], [1], [0]], ["n"])
    protect(table, count_columns=["n"])
    assert table.column("n") == [S, S, S, S, 0]
    assert table.total == ["total", S]


def test_other_columns_are_left_alone():
    table = Table(
        key="t",
        title="T",
        columns=[Column("label", "L", Kind.TEXT), Column("n", "N"), Column("rate", "R", Kind.PERCENT)],
        rows=[["a", 2, 0.5], ["b", 7, 0.25], ["c", 9, 0.125]],
        total=["total", 18, 0.3],
    )
    protect(table, count_columns=["n"])
    assert table.rows == [["a", S, 0.5], ["b", S, 0.25], ["c", 9, 0.125]]
    assert table.total == ["total", 18, 0.3]


def test_already_withheld_cells_count_as_withheld():
    table = counts_table([[10], [12], [14]], ["n"])
    table.rows[1][1] = S
    protect(table, count_columns=["n"])
    assert table.column("n") == [S, S, 14]


@pytest.mark.parametrize(
    ("row_sums", "message"),
    [
        ({"all": ["a", "x"]}, "no such columns"),
        ({"all": ["a", "label"]}, "is not a count column"),
        ({"all": ["a", "b"], "b": ["a"]}, "more than one row sum"),
    ],
)
def test_row_sums_must_name_count_columns_in_one_sum_each(row_sums, message):
    table = counts_table(with_sum([[1, 2]]), ["a", "b", "all"])
    with pytest.raises(ValueError, match=message):
        protect(table, count_columns=["a", "b", "all"], row_sums=row_sums)


def test_a_count_column_holds_whole_numbers():
    table = counts_table([[1.5]], ["n"])  # type: ignore[list-item]
    with pytest.raises(TypeError):
        protect(table, count_columns=["n"])


# share and withhold


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (3, 12, 0.25),
        (0, 5, 0.0),
        (2, 4, S),
        (S, 12, S),
        (3, S, S),
        (3, 0, None),
        (3, None, None),
        (None, 10, None),
    ],
)
def test_share(numerator, denominator, expected):
    assert share(numerator, denominator) == expected


def test_withhold():
    assert withhold(12.5, 5) == 12.5
    assert withhold(12.5, 4) is S
    assert withhold(None, 2) is None


# The proof: every withheld count can still take more than one value, given all that is published.


def withheld_ranges(
    original: Table,
    published: Table,
    keys: list[str],
    row_sums: dict[str, list[str]],
    only: set[tuple[int, str]] | None = None,
) -> dict[tuple[int, str], tuple[float, float]]:
    """For each withheld cell (of ``only``, if given), the least and the greatest value it can have given the
    published cells and that a count under 5 lies in 1–4, by linear programming."""
    grid: list[list[Any]] = [*original.rows, *([original.total] if original.total is not None else [])]
    shown: list[list[Any]] = [*published.rows, *([published.total] if published.total is not None else [])]
    index = {key: [c.key for c in original.columns].index(key) for key in keys}
    unknown = [(r, key) for r in range(len(grid)) for key in keys if shown[r][index[key]] is S]
    position = {cell: i for i, cell in enumerate(unknown)}
    equations: list[list[tuple[int, str, int]]] = []  # (row, key, coefficient); sum = 0
    if original.total is not None:
        last = len(grid) - 1
        for key in keys:
            equations.append([*((r, key, 1) for r in range(last)), (last, key, -1)])
    for sum_key, parts in row_sums.items():
        for r in range(len(grid)):
            equations.append([*((r, part, 1) for part in parts), (r, sum_key, -1)])
    a_eq, b_eq = [], []
    for equation in equations:
        coefficients = [0.0] * len(unknown)
        constant = 0.0
        for r, key, coefficient in equation:
            if (r, key) in position:
                coefficients[position[r, key]] += coefficient
            else:
                constant -= coefficient * shown[r][index[key]]
        a_eq.append(coefficients)
        b_eq.append(constant)
    bounds = [(1, 4) if 0 < grid[r][index[key]] < 5 else (0, None) for r, key in unknown]
    ranges = {}
    for i, cell in enumerate(unknown):
        if only is not None and cell not in only:
            continue
        objective = [0.0] * len(unknown)
        objective[i] = 1.0
        low = linprog(objective, A_eq=a_eq or None, b_eq=b_eq or None, bounds=bounds, method="highs")
        objective[i] = -1.0
        high = linprog(objective, A_eq=a_eq or None, b_eq=b_eq or None, bounds=bounds, method="highs")
        assert low.status == 0, "the true values must be feasible"
        ranges[cell] = (low.fun, float("inf") if high.status == 3 else -high.fun)
    return ranges


def everything_withheld(table: Table, keys: list[str]) -> Table:
    published = copy.deepcopy(table)
    for row in [*published.rows, *([published.total] if published.total is not None else [])]:
        for key in keys:
            row[[c.key for c in table.columns].index(key)] = S
    return published


@st.composite
def tables(draw):
    """Up to six rows of two or three parts, their row sum and one count column outside the sum; small counts
    are frequent."""
    count = st.one_of(st.integers(0, 6), st.integers(0, 60))
    parts = draw(st.integers(2, 3))
    rows = draw(st.lists(st.lists(count, min_size=parts + 1, max_size=parts + 1), min_size=1, max_size=6))
    keys = [*(f"p{i}" for i in range(parts)), "other", "all"]
    table = counts_table(
        [[*row[:parts], row[parts], sum(row[:parts])] for row in rows], keys, total=draw(st.booleans())
    )
    return table, keys, {"all": keys[:parts]}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_no_withheld_count_can_be_computed_back(case):
    original, keys, row_sums = case
    table = copy.deepcopy(original)
    protect(table, count_columns=keys, row_sums=row_sums)

    every_row = zip(
        [*original.rows, *([original.total] if original.total else [])],
        [*table.rows, *([table.total] if table.total else [])],
        strict=True,
    )
    for before, after in every_row:
        for value, shown in zip(before, after, strict=True):
            assert shown == value or shown is S, "a published value changed"
            if isinstance(value, int) and 0 < value < 5:
                assert shown is S, "a small count was published"

    pinned = {
        cell for cell, (low, high) in withheld_ranges(original, table, keys, row_sums).items() if high - low < 1e-6
    }
    # A cell that the knowledge "1 to 4" pins even when every count is withheld no withholding can protect.
    hopeless = withheld_ranges(original, everything_withheld(original, keys), keys, row_sums, only=pinned)
    assert all(high - low < 1e-6 for low, high in hopeless.values()), f"{pinned} can be computed back"
