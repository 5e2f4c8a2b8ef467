"""Forms of the evaluation: the questionnaire itself and starting the evaluation of a run."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from koers.groupwork.evaluation_services import MAX_OPEN_ANSWER
from koers.groupwork.models import Question, QuestionKind

# Plain words (B1) for the five points of every scale question.
SCALE_LABELS = (
    (1, _("Not at all")),
    (2, _("A little")),
    (3, _("Partly")),
    (4, _("Mostly")),
    (5, _("Completely")),
)


class AnswerTextArea(forms.Textarea):
    """An open answer is optional: no ``required`` attribute."""

    def use_required_attribute(self, initial: Any) -> bool:
        return False


class AnswerForm(forms.Form):
    """One field per question: a scale question needs a choice from 1 to 5, an open question may stay empty."""

    def __init__(self, questions: list[Question], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            name = self.field_name(question)
            if question.kind == QuestionKind.SCALE:
                self.fields[name] = forms.TypedChoiceField(
                    label=question.text,
                    choices=SCALE_LABELS,
                    coerce=int,
                    widget=forms.RadioSelect,
                    error_messages={"required": _("Choose an answer."), "invalid_choice": _("Choose an answer.")},
                )
            else:
                self.fields[name] = forms.CharField(
                    label=question.text,
                    required=False,
                    max_length=MAX_OPEN_ANSWER,
                    widget=AnswerTextArea(attrs={"rows": 4}),
                    error_messages={"max_length": _("Your answer is too long. Please make it shorter.")},
                )

    @staticmethod
    def field_name(question: Question) -> str:
        return f"question_{question.pk}"

    def items(self) -> list[dict[str, Any]]:
        """Questions in order with their bound field, for the template (scale questions render as radio buttons)."""
        return [
            {
                "question": question,
                "field": self[self.field_name(question)],
                "is_scale": question.kind == QuestionKind.SCALE,
            }
            for question in self.questions
        ]

    def answers(self) -> dict[int, int | str | None]:
        return {question.pk: self.cleaned_data.get(self.field_name(question)) for question in self.questions}


class StartEvaluationForm(forms.Form):
    days_valid = forms.IntegerField(
        label=_("Links work for (days)"),
        min_value=1,
        max_value=90,
        initial=21,
        help_text=_("After this many days a link no longer works."),
    )
    confirm_new_links = forms.BooleanField(
        label=_(
            "I understand: participants who have not answered yet get a new link, and their old links stop working."
        ),
        required=False,
    )

    def __init__(self, *args: Any, started: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.started = started
        if not started:
            del self.fields["confirm_new_links"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.started and not cleaned.get("confirm_new_links"):
            self.add_error("confirm_new_links", _("Tick this box to issue new links."))
        return cleaned
