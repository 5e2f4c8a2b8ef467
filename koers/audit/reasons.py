"""Labels for the fixed reasons that Koers writes on audit events; stored in English, shown in the user's language."""

import re

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

REASON_LABELS = {
    "client list": _("client list"),
    "client detail": _("client dossier"),
    "API client list": _("client list via the API"),
    "API client detail": _("client via the API"),
    "group run participants": _("participant list of a group run"),
    "referral form": _("referral to a group (form)"),
    "referral created": _("referral to a group"),
    "referral detail": _("referral to a group"),
    "withdraw referral": _("referral withdrawn"),
    "decline referral": _("referral declined"),
    "waiting list": _("waiting list of a programme"),
    "placement page": _("placement in a group"),
    "placed in group run": _("placed in a group"),
    "placement proposal": _("placement proposal (suggested placements)"),
    "undo placement": _("placement undone"),
    "placement undone": _("placement undone"),
    "left group run": _("left a group"),
    "session attendance": _("attendance of a session"),
    "attendance recorded": _("attendance recorded"),
    "attendance changed": _("attendance changed"),
    "attendance list printed (PDF)": _("attendance list printed (PDF)"),
    "session log saved": _("session log saved"),
    "trainer's group overview": _("trainer's overview of own groups"),
    "access log consulted by privacy officer": _("access log consulted by the privacy officer"),
    "verified": _("second factor verified"),
    "failed": _("wrong code for the second factor"),
    "enrolled": _("authenticator app linked"),
    "evaluation started": _("evaluation started"),
    "evaluation link e-mailed": _("evaluation link sent by e-mail"),
    "evaluation link printed": _("evaluation link printed"),
    "group invitations": _("group invitations"),
    "group invitation sent by e-mail": _("group invitation sent by e-mail"),
    "group invitation letter ready to print": _("group invitation letter ready to print"),
    "group reminder sent by e-mail": _("group reminder sent by e-mail"),
    "group reminder letter ready to print": _("group reminder letter ready to print"),
    "group invitation letters printed (PDF)": _("group invitation letters printed (PDF)"),
    "group reminder letters printed (PDF)": _("group reminder letters printed (PDF)"),
    "hand-off overview": _("hand-off overview of a group run"),
    "hand-off form": _("hand-off form"),
    "hand-off signal": _("hand-off signal"),
    "hand-off signal written": _("hand-off signal written"),
    "hand-off signal acknowledged": _("hand-off signal acknowledged"),
    "absence signals": _("absence signals"),
    "absence acknowledged": _("absence acknowledged"),
    "API referral list": _("referral list via the API"),
    "API referral detail": _("referral via the API"),
    "API attendance list": _("attendance list via the API"),
    "API attendance detail": _("attendance via the API"),
    "API hand-off list": _("hand-off signals via the API"),
    "API hand-off detail": _("hand-off signal via the API"),
    "group effects of a group run": _("group effects of a group run (aggregates)"),
    "group effects of a programme": _("group effects of a programme (aggregates)"),
    "research export (pseudonymised)": _("research export (pseudonymised)"),
    "effect measurement results": _("effect measurement results of a trajectory"),
    "principles audit": _("principles check of a trajectory"),
    "measurement form": _("new measurement (form)"),
    "measurement entry form": _("measurement answers (form)"),
    "measurement link page": _("personal measurement link"),
    "cancel measurement": _("measurement cancelled (form)"),
    "measurement planned": _("measurement planned"),
    "measurement answers entered": _("measurement answers entered"),
    "measurement cancelled": _("measurement cancelled"),
    "measurement link issued": _("personal measurement link issued"),
    "measurement link letter printed (PDF)": _("letter with the personal measurement link printed (PDF)"),
    "measurement answered through personal link": _("measurement answered by the client through the personal link"),
    "questionnaire version published": _("questionnaire version published"),
    "questionnaire version drafted": _("new questionnaire version drafted"),
    "starter questionnaire installed": _("starter questionnaire installed"),
    "client detail (restricted)": _("client dossier (processing restricted: name only)"),
    "rectification form": _("correction of personal data (form)"),
    "rectification without changes": _("correction of personal data saved without changes"),
    "subject access export (json)": _("access export for the client (JSON)"),
    "subject access export (pdf)": _("access export for the client (PDF)"),
    "too many login attempts": _("too many login attempts"),
    "too many second-factor attempts": _("too many second-factor attempts"),
    "too many personal-link requests": _("too many personal-link requests"),
    "too many client searches": _("too many client searches"),
    "too many report requests": _("too many report requests"),
    "too many API requests": _("too many API requests"),
    "too many anonymous API requests": _("too many anonymous API requests"),
    "destruction list proposed": _("destruction list proposed"),
    "destruction list approved": _("destruction list approved"),
    "destruction list rejected": _("destruction list rejected"),
    "destruction list execution started": _("destruction list execution started"),
    "destruction list executed": _("destruction list executed"),
    "destruction list": _("destruction list"),
    "destroyed after retention period: client_dossier": _("client dossier destroyed after its retention period"),
    "destroyed after retention period: withdrawn_referral": _(
        "withdrawn referral destroyed after its retention period"
    ),
    "legal hold placed": _("legal hold placed"),
    "legal hold lifted": _("legal hold lifted"),
    "retention candidates and holds": _("records past their retention period and legal holds"),
}


# Reasons that carry free text (the user's own reason) after a fixed prefix.
PREFIXED_REASONS = {
    "dossier opened: ": _("dossier opened"),
    "rectified: ": _("personal data corrected"),
    "processing restricted: ": _("processing restricted"),
    "processing restriction lifted: ": _("restriction of processing lifted"),
}


def reason_label(reason: str) -> str:
    """The translated label of a fixed reason; free text (such as a team manager's reason) is shown as written."""
    for prefix, label in PREFIXED_REASONS.items():
        if reason.startswith(prefix):
            return f"{label}: {reason[len(prefix) :]}"
    exported = re.fullmatch(r"research export \(pseudonymised\): (\d+) rows", reason)
    if exported:
        rows = int(exported.group(1))
        return ngettext(
            "research export (pseudonymised): %(rows)d row", "research export (pseudonymised): %(rows)d rows", rows
        ) % {"rows": rows}
    report = re.fullmatch(
        r"report (viewed|export requested|export downloaded): (financier|management)"
        r"(?: \((xlsx|csv|pdf)\))?(?:, municipality (.+))?, (\S+) to (\S+)",
        reason,
    )
    if report:
        return _report_label(*report.groups())
    return str(REASON_LABELS.get(reason, reason))


REPORT_EVENTS = {
    "viewed": _("report viewed"),
    "export requested": _("report export requested"),
    "export downloaded": _("report export downloaded"),
}
REPORT_KINDS = {"financier": _("financier report"), "management": _("management report")}


def _report_label(
    what: str, kind: str, export_format: str | None, municipality: str | None, start: str, end: str
) -> str:
    subject = f"{REPORT_KINDS[kind]} ({export_format.upper()})" if export_format else str(REPORT_KINDS[kind])
    where = f", {municipality}" if municipality else ""
    return f"{REPORT_EVENTS[what]}: {subject}{where}, {start} – {end}"
