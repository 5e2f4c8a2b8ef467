from django import forms
from django.utils.translation import gettext_lazy as _


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve: destroy these records")), ("reject", _("Reject: keep these records"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why you approve or reject the list. Do not name clients."),
    )


class LegalHoldForm(forms.Form):
    client_number = forms.IntegerField(label=_("Client number"), min_value=1)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        help_text=_("For example a court case, a complaint or an objection. Do not name the client."),
    )
    until = forms.DateField(
        label=_("Held until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leave empty to keep the dossier until the hold is lifted."),
    )
