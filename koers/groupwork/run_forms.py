"""Forms of the planner's run pages. They validate input; run_services.py checks the schedule and saves."""

import datetime
import re
from typing import Any

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from koers.accounts.models import Municipality, User
from koers.groupwork.models import GroupRun, Programme, Room, RunStatus, Session, Variant
from koers.groupwork.run_services import MAX_EXTRA_SESSIONS
from koers.groupwork.scheduling import interval_weeks
from koers.groupwork.selectors import organisation_programmes, organisation_rooms, organisation_trainers
from koers.groupwork.selectors import trainer_profile as profile_of
from koers.trajectories.forms import DateInput, TextArea, mark_required

DATE_FORMATS = ("%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%H:%M")


def room_label(room: Room) -> str:
    """Name and place, with what a planner chooses a room by: capacity, daylight, accessibility, AV."""
    features = [str(_("%(capacity)d places") % {"capacity": room.capacity})]
    features.append(str(_("daylight") if room.has_daylight else _("no daylight")))
    features.append(
        str(_("accessible without escort") if room.accessible_without_escort else _("needs a security escort"))
    )
    if room.has_av:
        features.append(str(_("AV equipment")))
    return f"{room.name} ({room.location}) – {', '.join(features)}"


def trainer_label(user: User) -> str:
    name = user.get_full_name() or user.username
    profile = profile_of(user)
    if profile is None:
        return str(_("%(name)s – hours for groups not recorded") % {"name": name})
    hours = formats.number_format(profile.hours_per_week, decimal_pos=1)
    return str(_("%(name)s – %(hours)s hours a week for groups") % {"name": name, "hours": hours})


class RoomChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return room_label(obj)


class TrainerChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Any) -> str:
        return trainer_label(obj)


def _choices(form: forms.BaseForm, name: str, queryset: Any) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


def parse_dates(value: str) -> list[datetime.date]:
    """Dates separated by commas, semicolons or spaces, as 24-12-2027 or 2027-12-24."""
    dates = []
    for part in (p for p in re.split(r"[,;\s]+", value.strip()) if p):
        for pattern in DATE_FORMATS:
            try:
                dates.append(datetime.datetime.strptime(part, pattern).date())
                break
            except ValueError:
                continue
        else:
            raise forms.ValidationError(
                _("“%(value)s” is not a date; write dates like 24-12-2027."), params={"value": part}
            )
    return sorted(set(dates))


class RunForm(forms.Form):
    """A new run (with ``programme``) or a change to one (``run`` given: programme fixed, version kept)."""

    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none())
    start_date = forms.DateField(label=_("Date of the first session"), widget=DateInput)
    start_time = forms.TimeField(label=_("Start time"), widget=TimeInput, initial=datetime.time(9, 30))
    weeks_between = forms.IntegerField(
        label=_("Weeks between sessions"),
        min_value=1,
        max_value=8,
        initial=1,
        help_text=_("1: every week on the weekday of the first session; 2: every other week."),
    )
    variant = forms.ChoiceField(label=_("Variant"), choices=Variant.choices, initial=Variant.STANDARD)
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=_("Clients of every municipality"),
    )
    room = RoomChoiceField(label=_("Room"), queryset=Room.objects.none(), required=False, empty_label=_("No room yet"))
    trainers = TrainerChoiceField(label=_("Trainers"), queryset=User.objects.none(), required=False)
    skip_public_holidays = forms.BooleanField(label=_("Skip public holidays"), required=False, initial=True)
    skip_dates = forms.CharField(
        label=_("Other dates to skip"),
        required=False,
        max_length=500,
        help_text=_("For example 24-12-2027, 31-12-2027. A skipped date moves the rest of the series one step on."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, user: Any, run: GroupRun | None = None, **kwargs: Any) -> None:
        self.run = run
        if run is not None:
            kwargs.setdefault(
                "initial",
                {
                    "start_date": run.start_date,
                    "start_time": run.start_time,
                    "weeks_between": interval_weeks(
                        run.sessions.filter(is_cancelled=False).values_list("date", flat=True)
                    ),
                    "variant": run.variant,
                    "municipality": run.municipality_id,
                    "room": run.room_id,
                    "trainers": [trainer.pk for trainer in run.trainers.all()],
                    "version": run.version,
                },
            )
        super().__init__(*args, **kwargs)
        if run is None:
            _choices(self, "programme", organisation_programmes(user))
            del self.fields["version"]
        else:
            del self.fields["programme"]
            self.fields["version"].required = True
            self.fields["skip_public_holidays"].help_text = _("Only used when the dates are planned again.")
        _choices(self, "municipality", Municipality.objects.filter(organisation=user.organisation_id))
        _choices(self, "room", organisation_rooms(user))
        _choices(self, "trainers", organisation_trainers(user))

    def clean_start_date(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["start_date"]
        changed = self.run is None or value != self.run.start_date
        if changed and value < timezone.localdate():
            raise forms.ValidationError(_("This date lies in the past."))
        return value

    def clean_skip_dates(self) -> list[datetime.date]:
        return parse_dates(self.cleaned_data.get("skip_dates") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        programme = self.run.programme if self.run is not None else data.get("programme")
        variant = data.get("variant")
        if programme is not None and variant and variant not in programme.offered_variants():
            self.add_error(
                "variant",
                _("%(programme)s is not offered in this variant.") % {"programme": programme.name},
            )
        return data

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        arguments = {
            "start_date": data["start_date"],
            "start_time": data["start_time"],
            "variant": data["variant"],
            "municipality": data["municipality"],
            "room": data["room"],
            "trainers": list(data["trainers"]),
            "weeks_between": data["weeks_between"],
            "skip_dates": data["skip_dates"],
            "skip_public_holidays": data["skip_public_holidays"],
        }
        if self.run is None:
            arguments["programme"] = data["programme"]
        else:
            arguments["version"] = data["version"]
        return arguments


class SessionForm(forms.Form):
    """Moves one session; the reason is kept in the audit trail."""

    date = forms.DateField(label=_("Date"), widget=DateInput)
    starts_at = forms.TimeField(label=_("Start time"), widget=TimeInput)
    room = RoomChoiceField(label=_("Room"), queryset=Room.objects.none(), required=False, empty_label=_("No room yet"))
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=300,
        widget=TextArea(attrs={"rows": 2}),
        help_text=_("For example: the room is being renovated. Do not write anything about participants."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: Any, session: Session, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {"date": session.date, "starts_at": session.starts_at, "room": session.room_id, "version": session.version},
        )
        super().__init__(*args, **kwargs)
        _choices(self, "room", organisation_rooms(user))
        mark_required(self)


class ReasonForm(forms.Form):
    """A cancellation: of a session or of a whole run."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        widget=TextArea(attrs={"rows": 2}),
        help_text=_("Do not write anything about participants."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        mark_required(self)


class ExtendForm(forms.Form):
    extra_sessions = forms.IntegerField(
        label=_("Number of sessions to add"), min_value=1, max_value=MAX_EXTRA_SESSIONS, initial=4
    )


class RunFilterForm(forms.Form):
    """The planner's filter of the run list; every field is optional."""

    programma = forms.ModelChoiceField(
        label=_("Programme"), queryset=Programme.objects.none(), required=False, empty_label=_("All programmes")
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Every status")), *RunStatus.choices])

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "programma", Programme.objects.filter(organisation=user.organisation_id).order_by("name"))
