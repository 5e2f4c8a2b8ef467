"""Small-cell suppression for aggregate tables (SECURITY.md item 28): counts of 1–4 persons are withheld, and so
are as many other cells as it takes that no withheld count can be computed back from the published ones.

Pure Python, no Django. A table of person counts has linear *lines*: a column with its published total (the rows
add up to the total row), and a declared row sum (in each row, and in the total row, the parts add up to the sum
column). One withheld cell alone in a line is given away by subtraction, so the first pass withholds, in each such
line, the cheapest other cell as well (the smallest positive count, an inner cell before a total). One complement
per line is not always enough: the complement is also a member of its other line (its row sum or its column),
where it may now be the only withheld cell, so the pass repeats until no line has exactly one withheld member.

Even then a cell can be pinned: withheld cells that meet every line twice can still leave one cell determined (a
"bridge" between two groups of withheld cells: adding up the lines on one side gives it away), and a reader who
guesses which withheld cells hold 1 to 4 (every withheld cell shows the same "x") can fix a value at its bound (four
cells of at least 1 adding up to a total of at most 4). The second pass therefore looks at the lines as a graph in
which every count cell connects its two lines (a line the table does not have is one free node), and proves for
every withheld cell that it lies on a cycle of withheld cells along which all of them can move a little, up or down,
within what the reader knows; that is exactly when the cell's value cannot be computed back. Where no such cycle
exists, it withholds the cheapest published cells that close one (a shortest path, inner cells before totals). A
cell that no choice of complements can protect, because the bounds of the primary cells alone pin it (four cells of
1 in a column whose total is 4, all withheld), stays withheld as it is.

What one table cannot protect: the difference between two reports. Two periods that overlap, or a municipality
and the whole organisation, can be subtracted from each other; each table is protected on its own.
"""

import heapq
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from koers.reporting.report import SUPPRESSED, SUPPRESSION_THRESHOLD, Suppressed, Table, Value

FREE = 0  # the node standing for every line the table does not have: it imposes nothing


@dataclass
class _Cell:
    """One count cell of the table as an edge between its column line and its row line, both graph nodes."""

    row: int  # index in table.rows; len(table.rows) for the total row
    column: int  # index in table.columns
    value: int | None  # None: withheld before protect() saw it, its value unknown here
    column_node: int
    row_node: int
    sign: int  # +1 or −1: how a change of this cell flows from its column node to its row node
    is_margin: bool  # in the total row or a row-sum column: withheld only when no inner cell will do
    primary: bool
    suppressed: bool

    def can_move(self, direction: int) -> bool:
        """Whether the reader must allow this withheld cell to be a little higher (+1) or lower (−1)."""
        if self.value is None:
            return True
        if direction > 0:
            return not (self.primary and self.value >= SUPPRESSION_THRESHOLD - 1)
        return self.value > (1 if self.primary else 0)


def protect(
    table: Table,
    *,
    count_columns: Sequence[str],
    row_sums: Mapping[str, Sequence[str]] = {},
) -> None:
    """Withhold, in place, the counts under the threshold and the complements that keep them from being derived.

    ``count_columns`` hold person counts (int; None and SUPPRESSED are taken as they are). If ``table.total`` is set,
    its values in those columns are the column sums. ``row_sums`` maps a column to the columns it is the sum of, in
    every row and in the total row; each column takes part in at most one row sum.
    """
    cells = _cells(table, count_columns, row_sums)
    for cell in cells:
        if cell.primary:
            cell.suppressed = True
    _complete_lines(cells)
    _close_cycles(cells)
    for cell in cells:
        if cell.suppressed:
            _row(table, cell.row)[cell.column] = SUPPRESSED


def share(numerator: Value, denominator: Value) -> float | Suppressed | None:
    """numerator/denominator as a fraction; withheld when either is withheld or fewer than the threshold stand behind
    the denominator, None when there is nothing to divide by."""
    if isinstance(numerator, Suppressed) or isinstance(denominator, Suppressed):
        return SUPPRESSED
    if denominator is None or denominator == 0 or numerator is None:
        return None
    if isinstance(numerator, str) or isinstance(denominator, str):
        raise TypeError("a share needs two numbers")
    if denominator < SUPPRESSION_THRESHOLD:
        return SUPPRESSED
    return float(numerator) / float(denominator)


def withhold(value: Value, n: int) -> Value:
    """The value, or SUPPRESSED when it rests on fewer than the threshold persons (a median, a mean, a rate)."""
    if value is None:
        return None
    return SUPPRESSED if n < SUPPRESSION_THRESHOLD else value


def _row(table: Table, index: int) -> list[Value]:
    if index == len(table.rows):
        assert table.total is not None
        return table.total
    return table.rows[index]


def _cells(table: Table, count_columns: Sequence[str], row_sums: Mapping[str, Sequence[str]]) -> list[_Cell]:
    keys = [column.key for column in table.columns]
    unknown = (set(count_columns) | set(row_sums) | {p for parts in row_sums.values() for p in parts}) - set(keys)
    if unknown:
        raise ValueError(f"no such columns: {sorted(unknown)}")
    # Which row sum each column takes part in, and with which sign (the sum −1, a part +1).
    membership: dict[str, tuple[int, int]] = {}
    for group, (sum_key, parts) in enumerate(row_sums.items()):
        for key, sign in [(sum_key, -1), *((part, 1) for part in parts)]:
            if key not in count_columns:
                raise ValueError(f"row-sum column {key!r} is not a count column")
            if key in membership:
                raise ValueError(f"column {key!r} takes part in more than one row sum")
            membership[key] = (group, sign)
    row_count = len(table.rows) + (table.total is not None)
    ids = itertools.count(FREE + 1)
    column_nodes = {key: next(ids) for key in count_columns} if table.total is not None else {}
    row_nodes = {(row, group): next(ids) for row in range(row_count) for group in range(len(row_sums))}
    cells = []
    for row in range(row_count):
        is_total = row == len(table.rows)
        values = _row(table, row)
        for key in count_columns:
            index = keys.index(key)
            value = values[index]
            if value is None:
                continue  # nothing to report: published as "–", neither withheld nor a complement
            if not (isinstance(value, Suppressed) or (isinstance(value, int) and not isinstance(value, bool))):
                raise TypeError(f"count column {key!r} holds {value!r}")
            group, part_sign = membership.get(key, (-1, 1))
            number = None if isinstance(value, Suppressed) else value
            cells.append(
                _Cell(
                    row=row,
                    column=index,
                    value=number,
                    column_node=column_nodes.get(key, FREE),
                    row_node=row_nodes.get((row, group), FREE),
                    sign=(-1 if is_total else 1) * part_sign,
                    is_margin=is_total or part_sign < 0,
                    primary=number is None or 0 < number < SUPPRESSION_THRESHOLD,
                    suppressed=False,
                )
            )
    return cells


def _cost(cell: _Cell) -> tuple[int, int]:
    """What withholding a published cell loses: inner cells before totals, small before large, zeros last."""
    assert cell.value is not None
    return (2 if cell.value == 0 else int(cell.is_margin), cell.value)


def _complete_lines(cells: list[_Cell]) -> None:
    """Until no line has exactly one withheld member, withhold the cheapest positive cell next to a lonely one."""
    lines: dict[int, list[_Cell]] = {}
    for cell in cells:
        for node in {cell.column_node, cell.row_node} - {FREE}:
            lines.setdefault(node, []).append(cell)
    changed = True
    while changed:
        changed = False
        for node in sorted(lines):
            members = lines[node]
            if sum(cell.suppressed for cell in members) != 1:
                continue
            candidates = [c for c in members if not c.suppressed and c.value]
            if candidates:
                min(candidates, key=lambda c: (_cost(c), c.row, c.column)).suppressed = True
                changed = True


def _arcs(cell: _Cell) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """The two ways a cycle may pass a cell, as (from node, to node, direction of change): from its column node to
    its row node the cell changes by ``sign``, the other way round by −``sign``. With these signs every line's
    equation reads as "what flows in flows out", so a cycle is a change that keeps all published values."""
    return (cell.column_node, cell.row_node, cell.sign), (cell.row_node, cell.column_node, -cell.sign)


class _Graph:
    """The cells as arcs between line nodes, to search for cycles through withheld cells."""

    def __init__(self, cells: list[_Cell]) -> None:
        self.cells = cells
        self.arcs: dict[int, list[tuple[int, int, int]]] = {}  # node → (cell index, next node, direction)
        for index, cell in enumerate(cells):
            for start, end, direction in _arcs(cell):
                self.arcs.setdefault(start, []).append((index, end, direction))
        # Withholding one more inner cell never costs as much as a total, nor a total as much as a zero.
        self.tier = 1 + sum(cell.value or 0 for cell in cells)

    def weight(self, cell: _Cell, direction: int) -> int | None:
        """What passing this cell in this direction costs: 0 for a withheld cell that can move so, the loss of
        withholding it for a published one; None where the cell cannot move that way."""
        if cell.suppressed:
            return 0 if cell.can_move(direction) else None
        tier, value = _cost(cell)
        if value == 0 and direction < 0:
            return None  # a withheld zero can only be higher
        return tier * self.tier + value

    def on_cycle(self, index: int) -> bool:
        cell = self.cells[index]
        return any(
            cell.can_move(direction) and self.cheapest_path(index, end, start, withheld_only=True) is not None
            for start, end, direction in _arcs(cell)
        )

    def cheapest_path(
        self, excluded: int, source: int, target: int, *, withheld_only: bool = False
    ) -> tuple[int, list[int]] | None:
        """The cheapest way from ``source`` to ``target`` without the excluded cell (Dijkstra), as (cost, the
        published cells on it), or None when there is none."""
        best = {source: 0}
        previous: dict[int, tuple[int, int]] = {}  # node → (node before it, cell between them)
        queue = [(0, source)]
        while queue:
            cost, node = heapq.heappop(queue)
            if node == target:
                break
            if cost > best[node]:
                continue
            for index, end, direction in self.arcs.get(node, []):
                cell = self.cells[index]
                if index == excluded or (withheld_only and not cell.suppressed):
                    continue
                weight = self.weight(cell, direction)
                if weight is not None and (end not in best or cost + weight < best[end]):
                    best[end] = cost + weight
                    previous[end] = (node, index)
                    heapq.heappush(queue, (cost + weight, end))
        if target not in best:
            return None
        path, node = [], target
        while node != source:
            node, index = previous[node]
            if not self.cells[index].suppressed:
                path.append(index)
        return best[target], path


def _close_cycles(cells: list[_Cell]) -> None:
    """Give every withheld cell a cycle of withheld cells along which it can move; withhold what closes one."""
    graph = _Graph(cells)
    for index, cell in enumerate(cells):
        if not cell.suppressed or graph.on_cycle(index):
            continue
        options = [
            found
            for start, end, direction in _arcs(cell)
            if cell.can_move(direction) and (found := graph.cheapest_path(index, end, start)) is not None
        ]
        if options:
            for member in min(options)[1]:
                cells[member].suppressed = True
