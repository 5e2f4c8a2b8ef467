"""Proposing, deciding on and executing destruction lists; legal holds; pruning the authentication logs.

Destruction removes every row of the client found by ``client_linked_models()``. Audit events and processing-log
lines stay: they hold the client only as a number or a pseudonym, never a name or content.
"""

import datetime
import graphlib
from functools import cache

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koers.accounts.models import Organisation, User
from koers.accounts.roles import Role
from koers.audit.models import Action, AuditEvent
from koers.audit.retention import deletion_allowed
from koers.audit.services import record_event
from koers.clients.models import Client
from koers.clients.subject_data import client_linked_models
from koers.groupwork.models import Referral
from koers.imports.models import ImportRejection
from koers.retention import terms
from koers.retention.models import (
    DEFAULT_RULES,
    LEGAL_BASIS,
    DestructionList,
    DestructionListItem,
    DestructionRecord,
    ItemOutcome,
    LegalHold,
    ListStatus,
    RecordType,
    RetentionRule,
)
from koers.retention.selectors import Candidate, candidates, dossier_candidates, referral_candidates, rules_for

AUTHENTICATION_ACTIONS = (Action.LOGIN, Action.LOGIN_FAILED, Action.LOGOUT, Action.MFA)


def store_default_rules(organisation_id: int) -> None:
    """Store the defaults the organisation has not configured, so that the administrator can change them."""
    missing = [rule for rule in rules_for(organisation_id).values() if rule.pk is None]
    RetentionRule.objects.bulk_create(missing, ignore_conflicts=True)


class NothingToProposeError(Exception):
    """No record of the organisation has passed its term."""


def propose_list(by: User, today: datetime.date | None = None) -> DestructionList:
    """A list of today's candidates of the administrator's organisation, for the process owner to decide on."""
    if not by.has_role(Role.ADMINISTRATOR) or by.organisation_id is None:
        raise PermissionDenied
    found = candidates(by.organisation_id, today)
    if not found:
        raise NothingToProposeError
    with transaction.atomic():
        destruction_list = DestructionList.objects.create(organisation_id=by.organisation_id, created_by=by)
        DestructionListItem.objects.bulk_create(_item(destruction_list, candidate) for candidate in found)
        record_event(by, Action.CREATE, destruction_list, reason="destruction list proposed")
    return destruction_list


def _item(destruction_list: DestructionList, candidate: Candidate) -> DestructionListItem:
    return DestructionListItem(
        destruction_list=destruction_list,
        record_type=candidate.record_type,
        object_id=candidate.object_id,
        client_number=candidate.client_number,
        municipality_id=candidate.municipality_id,
        end_date=candidate.end_date,
        rule_code=candidate.rule.selectielijst_code,
        term=candidate.rule.term,
        unit=candidate.rule.unit,
        action_date=candidate.action_date,
    )


def decide(destruction_list: DestructionList, by: User, *, approve: bool, reason: str) -> DestructionList:
    """The process owner (a team manager of the organisation, never the proposer) approves or rejects the list."""
    if (
        not by.has_role(Role.TEAM_MANAGER)
        or by.organisation_id != destruction_list.organisation_id
        or by.pk == destruction_list.created_by_id
    ):
        raise PermissionDenied
    with transaction.atomic():
        status = ListStatus.APPROVED if approve else ListStatus.REJECTED
        changed = DestructionList.objects.filter(pk=destruction_list.pk, status=ListStatus.PROPOSED).update(
            status=status, approved_by=by, approved_at=timezone.now(), decision_reason=reason[:500]
        )
        if not changed:
            raise ValidationError(_("A decision on this list has already been taken."))
        destruction_list.refresh_from_db()
        record_event(by, Action.UPDATE, destruction_list, reason=f"destruction list {status}")
    return destruction_list


def start_execution(destruction_list: DestructionList, by: User) -> None:
    """Mark an approved list as being executed by ``by`` (once); the caller queues ``execute_list``."""
    if not by.has_role(Role.ADMINISTRATOR) or by.organisation_id != destruction_list.organisation_id:
        raise PermissionDenied
    with transaction.atomic():
        started = DestructionList.objects.filter(
            pk=destruction_list.pk, status=ListStatus.APPROVED, execution_started_at__isnull=True
        ).update(execution_started_at=timezone.now(), executed_by=by)
        if not started:
            raise ValidationError(_("Only an approved list that is not yet being executed can be executed."))
        record_event(by, Action.UPDATE, destruction_list, reason="destruction list execution started")


def execute_list(list_id: int) -> None:
    """Destroy each pending item in its own transaction, so that progress shows and an interrupted run resumes."""
    destruction_list = DestructionList.objects.select_related("approved_by", "executed_by").get(pk=list_id)
    executed_by, approved_by = destruction_list.executed_by, destruction_list.approved_by
    if destruction_list.status != ListStatus.APPROVED or executed_by is None or approved_by is None:
        return
    rules = rules_for(destruction_list.organisation_id)
    for item in destruction_list.items.filter(outcome=ItemOutcome.PENDING).order_by("id"):
        with transaction.atomic():
            destroyed = _destroy(destruction_list, item, rules[item.record_type], executed_by, approved_by)
            item.outcome = ItemOutcome.DESTROYED if destroyed else ItemOutcome.SKIPPED
            item.save(update_fields=["outcome"])
    with transaction.atomic():
        DestructionList.objects.filter(pk=list_id).update(status=ListStatus.EXECUTED, executed_at=timezone.now())
        record_event(executed_by, Action.DELETE, destruction_list, reason="destruction list executed")


def _destroy(
    destruction_list: DestructionList,
    item: DestructionListItem,
    rule: RetentionRule,
    executed_by: User,
    approved_by: User,
) -> bool:
    """Destroy one item if it is still a candidate with the same end date; False when it changed since the proposal.

    The client row is locked first: a trajectory or referral written meanwhile must reference it, so it waits.
    """
    today = timezone.localdate()
    list(Client.objects.select_for_update().filter(pk=item.client_number).values_list("pk", flat=True))
    if item.record_type == RecordType.CLIENT_DOSSIER:
        still = dossier_candidates(destruction_list.organisation_id, today, rule, client_ids=[item.object_id])
    else:
        still = referral_candidates(destruction_list.organisation_id, today, rule, referral_ids=[item.object_id])
    if not still or still[0].end_date != item.end_date:
        return False
    if item.record_type == RecordType.CLIENT_DOSSIER:
        destroy_client(item.object_id)
    else:
        destroy_withdrawn_referral(item.object_id)
    record = DestructionRecord.objects.create(
        destruction_list=destruction_list,
        record_type=item.record_type,
        object_id=item.object_id,
        client_number=item.client_number,
        rule=f"{rule.selectielijst_code}: {rule.term} {rule.unit}"[:100],
        legal_basis=f"{LEGAL_BASIS}, {rule.selectielijst_code}: {rule.result}"[:700],
        executed_at=timezone.now(),
        executed_by=executed_by,
        approved_by=approved_by,
    )
    record_event(
        executed_by,
        Action.DELETE,
        record,
        client_id=item.client_number,
        reason=f"destroyed after retention period: {item.record_type}",
    )
    return True


@cache
def deletion_order() -> tuple[type[models.Model], ...]:
    """The client-linked models, each after every linked model that points to it.

    Depth alone is not enough: a referral (depth 1) protects the instrument of a trajectory (depth 2 below another
    depth-1 model), so the order follows the foreign keys themselves, ties broken by reverse depth.
    """
    links = list(reversed(client_linked_models()))
    linked = {link.model for link in links}
    graph: dict[type[models.Model], set[type[models.Model]]] = {link.model: set() for link in links}
    for link in links:
        for field in link.model._meta.concrete_fields:
            parent = field.related_model if field.many_to_one or field.one_to_one else None
            if isinstance(parent, type) and parent in linked and parent is not link.model:
                graph[parent].add(link.model)
    return tuple(graphlib.TopologicalSorter(graph).static_order())


def destroy_client(client_id: int) -> None:
    """Every row of the client in every client-linked table, the import rejections with its BSN, admin log lines."""
    client = Client.objects.only("pk", "organisation_id", "bsn").get(pk=client_id)
    paths = {link.model: link.path for link in client_linked_models()}
    for model in deletion_order():
        rows = model._default_manager.filter(**{paths[model]: client_id})
        ids = [str(pk) for pk in rows.values_list("pk", flat=True)]
        if not ids:
            continue
        LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(model), object_id__in=ids).delete()
        rows.delete()
    ImportRejection.objects.filter(
        client_import__organisation_id=client.organisation_id, masked_bsn=client.masked_bsn
    ).delete()


def destroy_withdrawn_referral(referral_id: int) -> None:
    """The referral with its status history and the placement-proposal lines that named it."""
    referral = Referral.objects.get(pk=referral_id)
    referral.proposal_lines.all().delete()
    referral.events.all().delete()
    referral.delete()


def place_legal_hold(by: User, client: Client, reason: str, until: datetime.date | None = None) -> LegalHold:
    with transaction.atomic():
        hold = LegalHold.objects.create(client=client, reason=reason[:500], until=until, set_by=by)
        record_event(by, Action.CREATE, hold, client_id=client.pk, reason="legal hold placed")
    return hold


def lift_legal_hold(by: User, hold: LegalHold) -> None:
    """A lifted hold ended yesterday: the record shows when it was lifted, and the dossier is a candidate again."""
    with transaction.atomic():
        hold.until = timezone.localdate() - datetime.timedelta(days=1)
        hold.save(update_fields=["until"])
        record_event(by, Action.UPDATE, hold, client_id=hold.client_id, reason="legal hold lifted")


def authentication_log_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    """Authentication records before this moment have passed their term (Selectielijst 19.1.24).

    The logs are not per organisation, so the longest term any organisation set applies.
    """
    now = now or timezone.now()
    rules = [rules_for(pk)[RecordType.AUTHENTICATION_LOG] for pk in Organisation.objects.values_list("pk", flat=True)]
    default = DEFAULT_RULES[RecordType.AUTHENTICATION_LOG]
    kept = [(rule.term, rule.unit) for rule in rules] or [(default["term"], default["unit"])]
    start = min(terms.add_term(now.date(), -term, unit) for term, unit in kept)
    return datetime.datetime.combine(start, now.timetz())


def apply_log_retention(now: datetime.datetime | None = None) -> dict[str, int]:
    """Delete authentication audit events and django-axes records older than the term; one audit event with counts."""
    cutoff = authentication_log_cutoff(now)
    counts: dict[str, int] = {}
    with transaction.atomic(), deletion_allowed():
        counts["audit"], _details = AuditEvent.objects.filter(action__in=AUTHENTICATION_ACTIONS, at__lt=cutoff).delete()
        for model in (AccessAttempt, AccessLog, AccessFailureLog):
            deleted, _details = model.objects.filter(attempt_time__lt=cutoff).delete()
            counts[model._meta.label_lower] = deleted
        summary = ", ".join(f"{name} {count}" for name, count in counts.items())
        record_event(None, Action.DELETE, object_type="audit.auditevent", reason=f"log retention run: {summary}")
    return counts
