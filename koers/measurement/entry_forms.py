"""Forms of the entry pages: planning a measurement and the questionnaire itself. The services do the writing."""

import datetime
from typing import Any

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.measurement.models import Item, Moment, Phase, QuestionnaireVersion, Respondent
from koers.trajectories.forms import DateInput


class Way(models.TextChoices):
    """How the answers come in: now, in the conversation, or later through the client's personal link."""

    NOW = "now", _("Answer now, in the conversation")
    LINK = "link", _("Send the client a personal link")


class CreateMeasurementForm(forms.Form):
    moment = forms.ChoiceField(label=_("Moment"), choices=Moment.choices, widget=forms.RadioSelect)
    phase = forms.ChoiceField(
        label=_("Phase"),
        choices=Phase.choices,
        initial=Phase.INTERVENTION,
        widget=forms.RadioSelect,
        help_text=_("Baseline: before the intervention starts. Compare phases to see whether the intervention works."),
    )
    respondent = forms.ChoiceField(
        label=_("Filled in by"), choices=Respondent.choices, initial=Respondent.CLIENT, widget=forms.RadioSelect
    )
    way = forms.ChoiceField(label=_("How"), choices=Way.choices, initial=Way.NOW, widget=forms.RadioSelect)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("way") == Way.LINK and cleaned.get("respondent") == Respondent.PROFESSIONAL:
            self.add_error(
                "way", _("A personal link is for the client's own answers: choose the client as respondent.")
            )
        return cleaned


class AnswerForm(forms.Form):
    """One required choice per item, with the version's own answer labels; optionally the date it was taken."""

    def __init__(
        self,
        version: QuestionnaireVersion,
        items: list[Item],
        *args: Any,
        started_on: datetime.date | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        self.started_on = started_on
        labels = list(version.answer_labels or [])
        values = range(version.answer_min, version.answer_max + 1)
        self.choices = [(value, labels[i] if i < len(labels) else str(value)) for i, value in enumerate(values)]
        if started_on is not None:
            self.fields["taken_on"] = forms.DateField(
                label=_("Date of the conversation"), widget=DateInput, initial=timezone.localdate
            )
        message = _("Choose an answer.")
        for item in items:
            self.fields[self.field_name(item)] = forms.TypedChoiceField(
                label=item.text,
                choices=self.choices,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": message, "invalid_choice": message},
            )

    @staticmethod
    def field_name(item: Item) -> str:
        return f"item_{item.pk}"

    def clean_taken_on(self) -> datetime.date:
        taken_on: datetime.date = self.cleaned_data["taken_on"]
        if taken_on > timezone.localdate():
            raise forms.ValidationError(_("This date lies in the future."))
        if self.started_on is not None and taken_on < self.started_on:
            raise forms.ValidationError(_("This date lies before the start of the trajectory."))
        return taken_on

    def questions(self) -> list[dict[str, Any]]:
        """Items in order with their bound field and number, for the template."""
        return [
            {"item": item, "number": number, "field": self[self.field_name(item)]}
            for number, item in enumerate(self.items, start=1)
        ]

    def answers(self) -> dict[int, int]:
        return {item.pk: self.cleaned_data[self.field_name(item)] for item in self.items}
