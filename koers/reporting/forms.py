"""The report forms: which period (and for the financier, which municipality), and what to export.

The forms are sent with GET, so a report has a link of its own; the export buttons post the same fields again.
"""

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.accounts.models import Municipality
from koers.reporting.models import ExportFormat, ReportKind
from koers.reporting.report import Period
from koers.trajectories.forms import DateInput

# A longer period is no report anyone reads, and would let one request scan the whole history.
MAX_YEARS = 5


def five_years_after(start: datetime.date) -> datetime.date:
    """The last day of a period of ``MAX_YEARS`` years from ``start`` (29 February moves to the 28th), or the
    calendar's last day when the period would run past it."""
    if start.year + MAX_YEARS > datetime.MAXYEAR:
        return datetime.date.max
    try:
        anniversary = start.replace(year=start.year + MAX_YEARS)
    except ValueError:
        anniversary = start.replace(year=start.year + MAX_YEARS, day=28)
    return anniversary - datetime.timedelta(days=1)


def this_year_to_date() -> dict[str, datetime.date]:
    today = timezone.localdate()
    return {"start": today.replace(month=1, day=1), "end": today}


class ReportPeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DateInput)
    end = forms.DateField(label=_("up to and including"), widget=DateInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", this_year_to_date())
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start is None or end is None:
            return cleaned
        if end < start:
            self.add_error(
                "end", _("The end of the period lies before its start. Choose an end on or after the start.")
            )
        elif end > five_years_after(start):
            self.add_error(
                "end",
                _("A report covers at most %(years)s years. Choose an end no later than %(last)s.")
                % {"years": MAX_YEARS, "last": f"{five_years_after(start):%d-%m-%Y}"},
            )
        return cleaned

    @property
    def period(self) -> Period:
        return Period(self.cleaned_data["start"], self.cleaned_data["end"])

    def parameters(self) -> dict[str, Any]:
        """The cleaned fields as an export stores them (JSON)."""
        return {"start": self.cleaned_data["start"].isoformat(), "end": self.cleaned_data["end"].isoformat()}


class ManagementReportForm(ReportPeriodForm):
    kind = ReportKind.MANAGEMENT


class FinancierReportForm(ReportPeriodForm):
    kind = ReportKind.FINANCIER

    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.none(), empty_label=_("Choose a municipality")
    )
    field_order = ["municipality", "start", "end"]

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        queryset = Municipality.objects.filter(organisation_id=organisation_id).order_by("name")
        self.fields["municipality"].queryset = queryset  # type: ignore[attr-defined]

    @property
    def foreign_municipality(self) -> bool:
        """A municipality was sent that is not the organisation's: the page answers 404, as for any foreign record."""
        return any(error.code == "invalid_choice" for error in self.errors.as_data().get("municipality", []))

    def parameters(self) -> dict[str, Any]:
        return {"municipality": self.cleaned_data["municipality"].pk, **super().parameters()}


class ExportChoiceForm(forms.Form):
    """Which report, in which format; the report's own fields are checked by its form."""

    kind = forms.ChoiceField(choices=ReportKind.choices)
    export_format = forms.ChoiceField(choices=ExportFormat.choices)


def report_form(kind: str, data: Any, organisation_id: int) -> ReportPeriodForm:
    if kind == ReportKind.FINANCIER:
        return FinancierReportForm(data, organisation_id=organisation_id)
    return ManagementReportForm(data)
