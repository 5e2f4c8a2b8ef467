"""Reading retention rules, the records whose term has passed, and destruction lists."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from koers.accounts.models import Organisation, User
from koers.accounts.roles import Role
from koers.clients.models import Client
from koers.groupwork.models import OPEN_REFERRAL_STATUSES, Participation, Referral, ReferralEvent, ReferralStatus
from koers.retention import terms
from koers.retention.models import (
    DEFAULT_RULES,
    DestructionList,
    DestructionListItem,
    DestructionRecord,
    LegalHold,
    RecordType,
    RetentionRule,
)
from koers.trajectories.models import Trajectory


def rules_for(organisation: Organisation | int) -> dict[str, RetentionRule]:
    """The organisation's rule per record type; a type it has not configured gets the Selectielijst default."""
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    rules = {rule.record_type: rule for rule in RetentionRule.objects.filter(organisation_id=organisation_id)}
    for record_type, values in DEFAULT_RULES.items():
        rules.setdefault(record_type, RetentionRule(organisation_id=organisation_id, record_type=record_type, **values))
    return rules


@dataclass(frozen=True)
class Candidate:
    """A record whose archive action date has passed: what a destruction list item holds, nothing more."""

    record_type: str
    object_id: int
    client_number: int
    municipality_id: int
    municipality_name: str
    end_date: datetime.date
    rule: RetentionRule

    @property
    def action_date(self) -> datetime.date:
        return self.rule.action_date(self.end_date)

    def get_record_type_display(self) -> str:
        return str(RecordType(self.record_type).label)


def _held(client_path: str, today: datetime.date) -> Exists:
    holds = LegalHold.objects.filter(client=OuterRef(client_path)).filter(Q(until__isnull=True) | Q(until__gte=today))
    return Exists(holds)


def dossier_candidates(
    organisation_id: int, today: datetime.date, rule: RetentionRule, client_ids: list[int] | None = None
) -> list[Candidate]:
    """Clients without an open trajectory or referral whose last trajectory ended a full term ago, not held, and not
    under a restriction of processing (AVG art. 18: while the client disputes the data, it is only stored)."""
    clients = Client.objects.filter(organisation_id=organisation_id)
    if client_ids is not None:
        clients = clients.filter(pk__in=client_ids)
    rows = (
        clients.annotate(last_end=Max("trajectories__ended_on"))
        .filter(last_end__lte=terms.latest_start(today, rule.term, rule.unit))
        .exclude(Exists(Trajectory.objects.filter(client=OuterRef("pk"), ended_on__isnull=True)))
        .exclude(Exists(Referral.objects.filter(client=OuterRef("pk"), status__in=OPEN_REFERRAL_STATUSES)))
        .exclude(_held("pk", today))
        .filter(processing_restricted_since__isnull=True)
        .order_by("last_end", "pk")
        .values_list("pk", "municipality_id", "municipality__name", "last_end")
    )
    found = (
        Candidate(RecordType.CLIENT_DOSSIER, pk, pk, municipality_id, municipality, end, rule)
        for pk, municipality_id, municipality, end in rows
    )
    return [candidate for candidate in found if candidate.action_date <= today]


def referral_candidates(
    organisation_id: int, today: datetime.date, rule: RetentionRule, referral_ids: list[int] | None = None
) -> list[Candidate]:
    """Referrals withdrawn before any placement, a full term after the withdrawal, whose client is neither held nor
    under a restriction of processing."""
    referrals = Referral.objects.filter(client__organisation_id=organisation_id, status=ReferralStatus.WITHDRAWN)
    if referral_ids is not None:
        referrals = referrals.filter(pk__in=referral_ids)
    bound = terms.latest_start(today, rule.term, rule.unit) + datetime.timedelta(days=1)
    withdrawn_before = timezone.make_aware(datetime.datetime.combine(bound, datetime.time.min))
    rows = (
        referrals.annotate(
            withdrawn_at=Max("events__at", filter=Q(events__status=ReferralStatus.WITHDRAWN)),
        )
        .filter(withdrawn_at__lt=withdrawn_before)
        .exclude(Exists(ReferralEvent.objects.filter(referral=OuterRef("pk"), status=ReferralStatus.PLACED)))
        .exclude(Exists(Participation.objects.filter(referral=OuterRef("pk"))))
        .exclude(_held("client_id", today))
        .filter(client__processing_restricted_since__isnull=True)
        .order_by("withdrawn_at", "pk")
        .values_list("pk", "client_id", "client__municipality_id", "client__municipality__name", "withdrawn_at")
    )
    found = (
        Candidate(
            RecordType.WITHDRAWN_REFERRAL, pk, client_id, municipality_id, municipality, timezone.localdate(at), rule
        )
        for pk, client_id, municipality_id, municipality, at in rows
    )
    return [candidate for candidate in found if candidate.action_date <= today]


def candidates(organisation_id: int, today: datetime.date | None = None) -> list[Candidate]:
    """Every record of the organisation that may be destroyed today: dossiers first, then withdrawn referrals."""
    today = today or timezone.localdate()
    rules = rules_for(organisation_id)
    return dossier_candidates(organisation_id, today, rules[RecordType.CLIENT_DOSSIER]) + referral_candidates(
        organisation_id, today, rules[RecordType.WITHDRAWN_REFERRAL]
    )


def active_holds(organisation_id: int, today: datetime.date | None = None) -> QuerySet[LegalHold]:
    today = today or timezone.localdate()
    return (
        LegalHold.objects.filter(client__organisation_id=organisation_id)
        .filter(Q(until__isnull=True) | Q(until__gte=today))
        .select_related("set_by")
    )


def visible_lists(user: User) -> QuerySet[DestructionList]:
    """The destruction lists of the user's organisation, for its administrators and team managers."""
    if not user.has_role(Role.ADMINISTRATOR, Role.TEAM_MANAGER) or user.organisation_id is None:
        return DestructionList.objects.none()
    return DestructionList.objects.filter(organisation_id=user.organisation_id).select_related(
        "created_by", "approved_by", "executed_by"
    )


def list_items(destruction_list: DestructionList) -> QuerySet[DestructionListItem]:
    return destruction_list.items.select_related("municipality")


def list_records(destruction_list: DestructionList) -> QuerySet[DestructionRecord]:
    return destruction_list.records.select_related("executed_by", "approved_by")
