"""Forms of the trajectory plan. They validate input; the services in services.py do the writing."""

import datetime
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from koers.trajectories.models import (
    KUNNEN,
    WILLEN,
    Goal,
    GoalStatus,
    IgmFactor,
    IgmProfile,
    Instrument,
    InstrumentStatus,
    InstrumentType,
    LifeDomain,
    LifeDomainAssessment,
    OutflowReason,
    SelfReliance,
    Trajectory,
)
from koers.trajectories.services import Score

StrOrPromise = str | Promise


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class TextArea(forms.Textarea):
    """A text area without the HTML ``required`` attribute: Utrecht styles an empty required text area as invalid
    before anyone typed. The forms validate on the server; ``mark_required`` tells assistive technology instead."""

    def use_required_attribute(self, initial: Any) -> bool:
        return False


def _text_area(rows: int = 3) -> TextArea:
    return TextArea(attrs={"rows": rows})


def mark_required(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        if isinstance(field.widget, TextArea) and field.required:
            field.widget.attrs["aria-required"] = "true"


def _not_before(value: datetime.date, start: datetime.date, message: StrOrPromise) -> None:
    if value < start:
        raise forms.ValidationError(str(message))


def _not_in_future(value: datetime.date) -> None:
    if value > timezone.localdate():
        raise forms.ValidationError(_("This date lies in the future."))


class StartTrajectoryForm(forms.Form):
    started_on = forms.DateField(label=_("Start date"), widget=DateInput, initial=timezone.localdate)
    future_perspective = forms.CharField(
        label=_("Desired future perspective"),
        required=False,
        widget=_text_area(4),
        help_text=_("In the client's own words: where do they want to be?"),
    )
    strengths = forms.CharField(
        label=_("Strengths and possibilities"),
        required=False,
        widget=_text_area(4),
        help_text=_("In the client's own words: what are they good at, what helps them?"),
    )


class PerspectiveForm(forms.Form):
    """The heart of the plan, in the client's words; edited with the version it was opened with."""

    future_perspective = forms.CharField(
        label=_("Desired future perspective"),
        required=False,
        widget=_text_area(5),
        help_text=_("In the client's own words: where do they want to be?"),
    )
    strengths = forms.CharField(
        label=_("Strengths and possibilities"),
        required=False,
        widget=_text_area(5),
        help_text=_("In the client's own words: what are they good at, what helps them?"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, trajectory: Trajectory, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "future_perspective": trajectory.future_perspective,
                "strengths": trajectory.strengths,
                "version": trajectory.version,
            },
        )
        super().__init__(*args, **kwargs)


class PlanAgreementForm(forms.Form):
    agreed_on = forms.DateField(label=_("Date of agreement"), widget=DateInput)
    agreement = forms.CharField(
        label=_("The client's agreement, in their own words"),
        max_length=5000,
        widget=_text_area(4),
        help_text=_('Write down what the client said, for example: "Yes, this is what I want to work on."'),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, trajectory: Trajectory, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "agreed_on": trajectory.plan_agreed_on or timezone.localdate(),
                "agreement": trajectory.plan_agreement,
                "version": trajectory.version,
            },
        )
        super().__init__(*args, **kwargs)
        self.trajectory = trajectory
        mark_required(self)

    def clean_agreed_on(self) -> datetime.date:
        value = self.cleaned_data["agreed_on"]
        _not_before(value, self.trajectory.started_on, _("The plan cannot be agreed before the trajectory started."))
        _not_in_future(value)
        return value


class EndTrajectoryForm(forms.Form):
    ended_on = forms.DateField(label=_("End date"), widget=DateInput)
    outflow_reason = forms.ChoiceField(
        label=_("Outflow reason"),
        choices=[("", _("Choose the reason")), *OutflowReason.choices],
        help_text=_("Where does the client go after this trajectory?"),
        error_messages={"required": _("Choose the outflow reason: a trajectory ends with a reason.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, trajectory: Trajectory, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"ended_on": timezone.localdate(), "version": trajectory.version})
        super().__init__(*args, **kwargs)
        self.trajectory = trajectory

    def clean_ended_on(self) -> datetime.date:
        value = self.cleaned_data["ended_on"]
        _not_before(value, self.trajectory.started_on, _("The end date cannot be before the start date."))
        return value


def _score_choices(blank_label: StrOrPromise) -> list[tuple[Any, StrOrPromise]]:
    return [("", blank_label), *SelfReliance.choices]


class LifeDomainAssessmentForm(forms.Form):
    """All eight life domains on one form, prefilled with the previous assessment so only changes need typing."""

    assessed_on = forms.DateField(label=_("Date of the assessment"), widget=DateInput)

    def __init__(
        self, *args: Any, trajectory: Trajectory, previous: LifeDomainAssessment | None, **kwargs: Any
    ) -> None:
        initial: dict[str, Any] = {"assessed_on": timezone.localdate()}
        if previous is not None:
            for item in previous.scores.all():
                initial[f"{item.domain}_score"] = item.score
                initial[f"{item.domain}_note"] = item.note
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.trajectory = trajectory
        for domain in LifeDomain:
            self.fields[f"{domain.value}_score"] = forms.TypedChoiceField(
                label=_("Score"),
                choices=_score_choices(str(_("Choose a score"))),
                coerce=int,
            )
            self.fields[f"{domain.value}_note"] = forms.CharField(label=_("Note"), required=False, max_length=500)

    def domains(self) -> list[dict[str, Any]]:
        """Per domain its label and two bound fields, in the fixed order of the eight domains."""
        return [
            {"domain": domain, "score": self[f"{domain.value}_score"], "note": self[f"{domain.value}_note"]}
            for domain in LifeDomain
        ]

    def clean_assessed_on(self) -> datetime.date:
        value = self.cleaned_data["assessed_on"]
        _not_before(value, self.trajectory.started_on, _("The assessment cannot be before the trajectory started."))
        _not_in_future(value)
        return value

    def scores(self) -> dict[str, Score]:
        return {
            domain: Score(self.cleaned_data[f"{domain}_score"], self.cleaned_data[f"{domain}_note"].strip())
            for domain in LifeDomain.values
        }


IGM_SCORE_CHOICES = [
    (1, _("1 – strongly hinders")),
    (2, _("2 – hinders")),
    (3, _("3 – neutral")),
    (4, _("4 – supports")),
    (5, _("5 – strongly supports")),
]


IGM_FACTOR_QUESTIONS = {
    IgmFactor.ATTITUDE: _("What does the client expect of it: is it worth it?"),
    IgmFactor.PERCEIVED_NORM: _("What do people who matter to the client think and do?"),
    IgmFactor.SELF_EFFICACY: _("Does the client trust that they can do it?"),
    IgmFactor.INTENTION: _("Does the client intend to work toward it?"),
    IgmFactor.SKILLS: _(
        "Does the client know and can the client do what it takes, for example about the labour market?"
    ),
    IgmFactor.BARRIERS: _("Practical obstacles such as childcare, debts, transport or health."),
}


class IgmProfileForm(forms.Form):
    """The six IGM factors, grouped as willen and kunnen, prefilled from the previous profile."""

    target_behaviour = forms.CharField(
        label=_("Target behaviour"),
        max_length=300,
        help_text=_("The behaviour the profile is about, for example: apply for jobs outside retail."),
    )
    assessed_on = forms.DateField(label=_("Date of the profile"), widget=DateInput)

    def __init__(self, *args: Any, trajectory: Trajectory, previous: IgmProfile | None, **kwargs: Any) -> None:
        initial: dict[str, Any] = {"assessed_on": timezone.localdate()}
        if previous is not None:
            initial["target_behaviour"] = previous.target_behaviour
            for item in previous.factors.all():
                initial[f"{item.factor}_score"] = item.score
                initial[f"{item.factor}_description"] = item.description
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.trajectory = trajectory
        for factor in IgmFactor:
            self.fields[f"{factor.value}_score"] = forms.TypedChoiceField(
                label=_("Score"),
                choices=[("", _("Choose a score")), *IGM_SCORE_CHOICES],
                coerce=int,
                help_text=IGM_FACTOR_QUESTIONS[factor],
            )
            self.fields[f"{factor.value}_description"] = forms.CharField(
                label=_("Description"), required=False, max_length=500, widget=_text_area(2)
            )

    def _group(self, factors: tuple[IgmFactor, ...]) -> list[dict[str, Any]]:
        return [
            {
                "factor": factor,
                "score": self[f"{factor.value}_score"],
                "description": self[f"{factor.value}_description"],
            }
            for factor in factors
        ]

    def groups(self) -> list[dict[str, Any]]:
        return [
            {"key": "willen", "label": _("Willen: wanting"), "factors": self._group(WILLEN)},
            {"key": "kunnen", "label": _("Kunnen: being able"), "factors": self._group(KUNNEN)},
        ]

    def clean_assessed_on(self) -> datetime.date:
        value = self.cleaned_data["assessed_on"]
        _not_before(value, self.trajectory.started_on, _("The profile cannot be before the trajectory started."))
        _not_in_future(value)
        return value

    def factors(self) -> dict[str, Score]:
        return {
            factor: Score(self.cleaned_data[f"{factor}_score"], self.cleaned_data[f"{factor}_description"].strip())
            for factor in IgmFactor.values
        }


class GoalForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Goal
        fields = ["text", "parent", "target_date", "status"]
        widgets = {"target_date": DateInput, "text": _text_area(2)}
        help_texts = {"text": _("Self-formulated and achievable, in the client's own words.")}

    def __init__(self, *args: Any, trajectory: Trajectory, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        mark_required(self)
        parent = self.fields["parent"]
        assert isinstance(parent, forms.ModelChoiceField)
        top_level = Goal.objects.filter(trajectory=trajectory, parent__isnull=True)
        if self.instance.pk:
            top_level = top_level.exclude(pk=self.instance.pk)
            self.initial.setdefault("version", self.instance.version)
        parent.queryset = top_level.order_by("target_date", "id")
        parent.empty_label = str(_("None: this is a main goal"))
        parent.help_text = _("Choose a main goal if this is an intermediate step toward it.")
        status = self.fields["status"]
        assert isinstance(status, forms.ChoiceField)
        status.choices = GoalStatus.choices

    def clean_parent(self) -> Goal | None:
        parent = self.cleaned_data["parent"]
        if parent is not None and self.instance.pk and self.instance.steps.exists():
            raise forms.ValidationError(
                _("This goal has intermediate goals of its own, so it cannot become an intermediate goal.")
            )
        return parent

    def goal_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class InstrumentTypeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: InstrumentType) -> str:
        return f"{obj.name} ({obj.get_kind_display()})"


class InstrumentForm(forms.ModelForm):
    """An instrument for one goal; without a review date it is reviewed when the planned weeks are over."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Instrument
        fields = [
            "instrument_type",
            "goal",
            "purpose",
            "expected_result",
            "started_on",
            "planned_weeks",
            "review_on",
            "status",
            "outcome",
            "stop_reason",
        ]
        field_classes = {"instrument_type": InstrumentTypeChoiceField}
        widgets = {
            "started_on": DateInput,
            "review_on": DateInput,
            "purpose": _text_area(2),
            "expected_result": _text_area(2),
            "outcome": _text_area(3),
            "stop_reason": _text_area(2),
        }

    def __init__(self, *args: Any, trajectory: Trajectory, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        mark_required(self)
        catalogue = self.fields["instrument_type"]
        assert isinstance(catalogue, forms.ModelChoiceField)
        in_use = Q(is_active=True)
        if self.instance.pk:
            in_use |= Q(pk=self.instance.instrument_type_id)
            self.initial.setdefault("version", self.instance.version)
        catalogue.queryset = InstrumentType.objects.filter(in_use, organisation_id=trajectory.client.organisation_id)
        catalogue.empty_label = str(_("Choose an instrument"))
        goal = self.fields["goal"]
        assert isinstance(goal, forms.ModelChoiceField)
        goal.queryset = Goal.objects.filter(trajectory=trajectory).order_by("target_date", "id")
        goal.empty_label = str(_("Choose the goal it serves"))
        self.fields["purpose"].help_text = _("What should this instrument do for the goal?")
        self.fields["planned_weeks"].required = False
        self.fields["planned_weeks"].help_text = _(
            "Leave empty to use the usual duration of the instrument from the catalogue."
        )
        self.fields["review_on"].required = False
        self.fields["review_on"].help_text = _("Leave empty to review when the planned weeks are over.")
        status = self.fields["status"]
        assert isinstance(status, forms.ChoiceField)
        status.choices = InstrumentStatus.choices
        self.fields["stop_reason"].help_text = _("Required when you stop the instrument: why does it not deliver?")
        self.fields["outcome"].help_text = _("What did the instrument bring the client?")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        weeks = data.get("planned_weeks")
        instrument_type = data.get("instrument_type")
        if weeks is None and instrument_type is not None:
            weeks = instrument_type.default_weeks
            if weeks is None:
                self.add_error("planned_weeks", _("Give the planned duration: this instrument has no usual duration."))
            else:
                data["planned_weeks"] = weeks
        if data.get("review_on") is None and weeks is not None and "review_on" not in self.errors:
            start = data.get("started_on") or timezone.localdate()
            data["review_on"] = start + datetime.timedelta(weeks=weeks)
        started_on, review_on = data.get("started_on"), data.get("review_on")
        if started_on and review_on and review_on < started_on:
            self.add_error("review_on", _("The review date cannot be before the start date."))
        if data.get("status") == InstrumentStatus.STOPPED and not (data.get("stop_reason") or "").strip():
            self.add_error("stop_reason", _("Give the reason for stopping this instrument."))
        return data

    def instrument_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["stop_reason"] = data["stop_reason"].strip()
        return data
