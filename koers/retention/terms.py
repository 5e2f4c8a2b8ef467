"""Retention terms as calendar arithmetic (no Django): "10 years after 29 February" ends on 28 February."""

import calendar
import datetime

DAYS, MONTHS, YEARS = "days", "months", "years"


def add_term(day: datetime.date, amount: int, unit: str) -> datetime.date:
    """``day`` moved by ``amount`` units (negative goes back); a month end that does not exist becomes the last day."""
    if unit == DAYS:
        return day + datetime.timedelta(days=amount)
    months = amount * 12 if unit == YEARS else amount
    if unit not in (MONTHS, YEARS):
        raise ValueError(f"unknown term unit {unit!r}")
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last))


def latest_start(today: datetime.date, amount: int, unit: str) -> datetime.date:
    """A date on or after every ``start`` with ``add_term(start, amount, unit) <= today``: a safe database bound.

    Month ends make the inverse inexact (31 January + 1 month = 28 February), so the bound is generous by a few
    days and callers check the exact action date afterwards.
    """
    return add_term(today, -amount, unit) + datetime.timedelta(days=0 if unit == DAYS else 3)
