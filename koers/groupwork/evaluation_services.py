"""The evaluation of a group run: personal links for participants, invites for trainers and consultants, answers.

A participant's link holds a random token; only its SHA-256 is stored, so a copy of the database opens no
questionnaire and a printed link can never be printed again (printing anew issues new links and closes the old
unused ones). Answers are stored apart from the person: the response knows the questionnaire, the run and the
perspective, never the invite. The invite and the response carry only the day of answering, not the moment, so
the two cannot be matched by time.
"""

import datetime
import hashlib
import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from koers.access.scoping import scope
from koers.audit.models import Action
from koers.audit.services import record_event
from koers.groupwork.access import current_runs
from koers.groupwork.models import (
    Answer,
    EvaluationInvite,
    EvaluationResponse,
    GroupRun,
    Participation,
    Perspective,
    QuestionKind,
    Questionnaire,
)

logger = logging.getLogger(__name__)

TOKEN_BYTES = 32
# token_urlsafe(32) gives 43 characters; anything much longer is not a token of ours and is not hashed.
MAX_TOKEN_LENGTH = 100
MAX_OPEN_ANSWER = 2000


class NoQuestionnaireError(Exception):
    """The programme's evaluation plan has no questionnaire yet: there is nothing to invite anyone to."""


class InviteClosedError(Exception):
    """The invite was used or has expired."""


class RunNoLongerOpenError(Exception):
    """The run was cancelled or started longer ago than the relation window: it no longer opens its participants,
    so no links (whose printout names them) are issued."""


class IncompleteAnswersError(ValueError):
    """Not every scale question has an answer from 1 to 5."""

    def __init__(self, question_ids: list[int]) -> None:
        super().__init__(f"Scale questions without a valid answer: {question_ids}")
        self.question_ids = question_ids


@dataclass(frozen=True)
class PrintedLink:
    """A participant's link to hand over on paper; the raw token exists only in this object, never in the database."""

    participation: Participation
    url: str
    expires_at: datetime.datetime


@dataclass
class EvaluationStart:
    """What ``start_evaluation`` did: e-mails sent, links to print now, staff invited."""

    emailed: int = 0
    email_failed: int = 0
    printed: list[PrintedLink] = field(default_factory=list)
    staff_invited: int = 0
    replaced: int = 0


def hash_token(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


def new_token() -> tuple[str, str]:
    """A fresh random token and its hash: the first goes into the link, only the second into the database."""
    raw = secrets.token_urlsafe(TOKEN_BYTES)
    return raw, hash_token(raw)


def answer_url(raw_token: str) -> str:
    site = getattr(settings, "KOERS_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
    return site + reverse("groupwork:evaluation_answer", kwargs={"token": raw_token})


def find_invite(raw_token: str) -> EvaluationInvite | None:
    """The participant's invite behind a link, open or not; ``None`` for an unknown token.

    The lookup is by the hash of the token, so the stored value an attacker could time is never the token itself.
    """
    if not raw_token or len(raw_token) > MAX_TOKEN_LENGTH:
        return None
    return (
        EvaluationInvite.objects.select_related("questionnaire__programme")
        .filter(token_hash=hash_token(raw_token), participation__isnull=False)
        .first()
    )


def is_open(invite: EvaluationInvite, now: datetime.datetime | None = None) -> bool:
    return invite.used_at is None and invite.expires_at > (now or timezone.now())


def _start_of_day(moment: datetime.datetime) -> datetime.datetime:
    """The day of ``moment`` at midnight (local time): what invites and responses keep of when someone answered."""
    local = timezone.localtime(moment)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def _may_start(by: Any, run: GroupRun) -> bool:
    """The planner of the organisation or a trainer of the run (the run's own access rules decide)."""
    return scope(GroupRun.objects.filter(pk=run.pk), by).exists()


def opens_participants(run: GroupRun) -> bool:
    """Whether the run still opens its participants to its trainers and planners (``access.current_runs``)."""
    return current_runs().filter(pk=run.pk).exists()


def _email(participation: Participation, run: GroupRun, url: str, expires_at: datetime.datetime) -> EmailMessage:
    """The participant's e-mail in plain words (B1), in the organisation's language."""
    with translation.override(settings.LANGUAGE_CODE):
        programme = run.programme.name
        subject = _("What did you think of %(programme)s?") % {"programme": programme}
        body = _(
            "Hello,\n\n"
            "You took part in %(programme)s. We would like to know what you thought of it. "
            "Your answers help us to make the training better.\n\n"
            "Answering the questions takes about 5 minutes. "
            "We do not put your name with your answers.\n\n"
            "Click on this link to answer the questions:\n%(url)s\n\n"
            "The link is only for you. You can use it once, until %(date)s.\n\n"
            "Kind regards,\n%(organisation)s"
        ) % {
            "programme": programme,
            "url": url,
            "date": date_format(timezone.localtime(expires_at), "j F Y"),
            "organisation": run.programme.organisation.name,
        }
    return EmailMessage(subject, body, to=[participation.client.email])


def _send_after_commit(messages: list[EmailMessage], result: EvaluationStart) -> None:
    """Mail goes out only once the invites are stored; a failure is counted, the links stay valid."""

    def send() -> None:
        try:
            sent = get_connection().send_messages(messages) or 0
        except Exception:
            logger.exception("Sending %d evaluation e-mails failed", len(messages))
            sent = 0
        result.emailed = sent
        result.email_failed = len(messages) - sent

    if messages:
        transaction.on_commit(send)


def start_evaluation(by: Any, run: GroupRun, days_valid: int = 21) -> EvaluationStart:
    """Invites everyone of the run to the programme's questionnaires.

    Participants get a fresh link each time this runs, unless they already answered: by e-mail when they have an
    address, otherwise in the result for printing right away; their earlier unused links stop working. Trainers of
    the run and the participants' consultants get an invite that they answer logged in; an open or used invite of
    theirs is not duplicated.
    """
    if not _may_start(by, run):
        raise PermissionDenied
    if not opens_participants(run):
        raise RunNoLongerOpenError
    if days_valid < 1:
        raise ValueError("A link must be valid for at least one day.")
    questionnaires = {q.perspective: q for q in Questionnaire.objects.filter(programme_id=run.programme_id)}
    if not questionnaires:
        raise NoQuestionnaireError
    now = timezone.now()
    expires_at = now + datetime.timedelta(days=days_valid)
    result = EvaluationStart()
    with transaction.atomic():
        run = GroupRun.objects.select_for_update().select_related("programme__organisation").get(pk=run.pk)
        participant_questionnaire = questionnaires.get(Perspective.PARTICIPANT)
        if participant_questionnaire is not None:
            _invite_participants(by, run, participant_questionnaire, now, expires_at, result)
        result.staff_invited = _invite_staff(run, questionnaires, now, expires_at)
        record_event(by, Action.CREATE, run, reason="evaluation started")
    return result


def _invite_participants(
    by: Any,
    run: GroupRun,
    questionnaire: Questionnaire,
    now: datetime.datetime,
    expires_at: datetime.datetime,
    result: EvaluationStart,
) -> None:
    invites = EvaluationInvite.objects.filter(group_run=run, questionnaire=questionnaire, participation__isnull=False)
    answered = set(invites.filter(used_at__isnull=False).values_list("participation_id", flat=True))
    result.replaced = invites.filter(used_at__isnull=True, expires_at__gt=now).update(expires_at=now, token_hash=None)
    participations = [
        p
        for p in run.participations.select_related("client").order_by("client__last_name", "client__first_name", "pk")
        if p.pk not in answered
    ]
    new_invites, messages = [], []
    for participation in participations:
        raw, hashed = new_token()
        invite = EvaluationInvite(
            questionnaire=questionnaire,
            group_run=run,
            participation=participation,
            token_hash=hashed,
            expires_at=expires_at,
        )
        new_invites.append(invite)
        url = answer_url(raw)
        if participation.client.email:
            messages.append(_email(participation, run, url, expires_at))
        else:
            result.printed.append(PrintedLink(participation, url, expires_at))
    EvaluationInvite.objects.bulk_create(new_invites)
    for invite in new_invites:
        assert invite.participation is not None
        reason = "evaluation link e-mailed" if invite.participation.client.email else "evaluation link printed"
        record_event(by, Action.CREATE, invite, client_id=invite.participation.client_id, reason=reason)
    _send_after_commit(messages, result)


def _invite_staff(
    run: GroupRun, questionnaires: dict[str, Questionnaire], now: datetime.datetime, expires_at: datetime.datetime
) -> int:
    wanted: list[tuple[Questionnaire, int]] = []
    trainer_questionnaire = questionnaires.get(Perspective.TRAINER)
    if trainer_questionnaire is not None:
        wanted += [(trainer_questionnaire, pk) for pk in run.trainers.values_list("pk", flat=True)]
    consultant_questionnaire = questionnaires.get(Perspective.CONSULTANT)
    if consultant_questionnaire is not None:
        consultants = (
            run.participations.filter(client__consultant__isnull=False)
            .values_list("client__consultant_id", flat=True)
            .distinct()
        )
        wanted += [(consultant_questionnaire, pk) for pk in consultants]
    existing = set(
        EvaluationInvite.objects.filter(group_run=run, respondent__isnull=False)
        .filter(Q(used_at__isnull=False) | Q(expires_at__gt=now))
        .values_list("questionnaire_id", "respondent_id")
    )
    new_invites = [
        EvaluationInvite(questionnaire=q, group_run=run, respondent_id=user_id, expires_at=expires_at)
        for q, user_id in dict.fromkeys(wanted)
        if (q.pk, user_id) not in existing
    ]
    EvaluationInvite.objects.bulk_create(new_invites)
    return len(new_invites)


def _score(value: object) -> int | None:
    """A valid scale answer, or ``None``."""
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5:
        return value
    return None


def submit_answers(invite: EvaluationInvite, answers: Mapping[int, int | str | None]) -> EvaluationResponse:
    """Stores one questionnaire's answers, apart from the person, and closes the invite; once only.

    ``answers`` maps question ids to a score (scale questions, 1 to 5, all required) or a text (open questions,
    optional).
    """
    with transaction.atomic():
        locked = (
            EvaluationInvite.objects.select_for_update().select_related("questionnaire").filter(pk=invite.pk).first()
        )
        now = timezone.now()
        if locked is None or not is_open(locked, now):
            raise InviteClosedError
        questionnaire = locked.questionnaire
        questions = list(questionnaire.questions.all())
        missing = [q.pk for q in questions if q.kind == QuestionKind.SCALE and _score(answers.get(q.pk)) is None]
        if missing:
            raise IncompleteAnswersError(missing)
        day = _start_of_day(now)
        closed = EvaluationInvite.objects.filter(pk=locked.pk, used_at__isnull=True).update(used_at=day)
        if not closed:  # answered at the same moment in another tab
            raise InviteClosedError
        response = EvaluationResponse.objects.create(
            questionnaire=questionnaire,
            group_run_id=locked.group_run_id,
            perspective=questionnaire.perspective,
            submitted_at=day,
        )
        rows = []
        for question in questions:
            value = answers.get(question.pk)
            if question.kind == QuestionKind.SCALE:
                rows.append(Answer(response=response, question=question, score=_score(value)))
            elif isinstance(value, str) and value.strip():
                rows.append(Answer(response=response, question=question, text=value.strip()[:MAX_OPEN_ANSWER]))
        Answer.objects.bulk_create(rows)
    return response
