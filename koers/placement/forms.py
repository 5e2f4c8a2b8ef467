"""The planner's choices on a proposal page: which lines to accept and which placements to pin for a re-run.

The checkboxes are written by the template (each needs a label naming the client), so these forms only parse and
validate the posted line ids; the services check that the lines belong to the proposal.
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The largest id a database key holds (64-bit); a larger one names no line, and SQLite cannot even compare it.
LARGEST_ID = 2**63 - 1


class LineIdsField(forms.Field):
    """Several line ids posted under one name (one checkbox per line), as a set of integers."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> set[int]:
        if not value:
            return set()
        try:
            ids = {int(item) for item in value}
        except (TypeError, ValueError) as error:
            raise ValidationError(_("The page sent lines that do not exist. Reload the page and try again.")) from error
        if any(not 0 < line_id <= LARGEST_ID for line_id in ids):
            raise ValidationError(_("The page sent lines that do not exist. Reload the page and try again."))
        return ids


class AcceptForm(forms.Form):
    """ "Accept selected" posts the ticked lines; "Accept all" posts ``everything``."""

    line = LineIdsField(required=False)
    everything = forms.BooleanField(required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("everything") and not data.get("line"):
            raise ValidationError(_("Select at least one placement to accept, or choose “Accept all”."))
        return data


class RerunForm(forms.Form):
    """The pin checkboxes of the lines on the page (``shown``); pins on other pages of the proposal stay as they are."""

    pin = LineIdsField(required=False)
    shown = LineIdsField(required=False)
