"""The progress-report form: it opens with the previous report and asks only what changed."""

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.trajectories.models import KUNNEN, WILLEN, IgmFactor, ProgressReport, Trajectory
from koers.trajectories.progress import FacetRow, default_period_start

if TYPE_CHECKING:  # a development dependency: types only
    from django_stubs_ext import StrOrPromise

# The question behind each IGM facet (DOMAIN.md §3), shown as the help text of its "what changed" field.
FACET_QUESTIONS = {
    IgmFactor.ATTITUDE: _("What does the client expect of it; is it worth it to them?"),
    IgmFactor.PERCEIVED_NORM: _("What do people who matter to the client think and do?"),
    IgmFactor.SELF_EFFICACY: _("How much does the client trust their own ability?"),
    IgmFactor.INTENTION: _("How strongly does the client intend to work toward the goal?"),
    IgmFactor.SKILLS: _("What does the client know and can do, e.g. about the labour market or applying?"),
    IgmFactor.BARRIERS: _("Practical barriers: childcare, debts, transport, health."),
}


def _date_field(label: "StrOrPromise") -> forms.DateField:
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs={"type": "date", "aria-required": "true"}, format="%Y-%m-%d")
    )


def _text_field(label: "StrOrPromise", help_text: "StrOrPromise" = "", rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label, help_text=help_text, required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": rows})
    )


class ProgressReportForm(forms.Form):
    """Per IGM facet what changed and what is next, prefilled from the previous report; dates prefilled too.

    A routine report therefore needs one typed input, the summary of the period: the dates are filled in, and the
    consultant edits only the facets where something changed.
    """

    # No HTML ``required``: the browser would style the empty summary as invalid before anyone typed. The
    # required fields carry aria-required instead, the optional ones say "(optional)" in their label.
    use_required_attribute = False

    summary = forms.CharField(
        label=_("Summary of this period"),
        help_text=_(
            "What stands out since the previous report, in a few sentences. The municipality reads this first."
        ),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4, "aria-required": "true"}),
    )
    period_start = _date_field(_("Period from"))
    period_end = _date_field(_("Period until"))
    written_on = _date_field(_("Date of the report"))

    def __init__(
        self,
        *args: Any,
        trajectory: Trajectory,
        previous: ProgressReport | None,
        today: datetime.date | None = None,
        **kwargs: Any,
    ) -> None:
        today = today or timezone.localdate()
        self.today = today
        initial: dict[str, Any] = {
            "period_start": default_period_start(trajectory, previous),
            "period_end": today,
            "written_on": today,
        }
        if previous is not None:
            for facet in previous.facets.all():
                initial[f"{facet.factor}_changed"] = facet.changed
                initial[f"{facet.factor}_next"] = facet.next_steps
        kwargs["initial"] = {**initial, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        for factor in IgmFactor:
            self.fields[f"{factor.value}_changed"] = _text_field(_("What changed"), FACET_QUESTIONS[factor])
            self.fields[f"{factor.value}_next"] = _text_field(_("What is next"), rows=2)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end, written = cleaned.get("period_start"), cleaned.get("period_end"), cleaned.get("written_on")
        if start and end and end < start:
            self.add_error("period_end", _("The period cannot end before it starts."))
        if end and written and written < end:
            self.add_error("written_on", _("A report cannot be dated before the end of its period."))
        if written and written > self.today:
            self.add_error("written_on", _("A report cannot be dated in the future."))
        return cleaned

    def facet_groups(self, profile: Sequence[FacetRow] = ()) -> list[dict[str, Any]]:
        """The facet fields in the model's order, willen (four factors) then kunnen (two), with the IGM profile's
        score and description of each factor beside them."""
        by_factor = {row.factor: row for row in profile}
        return [
            {
                "key": key,
                "label": str(label),
                "facets": [
                    {
                        "factor": factor.value,
                        "label": str(factor.label),
                        "changed": self[f"{factor.value}_changed"],
                        "next": self[f"{factor.value}_next"],
                        "profile": by_factor.get(factor.value),
                    }
                    for factor in factors
                ],
            }
            for key, label, factors in (
                ("willen", _("Wanting (willen)"), WILLEN),
                ("kunnen", _("Being able (kunnen)"), KUNNEN),
            )
        ]

    def _shown(self, name: str) -> Any:
        if self.is_bound and name in getattr(self, "cleaned_data", {}):
            return self.cleaned_data[name]
        return self.get_initial_for_field(self.fields[name], name)

    @property
    def period(self) -> dict[str, Any]:
        """The period and date as the form will save them, for the one-line summary above the date fields."""
        return {name: self._shown(name) for name in ("period_start", "period_end", "written_on")}

    @property
    def period_has_errors(self) -> bool:
        return any(name in self.errors for name in ("period_start", "period_end", "written_on"))

    def report_data(self) -> dict[str, Any]:
        """The cleaned input in the shape ``write_progress_report`` takes."""
        data = self.cleaned_data
        return {
            "summary": data["summary"],
            "period_start": data["period_start"],
            "period_end": data["period_end"],
            "written_on": data["written_on"],
            "facets": {
                factor: {"changed": data[f"{factor}_changed"], "next_steps": data[f"{factor}_next"]}
                for factor in IgmFactor.values
            },
        }


def required_inputs_to_type(form: forms.Form) -> list[str]:
    """The required fields that do not come prefilled: what a person must type for a routine report."""
    return [
        name
        for name, field in form.fields.items()
        if field.required and form.get_initial_for_field(field, name) in (None, "")
    ]
