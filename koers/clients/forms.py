from django import forms
from django.utils.translation import gettext_lazy as _
from stdnum.nl import bsn as bsn_number

from koers.accounts.models import Municipality


class ClientSearchForm(forms.Form):
    q = forms.CharField(label=_("Search by name or client number"), required=False, max_length=100)
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=_("All municipalities"),
    )

    def __init__(self, *args: object, organisation_id: int | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["municipality"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Municipality.objects.filter(organisation_id=organisation_id or 0)


class AccessLogLookupForm(forms.Form):
    """The privacy officer asks about one client, by client number or BSN."""

    client = forms.CharField(
        label=_("Client number or BSN"),
        max_length=12,
        help_text=_("A BSN has nine digits; a client number is shorter."),
    )

    def clean_client(self) -> str:
        value = self.cleaned_data["client"].strip().replace(" ", "").replace(".", "")
        if not value.isdigit():
            raise forms.ValidationError(_("Enter digits only: a client number or a BSN."))
        if len(value) == 9 and not bsn_number.is_valid(value):
            raise forms.ValidationError(_("This BSN does not pass the eleven test. Check the number."))
        return value


class OpenDossierForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need the full dossier?"),
        max_length=500,
        help_text=_("For example: case discussion, complaint, or replacing the consultant. This is logged."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
