from django import forms
from django.utils.translation import gettext_lazy as _

from koers.accounts.models import Municipality
from koers.caseload.selectors import SIGNALS, Selection, Sort


class CaseloadFilterForm(forms.Form):
    """Search, filter and sort of the caseload; every field is optional and falls back to its default."""

    q = forms.CharField(label=_("Search by name or client number"), required=False, max_length=100)
    signaal = forms.ChoiceField(
        label=_("Signal"),
        required=False,
        choices=[("", _("All clients")), *((signal.param, signal.label) for signal in SIGNALS)],
    )
    gemeente = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=_("All municipalities"),
    )
    clienten = forms.ChoiceField(
        label=_("Clients"),
        required=False,
        choices=[
            (Selection.OWN, _("My own clients")),
            (Selection.REPLACING, _("Replacing a colleague")),
            (Selection.ALL, _("Both")),
        ],
    )
    sorteer = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            (Sort.NAME, _("Name")),
            (Sort.SIGNALS, _("Most signals first")),
            (Sort.OLDEST_REPORT, _("Oldest progress report first")),
        ],
    )

    def __init__(self, *args: object, organisation_id: int | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["gemeente"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Municipality.objects.filter(organisation_id=organisation_id or 0)

    def value(self, name: str) -> object:
        """The cleaned value of one field, or ``None`` when it was left out or is not valid."""
        if not self.is_bound:
            return None
        self.is_valid()
        return self.cleaned_data.get(name) or None
