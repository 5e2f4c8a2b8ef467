"""Forms for referral and placement. They validate input; referral_services and placement_services decide."""

from typing import Any

from django import forms
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from koers.groupwork.models import GroupRun, Programme, Variant
from koers.trajectories.forms import TextArea, mark_required
from koers.trajectories.models import Goal, Instrument


def programmes_for(instrument: Instrument) -> QuerySet[Programme]:
    """The organisation's programmes in use; those linked to the instrument's type first."""
    return (
        Programme.objects.filter(organisation_id=instrument.trajectory.client.organisation_id, is_active=True)
        .annotate(
            matches_instrument=Case(
                When(instrument_type_id=instrument.instrument_type_id, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("matches_instrument", "name")
    )


class ProgrammeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Programme) -> str:
        if getattr(obj, "matches_instrument", 1) == 0:
            return str(_("%(name)s (for this instrument)") % {"name": obj.name})
        return obj.name


class GoalChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Goal) -> str:
        return obj.text if obj.parent_id is None else str(_("Intermediate goal: %(text)s") % {"text": obj.text})


class ReferralForm(forms.Form):
    programme = ProgrammeChoiceField(
        queryset=Programme.objects.none(),
        label=_("Programme"),
        empty_label=_("Choose a programme"),
    )
    goal = GoalChoiceField(
        queryset=Goal.objects.none(),
        label=_("Goal in the plan"),
        empty_label=_("Choose the goal the group serves"),
        help_text=_("The group is an instrument for a goal of the client's plan."),
    )
    added_value = forms.CharField(
        label=_("Added value of the group for this client"),
        max_length=4000,
        widget=TextArea(attrs={"rows": 6}),
        help_text=_(
            "Why this group, for this client, now? What does working with others bring that individual guidance "
            "does not, and how does it serve the goal? Never “to fill the group”."
        ),
    )
    needed_variant = forms.ChoiceField(
        label=_("Variant the client needs"),
        choices=Variant.choices,
        initial=Variant.STANDARD,
        help_text=_(
            "Low language proficiency asks for extra language support; a cognitive limitation for a small group or "
            "extra language support; a psychological condition for a small group."
        ),
    )
    support_note = forms.CharField(
        label=_("Extra support beside the group"),
        required=False,
        max_length=2000,
        widget=TextArea(attrs={"rows": 3}),
        help_text=_(
            "Needed when no fitting variant is chosen. The planner and trainer read this: write what they need to "
            "know, never a diagnosis. For example: a coach checks in after each session."
        ),
    )

    def __init__(self, *args: Any, instrument: Instrument, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"goal": instrument.goal_id, "needed_variant": Variant.STANDARD})
        super().__init__(*args, **kwargs)
        mark_required(self)
        programme = self.fields["programme"]
        assert isinstance(programme, forms.ModelChoiceField)
        programme.queryset = programmes_for(instrument)
        goal = self.fields["goal"]
        assert isinstance(goal, forms.ModelChoiceField)
        goal.queryset = Goal.objects.filter(trajectory_id=instrument.trajectory_id).order_by("target_date", "id")


class ReasonForm(forms.Form):
    """A reason for withdrawing, declining or undoing a placement; the other party reads it."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=TextArea(attrs={"rows": 3}),
        help_text=_("Written in the referral's history. No diagnosis."),
    )

    def __init__(self, *args: Any, required: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required
        mark_required(self)


class PlacementForm(forms.Form):
    """The run chosen on the placement page; ``accept_warnings`` is the explicit "place anyway"."""

    run = forms.ModelChoiceField(queryset=GroupRun.objects.none(), widget=forms.HiddenInput)
    accept_warnings = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        run = self.fields["run"]
        assert isinstance(run, forms.ModelChoiceField)
        run.queryset = GroupRun.objects.filter(programme=programme)
