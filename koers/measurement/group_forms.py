"""Forms of the group effects and the research export: a period, and what to export."""

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from koers.accounts.models import Municipality
from koers.measurement.research_export import CSV, MIN_MUNICIPALITY_CLIENTS, XLSX, ExportQuery, municipality_clients
from koers.trajectories.forms import DateInput

# Furthest back or ahead a period may reach: a typo of a year should not scan (or promise) centuries.
EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2100, 12, 31)


def _check_period(cleaned: dict[str, Any], start_field: str, end_field: str) -> None:
    start, end = cleaned.get(start_field), cleaned.get(end_field)
    for day in (start, end):
        if day is not None and not EARLIEST <= day <= LATEST:
            raise forms.ValidationError(
                _("Choose dates between %(earliest)s and %(latest)s."),
                params={"earliest": f"{EARLIEST:%d-%m-%Y}", "latest": f"{LATEST:%d-%m-%Y}"},
            )
    if start is not None and end is not None and start > end:
        raise forms.ValidationError(_("The start of the period lies after its end."))


class PeriodForm(forms.Form):
    """Sent with GET: which runs of a programme count, by the date of their first session. Both ends optional."""

    van = forms.DateField(label=_("Groups that started from"), required=False, widget=DateInput)
    tot = forms.DateField(label=_("up to and including"), required=False, widget=DateInput)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _check_period(cleaned, "van", "tot")
        return cleaned


class ResearchExportForm(forms.Form):
    van = forms.DateField(label=_("Measurements taken from"), widget=DateInput)
    tot = forms.DateField(label=_("up to and including"), widget=DateInput)
    gemeente = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=_("All municipalities"),
    )
    formaat = forms.ChoiceField(
        label=_("File format"),
        choices=[(XLSX, _("Excel (XLSX)")), (CSV, _("CSV for Excel: semicolons, decimal comma"))],
        initial=XLSX,
        widget=forms.RadioSelect,
    )
    antwoorden = forms.BooleanField(
        label=_("Also the answer to each item"),
        required=False,
        help_text=_("One extra row per answered item, beside the row per scale score."),
    )

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        municipalities = Municipality.objects.filter(organisation_id=organisation_id).order_by("name")
        self.fields["gemeente"].queryset = municipalities  # type: ignore[attr-defined]
        self.organisation_id = organisation_id

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _check_period(cleaned, "van", "tot")
        municipality = cleaned.get("gemeente")
        if municipality is not None and not self.errors:
            query = ExportQuery(
                organisation_id=self.organisation_id,
                taken_from=cleaned["van"],
                taken_to=cleaned["tot"],
                municipality_id=municipality.pk,
            )
            if municipality_clients(query).get(municipality.pk, 0) < MIN_MUNICIPALITY_CLIENTS:
                self.add_error(
                    "gemeente",
                    forms.ValidationError(
                        _(
                            "Fewer than %(min)s clients of %(municipality)s have measurements in this period, so an "
                            "export of this municipality alone could point to them. Choose all municipalities or a "
                            "longer period."
                        ),
                        params={"min": MIN_MUNICIPALITY_CLIENTS, "municipality": municipality.name},
                    ),
                )
        return cleaned
