"""Forms of the session page and the session log. They validate input; attendance_services does the writing."""

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from koers.groupwork.models import AttendanceStatus, Participation, Session
from koers.trajectories.forms import TextArea

# What each of Tuckman's phases looks like in a group, shown beside the choice.
PHASE_DESCRIPTIONS = {
    "forming": _("Getting to know each other: people are polite and careful, and look to the trainer for direction."),
    "storming": _("Friction: differences come out; people test each other, the rules and the trainer."),
    "norming": _("Agreements take hold: the group makes its own rules; trust and cooperation grow."),
    "performing": _("Working together: the group works on its goals; members help and challenge each other."),
    "adjourning": _("Saying goodbye: looking back on what was learned and ahead to what comes next."),
}


def field_name(participation: Participation) -> str:
    return f"p{participation.pk}"


class AttendanceForm(forms.Form):
    """One optional choice per participant: a participant left open keeps what was recorded before (or nothing)."""

    def __init__(self, *args: Any, participants: list[Participation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.participants = participants
        for participation in participants:
            self.fields[field_name(participation)] = forms.ChoiceField(
                label=participation.client.full_name,
                choices=AttendanceStatus.choices,
                required=False,
                widget=forms.RadioSelect,
            )

    def statuses(self) -> dict[int, str]:
        """The chosen status per participation id (only those with a choice)."""
        return {p.pk: self.cleaned_data[field_name(p)] for p in self.participants if self.cleaned_data[field_name(p)]}


def everyone_present(data: QueryDict, participants: list[Participation], recorded: dict[int, str]) -> QueryDict:
    """The posted choices with "present" for everyone who has neither a choice nor a recorded status."""
    filled = data.copy()
    for participation in participants:
        name = field_name(participation)
        if not filled.get(name) and participation.pk not in recorded:
            filled[name] = AttendanceStatus.PRESENT
    return filled


class SessionLogForm(forms.Form):
    """The trainer's session log, edited with the version it was opened with."""

    log_done = forms.CharField(
        label=_("What was done"),
        required=False,
        max_length=10000,
        widget=TextArea(attrs={"rows": 5}),
        help_text=_("Topics, exercises and working methods of this session."),
    )
    group_phase = forms.ChoiceField(
        label=_("Group phase"), required=False, choices=Session._meta.get_field("group_phase").flatchoices
    )
    norms_and_roles = forms.CharField(
        label=_("Norms and roles observed"),
        required=False,
        max_length=10000,
        widget=TextArea(attrs={"rows": 4}),
        help_text=_("Which agreements and habits did the group show, and who took which role?"),
    )
    protocol_deviation = forms.CharField(
        label=_("Deviation from the protocol and why"),
        required=False,
        max_length=10000,
        widget=TextArea(attrs={"rows": 4}),
        help_text=_("What you did differently from the protocol, and your reasons. Leave empty if you followed it."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, session: Session, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "log_done": session.log_done,
                "group_phase": session.group_phase,
                "norms_and_roles": session.norms_and_roles,
                "protocol_deviation": session.protocol_deviation,
                "version": session.version,
            },
        )
        super().__init__(*args, **kwargs)

    def phases(self) -> list[dict[str, Any]]:
        """The phase choices with their explanation, for a fieldset of radio buttons."""
        chosen = self["group_phase"].value() or ""
        return [
            {"value": value, "label": label, "description": PHASE_DESCRIPTIONS[value], "checked": value == chosen}
            for value, label in Session._meta.get_field("group_phase").flatchoices
        ]
