"""Forms of the hand-off signal: the trainer's observations and advice, and the consultant's step from advice to a
goal or an instrument in the plan. They validate input; handoff_services.py does the writing."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from koers.groupwork.models import HandOff
from koers.trajectories.forms import DateInput, InstrumentForm, TextArea, mark_required
from koers.trajectories.models import KUNNEN, WILLEN, Goal, IgmFactor, InstrumentStatus, Trajectory

# The trainer sees the participant in the group, not the dossier: the questions ask what was seen there.
OBSERVATION_QUESTIONS = {
    IgmFactor.ATTITUDE: _("How does the participant talk about work or the goal: is it worth it to them?"),
    IgmFactor.PERCEIVED_NORM: _(
        "What do people around the participant think, as far as it showed? How do they respond to the others?"
    ),
    IgmFactor.SELF_EFFICACY: _("Does the participant trust that they can do it? Did that change in the group?"),
    IgmFactor.INTENTION: _("Does the participant want to take the next step?"),
    IgmFactor.SKILLS: _("What can the participant do, and what did they learn, for example a CV or working together?"),
    IgmFactor.BARRIERS: _("Practical obstacles you noticed, such as childcare or transport. No diagnoses."),
}
GOAL_TEXT_LENGTH = Goal._meta.get_field("text").max_length or 500


class HandOffForm(forms.Form):
    """One text area per IGM factor, grouped as willen and kunnen, and the advice; edited with its version."""

    advice = forms.CharField(
        label=_("Advice to the consultant"),
        max_length=5000,
        widget=TextArea(attrs={"rows": 5}),
        help_text=_("What would you advise the consultant to do next with this participant?"),
        error_messages={"required": _("Write your advice to the consultant.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, hand_off: HandOff | None, **kwargs: Any) -> None:
        initial: dict[str, Any] = {}
        if hand_off is not None:
            initial = {"advice": hand_off.advice, "version": hand_off.version}
            initial.update({item.factor: item.observation for item in hand_off.observations.all()})
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for factor in IgmFactor:
            self.fields[factor.value] = forms.CharField(
                label=factor.label,
                required=False,
                max_length=2000,
                widget=TextArea(attrs={"rows": 3}),
                help_text=OBSERVATION_QUESTIONS[factor],
            )
        mark_required(self)

    def groups(self) -> list[dict[str, Any]]:
        return [
            {"key": "willen", "label": _("Willen: wanting"), "fields": [self[f.value] for f in WILLEN]},
            {"key": "kunnen", "label": _("Kunnen: being able"), "fields": [self[f.value] for f in KUNNEN]},
        ]

    def observations(self) -> dict[IgmFactor, str]:
        return {factor: self.cleaned_data[factor.value] for factor in IgmFactor}


def _from_advice(advice: str) -> str:
    """The advice as a starting text for a goal or an instrument's purpose, which hold at most 500 characters."""
    advice = " ".join(advice.split())
    return advice if len(advice) <= GOAL_TEXT_LENGTH else advice[: GOAL_TEXT_LENGTH - 1].rstrip() + "…"


class AdviceGoalForm(forms.Form):
    """A new goal from the advice: the consultant rewrites it in the client's own words."""

    text = forms.CharField(
        label=_("Goal in the client's words"),
        max_length=GOAL_TEXT_LENGTH,
        widget=TextArea(attrs={"rows": 3}),
        help_text=_("The advice is filled in; rewrite it with the client as a goal in their own words."),
    )
    parent = forms.ModelChoiceField(
        label=_("Intermediate goal of"),
        queryset=Goal.objects.none(),
        required=False,
        help_text=_("Choose a main goal if this is an intermediate step toward it."),
    )
    target_date = forms.DateField(label=_("Target date"), required=False, widget=DateInput)

    def __init__(self, *args: Any, trajectory: Trajectory, hand_off: HandOff, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"text": _from_advice(hand_off.advice)})
        kwargs.setdefault("prefix", "doel")
        super().__init__(*args, **kwargs)
        parent = self.fields["parent"]
        assert isinstance(parent, forms.ModelChoiceField)
        parent.queryset = Goal.objects.filter(trajectory=trajectory, parent__isnull=True).order_by("target_date", "id")
        parent.empty_label = str(_("None: this is a main goal"))
        mark_required(self)


class AdviceInstrumentForm(InstrumentForm):
    """A new instrument from the advice: planned or active, for a goal of the trajectory."""

    def __init__(self, *args: Any, trajectory: Trajectory, hand_off: HandOff, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"purpose": _from_advice(hand_off.advice)})
        kwargs.setdefault("prefix", "instrument")
        super().__init__(*args, trajectory=trajectory, **kwargs)
        del self.fields["outcome"], self.fields["stop_reason"]
        status = self.fields["status"]
        assert isinstance(status, forms.ChoiceField)
        status.choices = [(s.value, s.label) for s in (InstrumentStatus.PLANNED, InstrumentStatus.ACTIVE)]
        self.fields["purpose"].help_text = _("The advice is filled in: what should this instrument do for the goal?")

    def instrument_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.fields}
