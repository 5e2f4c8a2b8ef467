"""Writes of effect measurement: publishing versions, planning and answering measurements, the personal link."""

import datetime
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from koers.accounts.roles import Role
from koers.audit.models import Action, AuditEvent
from koers.measurement import services
from koers.measurement.models import (
    Measurement,
    MeasurementAnswer,
    MeasurementLink,
    MeasurementPolicy,
    MeasurementStatus,
    Moment,
    Phase,
    Respondent,
    ScaleScore,
    VersionStatus,
)
from tests.measurement_factories import (
    ItemFactory,
    QuestionnaireFactory,
    QuestionnaireVersionFactory,
    ScaleFactory,
    completed_measurement,
    small_questionnaire,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _english_messages() -> Iterator[None]:
    """The messages below are compared in English; Dutch is the default language."""
    with translation.override("en"):
        yield


def _open(consultant, trajectory, **kwargs) -> Measurement:
    values = {"moment": Moment.START, "phase": Phase.BASELINE, "respondent": Respondent.CLIENT, **kwargs}
    return services.create_measurement(consultant, trajectory, **values)


def _answers(version, value: int = 4) -> dict[int, int]:
    return {item.pk: value for item in version.items.all()}


# Publishing versions --------------------------------------------------------------------------------------------


def _draft(questionnaire=None, number: int = 2, **kwargs):
    return QuestionnaireVersionFactory(
        questionnaire=questionnaire or QuestionnaireFactory(),
        number=number,
        status=VersionStatus.DRAFT,
        published_at=None,
        **kwargs,
    )


def test_publishing_a_complete_draft_retires_the_published_version(version, consultant) -> None:
    draft = services.new_draft_from(consultant, version)
    services.publish_version(consultant, draft)
    draft.refresh_from_db()
    version.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED
    assert draft.published_at is not None
    assert version.status == VersionStatus.RETIRED
    assert AuditEvent.objects.filter(reason="questionnaire version published", object_id=str(draft.pk)).exists()


def test_a_version_without_scales_is_not_published(consultant) -> None:
    draft = _draft()
    with pytest.raises(services.PublishError) as error:
        services.publish_version(consultant, draft)
    assert "A version needs at least one scale." in error.value.problems
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_a_scale_without_items_is_not_published(consultant) -> None:
    draft = _draft()
    ScaleFactory(version=draft, name="Lege schaal")
    with pytest.raises(services.PublishError) as error:
        services.publish_version(consultant, draft)
    assert error.value.problems == ["Scale “Lege schaal” has no items."]


def test_labels_must_match_the_answer_range(consultant) -> None:
    draft = _draft(answer_labels=["Nee", "Ja"])
    ItemFactory(version=draft, scale=ScaleFactory(version=draft))
    with pytest.raises(services.PublishError) as error:
        services.publish_version(consultant, draft)
    assert "exactly one label for each of these 5 values" in error.value.problems[0]


def test_a_published_version_is_not_published_again(version, consultant) -> None:
    with pytest.raises(services.VersionNotDraftError):
        services.publish_version(consultant, version)
    with pytest.raises(services.VersionNotDraftError):
        services.ensure_draft(version)


def test_a_new_draft_copies_scales_and_items(version, consultant) -> None:
    draft = services.new_draft_from(consultant, version)
    assert (draft.number, draft.status) == (2, VersionStatus.DRAFT)
    assert draft.answer_labels == version.answer_labels
    assert list(draft.scales.values_list("code", "reliability")) == list(
        version.scales.values_list("code", "reliability")
    )
    copied = list(draft.items.values_list("position", "text", "reverse_scored", "scale__code"))
    assert copied == list(version.items.values_list("position", "text", "reverse_scored", "scale__code"))
    assert not draft.items.exclude(scale__version=draft).exists()
    services.ensure_draft(draft)


def test_only_one_draft_at_a_time(version, consultant) -> None:
    draft = services.new_draft_from(consultant, version)
    with pytest.raises(services.DraftExistsError) as error:
        services.new_draft_from(consultant, version)
    assert error.value.draft == draft


def test_publishing_a_new_version_leaves_old_answers_alone(version, consultant, trajectory) -> None:
    measurement = completed_measurement(trajectory, version, answers=5)
    draft = services.new_draft_from(consultant, version)
    draft.items.update(text="Nieuwe tekst")
    services.publish_version(consultant, draft)
    assert {answer.item.text for answer in measurement.answers.select_related("item")} != {"Nieuwe tekst"}
    assert measurement.answers.filter(item__version=version).count() == 3


# Measurements -----------------------------------------------------------------------------------------------------


def test_a_measurement_uses_the_current_published_version(version, consultant, trajectory) -> None:
    measurement = _open(consultant, trajectory, due_on=TODAY)
    assert measurement.version == version
    assert measurement.status == MeasurementStatus.OPEN
    assert measurement.created_by == consultant
    assert AuditEvent.objects.filter(
        action=Action.CREATE, reason="measurement planned", client_id=trajectory.client_id
    ).exists()


def test_without_a_questionnaire_there_is_a_clear_error(consultant, trajectory) -> None:
    with pytest.raises(services.NoQuestionnaireError) as error:
        _open(consultant, trajectory)
    assert "measurement questionnaire" in str(error.value)
    MeasurementPolicy.objects.create(organisation=trajectory.client.organisation)
    with pytest.raises(services.NoQuestionnaireError):
        _open(consultant, trajectory)


def test_a_questionnaire_without_published_version_is_refused(consultant, trajectory, organisation) -> None:
    draft = _draft(QuestionnaireFactory(organisation=organisation), number=1)
    MeasurementPolicy.objects.create(organisation=organisation, questionnaire=draft.questionnaire)
    with pytest.raises(services.NoQuestionnaireError):
        _open(consultant, trajectory)


def test_one_open_measurement_per_moment(version, consultant, trajectory) -> None:
    first = _open(consultant, trajectory)
    with pytest.raises(services.OpenMeasurementExistsError) as error:
        _open(consultant, trajectory)
    assert error.value.measurement == first


def test_an_ended_trajectory_takes_only_the_end_measurement(version, consultant, trajectory) -> None:
    trajectory.ended_on = TODAY
    trajectory.save()
    with pytest.raises(services.TrajectoryEndedError):
        _open(consultant, trajectory, moment=Moment.INTERIM)
    assert _open(consultant, trajectory, moment=Moment.END).moment == Moment.END


def test_another_consultant_cannot_plan_or_answer(version, consultant, trajectory, make_user) -> None:
    colleague = make_user(Role.CONSULTANT)
    with pytest.raises(PermissionDenied):
        _open(colleague, trajectory)
    measurement = _open(consultant, trajectory)
    with pytest.raises(PermissionDenied):
        services.record_answers(colleague, measurement, _answers(version), taken_on=TODAY)


def test_recorded_answers_are_scored_and_complete_the_measurement(version, consultant, trajectory) -> None:
    measurement = _open(consultant, trajectory)
    items = {item.position: item for item in version.items.all()}
    answers = {items[1].pk: 5, items[2].pk: 2, items[3].pk: 3}
    services.record_answers(consultant, measurement, answers, taken_on=TODAY - datetime.timedelta(days=3))
    measurement.refresh_from_db()
    assert measurement.status == MeasurementStatus.COMPLETED
    assert measurement.taken_on == TODAY - datetime.timedelta(days=3)
    # When the answers were stored, not the (earlier) day they were given: group effects count only what is in time.
    assert measurement.completed_at is not None
    assert timezone.localdate(measurement.completed_at) == timezone.localdate()
    assert measurement.entered_by == consultant
    assert dict(MeasurementAnswer.objects.values_list("item_id", "value")) == answers
    scores = {s.scale.code: s.score for s in ScaleScore.objects.select_related("scale")}
    # Item 2 is reverse-scored: 2 counts as 1 + 5 − 2 = 4; efficacy = (5 + 4) / 2.
    assert scores == {"eigen-effectiviteit": Decimal("4.500"), "huisvesting": Decimal("3.000")}
    assert AuditEvent.objects.filter(reason="measurement answers entered", client_id=trajectory.client_id).exists()


@pytest.mark.parametrize("value", [0, 6, None])
def test_every_item_needs_an_answer_in_range(version, consultant, trajectory, value) -> None:
    measurement = _open(consultant, trajectory)
    answers = _answers(version)
    answers[version.items.first().pk] = value
    with pytest.raises(services.InvalidAnswersError):
        services.record_answers(consultant, measurement, answers, taken_on=TODAY)
    assert not MeasurementAnswer.objects.exists()
    measurement.refresh_from_db()
    assert measurement.status == MeasurementStatus.OPEN


def test_an_item_of_another_version_is_refused(version, consultant, trajectory) -> None:
    measurement = _open(consultant, trajectory)
    stranger = small_questionnaire().items.first()
    with pytest.raises(services.InvalidAnswersError):
        services.record_answers(consultant, measurement, {**_answers(version), stranger.pk: 3}, taken_on=TODAY)


def test_a_completed_measurement_is_not_answered_again(version, consultant, trajectory) -> None:
    measurement = _open(consultant, trajectory)
    services.record_answers(consultant, measurement, _answers(version), taken_on=TODAY)
    with pytest.raises(services.MeasurementClosedError):
        services.record_answers(consultant, measurement, _answers(version, 1), taken_on=TODAY)
    assert set(MeasurementAnswer.objects.values_list("value", flat=True)) == {4}


def test_a_measurement_is_not_taken_in_the_future(version, consultant, trajectory) -> None:
    measurement = _open(consultant, trajectory)
    with pytest.raises(ValueError, match="future"):
        services.record_answers(consultant, measurement, _answers(version), taken_on=TODAY + datetime.timedelta(days=1))


def test_an_open_measurement_can_be_cancelled_once(version, consultant, trajectory) -> None:
    measurement = _open(consultant, trajectory)
    services.cancel_measurement(consultant, measurement)
    assert measurement.status == MeasurementStatus.CANCELLED
    with pytest.raises(services.MeasurementClosedError):
        services.cancel_measurement(consultant, measurement)
    assert AuditEvent.objects.filter(reason="measurement cancelled").count() == 1


# The personal link ------------------------------------------------------------------------------------------------


def test_the_raw_token_is_never_stored(version, consultant, trajectory) -> None:
    measurement = _open(consultant, trajectory)
    issued = services.issue_link(consultant, measurement)
    link = MeasurementLink.objects.get()
    assert link.token_hash is not None
    assert issued.token not in link.token_hash
    assert link.token_hash == services.hash_token(issued.token)
    assert issued.url.endswith(f"/m/{issued.token}/")
    stored = [str(value) for value in MeasurementLink.objects.values_list().get()]
    assert not any(issued.token in value for value in stored)
    assert not AuditEvent.objects.filter(reason__contains=issued.token).exists()
    assert services.find_link(issued.token) == link


def test_the_link_expires_after_the_policy_days(version, consultant, trajectory) -> None:
    MeasurementPolicy.objects.filter(organisation=trajectory.client.organisation).update(link_valid_days=3)
    measurement = _open(consultant, trajectory)
    before = timezone.now()
    issued = services.issue_link(consultant, measurement)
    after = timezone.now()
    assert before + datetime.timedelta(days=3) <= issued.expires_at <= after + datetime.timedelta(days=3)
    assert AuditEvent.objects.filter(reason="measurement link issued", client_id=trajectory.client_id).exists()


def test_a_new_link_closes_the_old_one(version, consultant, trajectory) -> None:
    measurement = _open(consultant, trajectory)
    old = services.issue_link(consultant, measurement)
    new = services.issue_link(consultant, measurement)
    old_link, new_link = services.find_link(old.token), services.find_link(new.token)
    assert old_link is not None
    assert new_link is not None
    assert not services.link_is_open(old_link)
    assert services.link_is_open(new_link)


def test_no_link_for_a_professionals_measurement(version, consultant, trajectory) -> None:
    measurement = _open(consultant, trajectory, respondent=Respondent.PROFESSIONAL)
    with pytest.raises(services.NotForClientError):
        services.issue_link(consultant, measurement)


def test_an_unknown_or_overlong_token_finds_nothing(version) -> None:
    assert services.find_link("x" * 43) is None
    assert services.find_link("") is None
    assert services.find_link("y" * 500) is None


def test_the_client_answers_through_the_link_once(version, consultant, trajectory) -> None:
    measurement = _open(consultant, trajectory)
    link = services.find_link(services.issue_link(consultant, measurement).token)
    assert link is not None
    services.submit_by_link(link, _answers(version, 5))
    measurement.refresh_from_db()
    link.refresh_from_db()
    assert measurement.status == MeasurementStatus.COMPLETED
    assert measurement.entered_by is None
    assert measurement.taken_on == TODAY
    assert ScaleScore.objects.filter(measurement=measurement).count() == 2
    assert link.used_at is not None
    local = timezone.localtime(link.used_at)
    assert (local.hour, local.minute, local.second) == (0, 0, 0)
    event = AuditEvent.objects.get(reason="measurement answered through personal link")
    assert event.client_id == trajectory.client_id
    assert event.actor is None


def test_a_second_submit_of_the_same_link_is_refused(version, consultant, trajectory) -> None:
    """Two tabs (or two requests at once) hold the same open link; the second finds it closed under the lock."""
    measurement = _open(consultant, trajectory)
    token = services.issue_link(consultant, measurement).token
    first, second = services.find_link(token), services.find_link(token)
    assert first is not None
    assert second is not None
    services.submit_by_link(first, _answers(version, 2))
    with pytest.raises(services.LinkClosedError):
        services.submit_by_link(second, _answers(version, 5))
    assert set(MeasurementAnswer.objects.values_list("value", flat=True)) == {2}


def test_an_expired_link_is_refused(version, consultant, trajectory) -> None:
    measurement = _open(consultant, trajectory)
    link = services.find_link(services.issue_link(consultant, measurement).token)
    assert link is not None
    MeasurementLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    with pytest.raises(services.LinkClosedError):
        services.submit_by_link(link, _answers(version))


def test_the_link_closes_when_the_consultant_enters_the_answers(version, consultant, trajectory) -> None:
    measurement = _open(consultant, trajectory)
    link = services.find_link(services.issue_link(consultant, measurement).token)
    assert link is not None
    services.record_answers(consultant, measurement, _answers(version), taken_on=TODAY)
    with pytest.raises(services.LinkClosedError):
        services.submit_by_link(link, _answers(version))
    link.refresh_from_db()
    assert link.used_at is None
    assert link.expires_at <= timezone.now()


def test_incomplete_answers_by_link_leave_the_link_open(version, consultant, trajectory) -> None:
    measurement = _open(consultant, trajectory)
    link = services.find_link(services.issue_link(consultant, measurement).token)
    assert link is not None
    with pytest.raises(services.InvalidAnswersError):
        services.submit_by_link(link, {})
    link.refresh_from_db()
    assert services.link_is_open(link)
