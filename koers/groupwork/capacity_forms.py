"""The what-if form of trainer capacity planning: runs that might be added, to see the hours they would cost."""

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.accounts.models import User
from koers.groupwork.models import Programme
from koers.groupwork.run_forms import TimeInput, TrainerChoiceField
from koers.groupwork.scheduling import end_time
from koers.groupwork.selectors import organisation_programmes, organisation_trainers
from koers.trajectories.forms import DateInput

MAX_SESSIONS = 52
MAX_RUNS = 6
# The first session within this of today, as on the overview: further off, the runs could pass the last date there is.
FURTHEST = datetime.timedelta(days=5 * 366)
# The largest id a database key holds (64-bit); SQLite cannot even compare a larger one.
LARGEST_ID = 2**63 - 1


class _TrainersField(TrainerChoiceField):
    """Refuses ids no database key can hold, as unknown trainers, before they reach the query."""

    def clean(self, value: Any) -> Any:
        for item in value or ():
            try:
                out_of_range = abs(int(item)) > LARGEST_ID
            except (TypeError, ValueError):
                continue  # the field itself refuses what is no number
            if out_of_range:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": item}
                )
        return super().clean(value)


class WhatIfForm(forms.Form):
    """Sent with GET: the what-if saves nothing, so its answer can be bookmarked and shared."""

    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none())
    start_date = forms.DateField(label=_("Date of the first session"), widget=DateInput)
    start_time = forms.TimeField(label=_("Start time"), widget=TimeInput, initial=datetime.time(9, 30))
    sessions = forms.IntegerField(
        label=_("Sessions per run"),
        min_value=1,
        max_value=MAX_SESSIONS,
        required=False,
        help_text=_("Empty: the programme's number of sessions."),
    )
    weeks_between = forms.IntegerField(label=_("Weeks between sessions"), min_value=1, max_value=8, initial=1)
    runs = forms.IntegerField(label=_("Number of runs"), min_value=1, max_value=MAX_RUNS, initial=1)
    weeks_between_runs = forms.IntegerField(
        label=_("Weeks between the starts of the runs"),
        min_value=1,
        max_value=52,
        required=False,
        help_text=_("Empty: each run starts the week after the previous one ends."),
    )
    trainers = _TrainersField(label=_("Trainers"), queryset=User.objects.none())
    skip_public_holidays = forms.BooleanField(label=_("Skip public holidays"), required=False, initial=True)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        programme = self.fields["programme"]
        trainers = self.fields["trainers"]
        assert isinstance(programme, forms.ModelChoiceField)
        assert isinstance(trainers, forms.ModelChoiceField)
        programme.queryset = organisation_programmes(user)
        trainers.queryset = organisation_trainers(user)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        programme, starts_at = data.get("programme"), data.get("start_time")
        start_date = data.get("start_date")
        if start_date is not None and abs(start_date - timezone.localdate()) > FURTHEST:
            self.add_error("start_date", _("Choose a date within five years of today."))
        if programme is not None and starts_at is not None:
            try:
                end_time(starts_at, programme.session_minutes)
            except ValueError:
                self.add_error(
                    "start_time",
                    _("A session of %(minutes)d minutes that starts then would run past midnight.")
                    % {"minutes": programme.session_minutes},
                )
        return data

    def what_if_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "programme": data["programme"],
            "start_date": data["start_date"],
            "start_time": data["start_time"],
            "sessions": data["sessions"] or data["programme"].session_count,
            "weeks_between": data["weeks_between"],
            "runs": data["runs"],
            "weeks_between_runs": data["weeks_between_runs"],
            "trainers": data["trainers"],
            "skip_public_holidays": data["skip_public_holidays"],
        }
