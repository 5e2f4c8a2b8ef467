"""Labels for the fixed reasons that Koers writes on audit events; stored in English, shown in the user's language."""

from django.utils.translation import gettext_lazy as _

REASON_LABELS = {
    "client list": _("client list"),
    "client detail": _("client dossier"),
    "API client list": _("client list via the API"),
    "API client detail": _("client via the API"),
    "group run participants": _("participant list of a group run"),
    "access log consulted by privacy officer": _("access log consulted by the privacy officer"),
    "verified": _("second factor verified"),
    "failed": _("wrong code for the second factor"),
    "enrolled": _("authenticator app linked"),
}


def reason_label(reason: str) -> str:
    """The translated label of a fixed reason; free text (such as a team manager's reason) is shown as written."""
    prefix = "dossier opened: "
    if reason.startswith(prefix):
        label = _("dossier opened")
        return f"{label}: {reason[len(prefix) :]}"
    return str(REASON_LABELS.get(reason, reason))
