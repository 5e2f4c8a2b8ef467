"""The processing activities of Koers, as registered by the municipality (AVG art. 30).

Every line of the processing log (Logboek Dataverwerkingen) names the activity it belongs to by the URI of its entry
in the municipality's register of processing activities. The register lives outside Koers; ``KOERS_PROCESSING_REGISTER``
is its base address. The access export (AVG art. 15) tells the client the purpose and legal basis of each activity.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ProcessingActivity:
    code: str
    name: Promise
    purpose: Promise
    legal_basis: Promise

    @property
    def uri(self) -> str:
        return f"{settings.KOERS_PROCESSING_REGISTER}{self.code}"


_PARTICIPATIEWET = _("AVG art. 6(1)(c) and (e); Participatiewet art. 7 and 10")

ACTIVITIES: dict[str, ProcessingActivity] = {
    activity.code: activity
    for activity in (
        ProcessingActivity(
            "client-registration",
            _("Client registration"),
            _("Knowing whom the organisation guides towards work, for which municipality, by which consultant."),
            _PARTICIPATIEWET,
        ),
        ProcessingActivity(
            "individual-guidance",
            _("Individual guidance towards work"),
            _("Diagnosis, plan, goals, instruments and progress reports of the trajectory (Gewogen Maatwerk)."),
            _("AVG art. 6(1)(c) and (e), art. 9(2)(b) and (g) with UAVG art. 30; Participatiewet art. 7 and 10"),
        ),
        ProcessingActivity(
            "group-work",
            _("Group programmes"),
            _("Referral, screening, waiting list, placement, invitations, attendance, hand-off and evaluation."),
            _PARTICIPATIEWET,
        ),
        ProcessingActivity(
            "effect-measurement",
            _("Individual effect measurement"),
            _("Measuring the client's progress to see whether the guidance still does the right thing."),
            _PARTICIPATIEWET,
        ),
        ProcessingActivity(
            "accountability",
            _("Accountability to the municipality"),
            _("Aggregated reports to the municipalities that pay; no figures about one person."),
            _("AVG art. 6(1)(e) and art. 89; Participatiewet art. 7"),
        ),
        ProcessingActivity(
            "privacy-supervision",
            _("Supervision of the use of personal data"),
            _("Answering who consulted a dossier, and handling requests for access, rectification and restriction."),
            _("AVG art. 5(2), 15, 16, 18 and 32"),
        ),
        ProcessingActivity(
            "retention",
            _("Archiving and destruction"),
            _("Keeping dossiers as long as the Selectielijst gemeenten requires, and destroying them afterwards."),
            _("Archiefwet 1995 art. 3 and 5; Selectielijst gemeenten en intergemeentelijke organen 2020"),
        ),
    )
}

# Which activity a record belongs to, by app label; object types outside this map are the client's registration.
_BY_APP = {
    "clients": "client-registration",
    "imports": "client-registration",
    "trajectories": "individual-guidance",
    "principles": "individual-guidance",
    "groupwork": "group-work",
    "placement": "group-work",
    "measurement": "effect-measurement",
    "reporting": "accountability",
    "audit": "privacy-supervision",
    "retention": "retention",
}

# Apps that hold no client data of their own (staff, access rules, pages that show other apps' records, fictional
# demo data); every other koers app must be in ``_BY_APP`` (system check koers.audit.E002).
HOLDS_NO_CLIENT_DATA = frozenset({"accounts", "access", "caseload", "home", "demo"})


def activity_for(object_type: str) -> ProcessingActivity:
    """The activity of a record, from its object type (``app_label.model``)."""
    app_label = object_type.partition(".")[0]
    return ACTIVITIES[_BY_APP.get(app_label, "client-registration")]
