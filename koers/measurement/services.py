"""Writes of effect measurement: publishing questionnaire versions, planning measurements, recording answers, and
the client's personal link.

Each use case is one function in one transaction with its audit event. A published version never changes (its
answers keep their meaning); a new version starts as a draft copy. The personal link follows the evaluation link's
rules (``koers.groupwork.evaluation_services``): a random token of which only the SHA-256 is stored, bound to one
measurement, expiring, used once. Unlike an evaluation link a replaced link keeps its hash, so whoever opens an old
link is told it no longer works (410) rather than that it never existed.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from koers.access.scoping import scope
from koers.audit.models import Action
from koers.audit.services import record_event
from koers.groupwork.evaluation_services import MAX_TOKEN_LENGTH, hash_token, new_token
from koers.measurement.models import (
    Item,
    Measurement,
    MeasurementAnswer,
    MeasurementLink,
    MeasurementPolicy,
    MeasurementStatus,
    Moment,
    Phase,
    QuestionnaireVersion,
    Respondent,
    ScaleScore,
    VersionStatus,
)
from koers.measurement.scoring import ItemRule, scale_scores
from koers.measurement.selectors import policy_of
from koers.trajectories.models import Trajectory

# Questionnaire versions -----------------------------------------------------------------------------------------


class VersionNotDraftError(Exception):
    """Only a draft version can be changed or published; a published or retired one is frozen."""


class PublishError(ValueError):
    """The draft is not complete enough to publish; ``problems`` says why, in the reader's language."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


class DraftExistsError(Exception):
    """The questionnaire already has a draft: edit that one instead of starting another."""

    def __init__(self, draft: QuestionnaireVersion) -> None:
        super().__init__(f"Version {draft.number} is already a draft.")
        self.draft = draft


def ensure_draft(version: QuestionnaireVersion) -> None:
    """Raises ``VersionNotDraftError`` unless the stored version is a draft (the admin calls it before every save)."""
    if version.pk is None:
        return
    # Locked until the caller's transaction ends (the admin saves in one), so an edit racing ``publish_version``,
    # which locks the row too, waits and then sees "published".
    with transaction.atomic():
        draft = QuestionnaireVersion.objects.select_for_update().filter(pk=version.pk, status=VersionStatus.DRAFT)
        if not draft.exists():
            raise VersionNotDraftError


def publication_problems(version: QuestionnaireVersion) -> list[str]:
    """Why the version cannot be published yet; empty when it can."""
    problems = []
    scales = list(version.scales.all())
    items = list(version.items.all())
    if not scales:
        problems.append(_("A version needs at least one scale."))
    scales_with_items = {item.scale_id for item in items}
    for scale in scales:
        if scale.pk not in scales_with_items:
            problems.append(_("Scale “%(name)s” has no items.") % {"name": scale.name})
    scale_ids = {scale.pk for scale in scales}
    if any(item.scale_id not in scale_ids for item in items):
        problems.append(_("Some items belong to a scale of another version."))
    values = version.answer_max - version.answer_min + 1
    labels = version.answer_labels if isinstance(version.answer_labels, list) else []
    if len(labels) != values or not all(isinstance(label, str) and label.strip() for label in labels):
        problems.append(
            _("The answers run from %(low)s to %(high)s: give exactly one label for each of these %(count)s values.")
            % {"low": version.answer_min, "high": version.answer_max, "count": values}
        )
    return problems


def publish_version(by: Any, version: QuestionnaireVersion) -> QuestionnaireVersion:
    """Publishes a complete draft; the questionnaire's previously published version retires.

    Measurements already taken or still open keep the version they were made with.
    """
    with transaction.atomic():
        locked = QuestionnaireVersion.objects.select_for_update().get(pk=version.pk)
        if locked.status != VersionStatus.DRAFT:
            raise VersionNotDraftError
        problems = publication_problems(locked)
        if problems:
            raise PublishError(problems)
        QuestionnaireVersion.objects.filter(
            questionnaire_id=locked.questionnaire_id, status=VersionStatus.PUBLISHED
        ).update(status=VersionStatus.RETIRED)
        locked.status = VersionStatus.PUBLISHED
        locked.published_at = timezone.now()
        locked.save(update_fields=["status", "published_at"])
        record_event(by, Action.UPDATE, locked, reason="questionnaire version published")
    return locked


def new_draft_from(by: Any, version: QuestionnaireVersion) -> QuestionnaireVersion:
    """A new draft (number + 1) with a copy of the version's introduction, answer scale, scales and items."""
    with transaction.atomic():
        source = QuestionnaireVersion.objects.select_for_update().get(pk=version.pk)
        siblings = QuestionnaireVersion.objects.select_for_update().filter(questionnaire_id=source.questionnaire_id)
        draft = siblings.filter(status=VersionStatus.DRAFT).first()
        if draft is not None:
            raise DraftExistsError(draft)
        number = (siblings.aggregate(highest=Max("number"))["highest"] or 0) + 1
        copy = QuestionnaireVersion.objects.create(
            questionnaire_id=source.questionnaire_id,
            number=number,
            status=VersionStatus.DRAFT,
            introduction=source.introduction,
            answer_min=source.answer_min,
            answer_max=source.answer_max,
            answer_labels=list(source.answer_labels or []),
        )
        new_scale_ids: dict[int, int] = {}
        for scale in source.scales.all():
            old_pk = scale.pk
            scale.pk = None
            scale.version = copy
            scale.save(force_insert=True)
            new_scale_ids[old_pk] = scale.pk
        Item.objects.bulk_create(
            Item(
                version=copy,
                scale_id=new_scale_ids[item.scale_id],
                position=item.position,
                text=item.text,
                reverse_scored=item.reverse_scored,
            )
            for item in source.items.all()
        )
        record_event(by, Action.CREATE, copy, reason="questionnaire version drafted")
    return copy


# Measurements ---------------------------------------------------------------------------------------------------


class NoQuestionnaireError(Exception):
    """The organisation has not chosen a measurement questionnaire, or it has no published version."""

    def __str__(self) -> str:
        return _(
            "Your organisation has not set up a measurement questionnaire with a published version yet. "
            "Ask the application administrator to do so."
        )


class MeasurementClosedError(Exception):
    """The measurement was completed or cancelled: its answers are a record now."""


class OpenMeasurementExistsError(Exception):
    """The trajectory already has an open measurement for this moment: continue that one."""

    def __init__(self, measurement: Measurement) -> None:
        super().__init__("An open measurement for this moment exists.")
        self.measurement = measurement


class TrajectoryEndedError(Exception):
    """Measurements belong to an open trajectory; after its end only the end measurement can still be taken."""


class InvalidAnswersError(ValueError):
    """Not every item has an answer within the version's range, or an answer names an item of another version."""

    def __init__(self, item_ids: list[int]) -> None:
        super().__init__(f"Items without a valid answer: {item_ids}")
        self.item_ids = item_ids


def current_version(organisation_id: int) -> QuestionnaireVersion:
    """The published version of the organisation's measurement questionnaire."""
    return published_version(policy_of(organisation_id))


def published_version(policy: MeasurementPolicy | None) -> QuestionnaireVersion:
    """The published version of the policy's questionnaire; ``NoQuestionnaireError`` when there is none."""
    if policy is None or policy.questionnaire_id is None:
        raise NoQuestionnaireError
    version = QuestionnaireVersion.objects.filter(
        questionnaire_id=policy.questionnaire_id, status=VersionStatus.PUBLISHED
    ).first()
    if version is None:
        raise NoQuestionnaireError
    return version


def _ensure_in_scope(by: Any, model: type[Trajectory] | type[Measurement], pk: int) -> None:
    if not scope(model.objects.filter(pk=pk), by).exists():
        raise PermissionDenied


def create_measurement(
    by: Any,
    trajectory: Trajectory,
    *,
    moment: str,
    phase: str,
    respondent: str,
    due_on: datetime.date | None = None,
) -> Measurement:
    """An open measurement on the organisation's current questionnaire version, to be answered now or by link."""
    if moment not in Moment.values or phase not in Phase.values or respondent not in Respondent.values:
        raise ValueError("Unknown moment, phase or respondent.")
    _ensure_in_scope(by, Trajectory, trajectory.pk)
    with transaction.atomic():
        locked = Trajectory.objects.select_for_update().select_related("client").get(pk=trajectory.pk)
        if locked.ended_on is not None and moment != Moment.END:
            raise TrajectoryEndedError
        existing = Measurement.objects.filter(trajectory=locked, moment=moment, status=MeasurementStatus.OPEN).first()
        if existing is not None:
            raise OpenMeasurementExistsError(existing)
        version = current_version(locked.client.organisation_id)
        measurement = Measurement.objects.create(
            trajectory=locked,
            version=version,
            moment=moment,
            phase=phase,
            respondent=respondent,
            due_on=due_on,
            created_by=by,
        )
        record_event(by, Action.CREATE, measurement, client_id=locked.client_id, reason="measurement planned")
    return measurement


def _validated_answers(version: QuestionnaireVersion, answers: Mapping[int, int]) -> tuple[list[Item], dict[int, int]]:
    """Every item of the version answered within its range, nothing else; raises ``InvalidAnswersError``."""
    items = list(version.items.all())
    valid: dict[int, int] = {}
    wrong = []
    for item in items:
        value = answers.get(item.pk)
        if isinstance(value, int) and not isinstance(value, bool) and version.answer_min <= value <= version.answer_max:
            valid[item.pk] = value
        else:
            wrong.append(item.pk)
    wrong += sorted(set(answers) - {item.pk for item in items})
    if wrong:
        raise InvalidAnswersError(wrong)
    return items, valid


def _close_links(measurement: Measurement, now: datetime.datetime) -> int:
    """Unused links of the measurement stop working; their hashes stay, so opening one says "closed"."""
    return MeasurementLink.objects.filter(measurement=measurement, used_at__isnull=True, expires_at__gt=now).update(
        expires_at=now
    )


def _complete(
    measurement: Measurement,
    items: list[Item],
    answers: dict[int, int],
    *,
    taken_on: datetime.date,
    entered_by: Any,
) -> None:
    version = measurement.version
    MeasurementAnswer.objects.bulk_create(
        MeasurementAnswer(measurement=measurement, item_id=item_id, value=value) for item_id, value in answers.items()
    )
    rules = [ItemRule(item.pk, item.scale_id, item.reverse_scored) for item in items]
    scores = scale_scores(rules, answers, low=version.answer_min, high=version.answer_max)
    ScaleScore.objects.bulk_create(
        ScaleScore(measurement=measurement, scale_id=scale_id, score=score) for scale_id, score in scores.items()
    )
    measurement.status = MeasurementStatus.COMPLETED
    measurement.taken_on = taken_on
    measurement.completed_at = timezone.now()
    measurement.entered_by = entered_by
    measurement.save(update_fields=["status", "taken_on", "completed_at", "entered_by"])


def _lock_open(measurement: Measurement) -> Measurement:
    locked = (
        Measurement.objects.select_for_update()
        .select_related("version", "trajectory")
        .filter(pk=measurement.pk)
        .first()
    )
    if locked is None or locked.status != MeasurementStatus.OPEN:
        raise MeasurementClosedError
    return locked


def record_answers(by: Any, measurement: Measurement, answers: Mapping[int, int], *, taken_on: datetime.date) -> None:
    """The professional enters the answers given in a conversation; once only. Open links to it close."""
    if taken_on > timezone.localdate():
        raise ValueError("A measurement cannot be taken in the future.")
    _ensure_in_scope(by, Measurement, measurement.pk)
    with transaction.atomic():
        locked = _lock_open(measurement)
        if taken_on < locked.trajectory.started_on:
            raise ValueError("A measurement cannot be taken before the trajectory started.")
        items, valid = _validated_answers(locked.version, answers)
        _complete(locked, items, valid, taken_on=taken_on, entered_by=by)
        _close_links(locked, timezone.now())
        record_event(
            by, Action.CREATE, locked, client_id=locked.trajectory.client_id, reason="measurement answers entered"
        )
    measurement.refresh_from_db()


def cancel_measurement(by: Any, measurement: Measurement) -> None:
    """An open measurement that will not be answered; its links close."""
    _ensure_in_scope(by, Measurement, measurement.pk)
    with transaction.atomic():
        locked = _lock_open(measurement)
        locked.status = MeasurementStatus.CANCELLED
        locked.save(update_fields=["status"])
        _close_links(locked, timezone.now())
        record_event(by, Action.UPDATE, locked, client_id=locked.trajectory.client_id, reason="measurement cancelled")
    measurement.refresh_from_db()


# The client's personal link ---------------------------------------------------------------------------------------


class LinkClosedError(Exception):
    """The link was used, expired, replaced, or its measurement is no longer open."""


class NotForClientError(Exception):
    """A personal link is for the client's own answers; this measurement is the professional's."""


@dataclass(frozen=True)
class IssuedLink:
    """A fresh link to hand to the client; the raw token exists only in this object, never in the database."""

    link: MeasurementLink
    token: str
    url: str
    expires_at: datetime.datetime


def answer_url(raw_token: str) -> str:
    site = getattr(settings, "KOERS_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
    return site + reverse("measurement:answer", kwargs={"token": raw_token})


def issue_link(by: Any, measurement: Measurement) -> IssuedLink:
    """A new personal link to the open measurement, valid for the policy's number of days; older links close."""
    _ensure_in_scope(by, Measurement, measurement.pk)
    with transaction.atomic():
        locked = _lock_open(measurement)
        if locked.respondent != Respondent.CLIENT:
            raise NotForClientError
        organisation_id = Trajectory.objects.filter(pk=locked.trajectory_id).values_list(
            "client__organisation_id", flat=True
        )[0]
        now = timezone.now()
        expires_at = now + datetime.timedelta(days=policy_of(organisation_id).link_valid_days)
        _close_links(locked, now)
        raw, hashed = new_token()
        link = MeasurementLink.objects.create(
            measurement=locked, token_hash=hashed, expires_at=expires_at, created_by=by
        )
        record_event(by, Action.CREATE, link, client_id=locked.trajectory.client_id, reason="measurement link issued")
    return IssuedLink(link=link, token=raw, url=answer_url(raw), expires_at=expires_at)


def find_link(raw_token: str) -> MeasurementLink | None:
    """The link behind a token, open or not; ``None`` for an unknown (or absurdly long) token."""
    if not raw_token or len(raw_token) > MAX_TOKEN_LENGTH:
        return None
    return (
        MeasurementLink.objects.select_related("measurement__version", "measurement__trajectory")
        .filter(token_hash=hash_token(raw_token))
        .first()
    )


def link_is_open(link: MeasurementLink, now: datetime.datetime | None = None) -> bool:
    """Unused, not expired, its measurement open, and its trajectory still running (only the end measurement is
    answered after the end)."""
    measurement = link.measurement
    return (
        link.used_at is None
        and link.expires_at > (now or timezone.now())
        and measurement.status == MeasurementStatus.OPEN
        and (measurement.trajectory.ended_on is None or measurement.moment == Moment.END)
    )


def _start_of_day(moment: datetime.datetime) -> datetime.datetime:
    """What a link keeps of when it was used: the day, like the evaluation invites."""
    return timezone.localtime(moment).replace(hour=0, minute=0, second=0, microsecond=0)


def submit_by_link(link: MeasurementLink, answers: Mapping[int, int]) -> Measurement:
    """The client's answers through the personal link: stored once, the link closes. A second submit, also one
    racing this one, gets ``LinkClosedError``."""
    with transaction.atomic():
        # Measurement first, then its link: the order every staff action (enter, cancel, new link) takes, so a client
        # submitting while the consultant acts waits instead of deadlocking on PostgreSQL.
        try:
            measurement = _lock_open(link.measurement)
        except MeasurementClosedError as error:
            raise LinkClosedError from error
        if measurement.trajectory.ended_on is not None and measurement.moment != Moment.END:
            raise LinkClosedError
        locked = MeasurementLink.objects.select_for_update().filter(pk=link.pk).first()
        now = timezone.now()
        if locked is None or locked.used_at is not None or locked.expires_at <= now:
            raise LinkClosedError
        items, valid = _validated_answers(measurement.version, answers)
        closed = MeasurementLink.objects.filter(pk=locked.pk, used_at__isnull=True).update(used_at=_start_of_day(now))
        if not closed:  # answered at the same moment in another tab
            raise LinkClosedError
        _complete(measurement, items, valid, taken_on=timezone.localdate(now), entered_by=None)
        _close_links(measurement, now)
        record_event(
            None,
            Action.CREATE,
            measurement,
            client_id=measurement.trajectory.client_id,
            reason="measurement answered through personal link",
        )
    return measurement
