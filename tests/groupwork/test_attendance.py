"""Attendance: the service (upsert, start of the referral, signals for the consultant) and the trainer's phone page."""

import datetime
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from koers.accounts.roles import Role
from koers.audit.models import Action, AuditEvent
from koers.groupwork.attendance_services import AttendanceRefusedError, record_attendance
from koers.groupwork.models import Attendance, ReferralEvent, ReferralStatus
from tests.groupwork.attendance_helpers import add_participant, running_group
from tests.helpers import assert_query_budget

pytestmark = pytest.mark.django_db

NO_CHOICE = "Choose an attendance for at least one participant, or use “Everyone present”."


def _in_page_language(text: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(text)


@pytest.fixture
def trainer(make_user):
    return make_user(Role.TRAINER)


@pytest.fixture
def group(organisation, trainer):
    return running_group(organisation, trainer)


def _url(session, name: str = "groupwork:session_attendance") -> str:
    return reverse(name, kwargs={"pk": session.pk})


# The service -------------------------------------------------------------------------------------------------------


def test_recording_creates_one_row_per_participant_and_marks_the_session_recorded(group, trainer) -> None:
    session = group.sessions[0]
    first, second, third = group.participations
    record_attendance(trainer, session, {first.pk: "present", second.pk: "late", third.pk: "unexcused"})
    rows = dict(Attendance.objects.filter(session=session).values_list("participation_id", "status"))
    assert rows == {first.pk: "present", second.pk: "late", third.pk: "unexcused"}
    session.refresh_from_db()
    assert session.attendance_recorded_at is not None


def test_saving_again_updates_the_rows_instead_of_adding_new_ones(group, trainer) -> None:
    session = group.sessions[0]
    first, second, _third = group.participations
    record_attendance(trainer, session, {first.pk: "present", second.pk: "present"})
    record_attendance(trainer, session, {first.pk: "excused"})
    rows = dict(Attendance.objects.filter(session=session).values_list("participation_id", "status"))
    assert rows == {first.pk: "excused", second.pk: "present"}


def test_first_attendance_starts_a_placed_referral_on_the_session_date(group, trainer) -> None:
    session = group.sessions[1]
    present, late, absent = group.participations
    record_attendance(trainer, session, {present.pk: "present", late.pk: "late", absent.pk: "excused"})
    for participation in (present, late):
        participation.referral.refresh_from_db()
        assert participation.referral.status == ReferralStatus.STARTED
        assert participation.referral.started_on == session.date
        assert ReferralEvent.objects.filter(referral=participation.referral, status="started").count() == 1
    absent.referral.refresh_from_db()
    assert absent.referral.status == ReferralStatus.PLACED
    assert absent.referral.started_on is None


def test_a_started_referral_is_not_started_again(group, trainer) -> None:
    participation = group.participations[0]
    record_attendance(trainer, group.sessions[0], {participation.pk: "present"})
    record_attendance(trainer, group.sessions[1], {participation.pk: "present"})
    participation.referral.refresh_from_db()
    assert participation.referral.started_on == group.sessions[0].date
    assert ReferralEvent.objects.filter(referral=participation.referral, status="started").count() == 1


def test_an_absence_is_an_open_signal_for_the_consultant(group, trainer) -> None:
    participation = group.participations[0]
    record_attendance(trainer, group.sessions[0], {participation.pk: "unexcused"})
    signal = Attendance.objects.get(participation=participation)
    assert signal.status == "unexcused"
    assert signal.acknowledged_at is None
    assert signal.recorded_by == trainer


def test_changing_a_status_clears_the_acknowledgement(group, trainer, make_user) -> None:
    consultant = make_user(Role.CONSULTANT)
    first, second, _third = group.participations
    session = group.sessions[0]
    record_attendance(trainer, session, {first.pk: "excused", second.pk: "excused"})
    Attendance.objects.filter(session=session).update(acknowledged_at=timezone.now(), acknowledged_by=consultant)
    record_attendance(trainer, session, {first.pk: "unexcused", second.pk: "excused"})
    changed = Attendance.objects.get(participation=first)
    unchanged = Attendance.objects.get(participation=second)
    assert (changed.status, changed.acknowledged_at, changed.acknowledged_by) == ("unexcused", None, None)
    assert unchanged.acknowledged_at is not None
    assert unchanged.acknowledged_by == consultant


def test_only_participants_expected_at_the_session_can_be_recorded(group, trainer) -> None:
    session = group.sessions[1]
    later = add_participant(group.run, joined_on=session.date + datetime.timedelta(days=1))
    gone = add_participant(group.run, joined_on=group.run.start_date)
    gone.left_on = session.date - datetime.timedelta(days=1)
    gone.save()
    for outsider in (later, gone):
        with pytest.raises(AttendanceRefusedError):
            record_attendance(trainer, session, {outsider.pk: "present"})
    assert not Attendance.objects.exists()


def test_a_participant_who_leaves_on_the_session_day_is_still_expected(group, trainer) -> None:
    session = group.sessions[1]
    participation = group.participations[0]
    participation.left_on = session.date
    participation.save()
    record_attendance(trainer, session, {participation.pk: "present"})
    assert Attendance.objects.filter(participation=participation).exists()


def test_a_participant_of_another_run_is_refused(group, trainer, organisation) -> None:
    other = running_group(organisation, trainer)
    with pytest.raises(AttendanceRefusedError):
        record_attendance(trainer, group.sessions[0], {other.participations[0].pk: "present"})


def test_future_and_cancelled_sessions_are_refused(group, trainer) -> None:
    participation = group.participations[0]
    future = group.sessions[-1]
    future.date = timezone.localdate() + datetime.timedelta(days=1)
    future.save()
    with pytest.raises(AttendanceRefusedError) as refusal:
        record_attendance(trainer, future, {participation.pk: "present"})
    assert date_format(future.date, "DATE_FORMAT") in str(refusal.value)
    cancelled = group.sessions[0]
    cancelled.is_cancelled = True
    cancelled.save()
    with pytest.raises(AttendanceRefusedError):
        record_attendance(trainer, cancelled, {participation.pk: "present"})
    assert not Attendance.objects.exists()


def test_every_recorded_and_changed_attendance_is_in_the_audit_trail(group, trainer) -> None:
    first, second, _third = group.participations
    session = group.sessions[0]
    record_attendance(trainer, session, {first.pk: "present", second.pk: "present"})
    record_attendance(trainer, session, {first.pk: "present", second.pk: "late"})
    events = AuditEvent.objects.filter(actor=trainer, object_type="groupwork.attendance")
    created = set(events.filter(action=Action.CREATE).values_list("client_id", "reason"))
    changed = set(events.filter(action=Action.UPDATE).values_list("client_id", "reason"))
    assert created == {(first.client_id, "attendance recorded"), (second.client_id, "attendance recorded")}
    assert changed == {(second.client_id, "attendance changed")}


# The page ----------------------------------------------------------------------------------------------------------


def test_page_has_a_fieldset_with_four_choices_per_participant(group, trainer, login) -> None:
    session = group.sessions[0]
    html = login(trainer).get(_url(session)).content.decode()
    assert html.count("data-attendance-person") == 3
    assert html.count("<legend") == 3
    for participation in group.participations:
        assert participation.client.full_name in html
        name = f"p{participation.pk}"
        values = re.findall(rf'type="radio"[^>]*name="{name}"[^>]*value="(\w+)"', html)
        assert values == ["present", "late", "excused", "unexcused"]
    assert "checked" not in html  # nothing recorded yet: nothing preselected


def test_page_shows_group_needs_but_no_bsn(organisation, trainer, login) -> None:
    group = running_group(organisation, trainer, participants=0)
    participation = add_participant(
        group.run, needed_variant="language_support", support_note="Tolk via de telefoon bij de start"
    )
    html = login(trainer).get(_url(group.sessions[0])).content.decode()
    assert "Tolk via de telefoon bij de start" in html
    assert participation.client.bsn not in html
    assert participation.client.bsn[-4:] not in html


def test_recorded_statuses_are_preselected(group, trainer, login) -> None:
    session = group.sessions[0]
    participation = group.participations[0]
    record_attendance(trainer, session, {participation.pk: "excused"})
    html = login(trainer).get(_url(session)).content.decode()
    assert re.search(rf'name="p{participation.pk}"[^>]*value="excused" checked', html)


def test_saving_the_page_records_attendance_and_redirects_back(group, trainer, login) -> None:
    session = group.sessions[-1]
    first, second, third = group.participations
    data = {"action": "save", f"p{first.pk}": "present", f"p{second.pk}": "late", f"p{third.pk}": "unexcused"}
    response = login(trainer).post(_url(session), data)
    assert response.status_code == 302
    assert response["Location"] == _url(session)
    rows = dict(Attendance.objects.filter(session=session).values_list("participation_id", "status"))
    assert rows == {first.pk: "present", second.pk: "late", third.pk: "unexcused"}


def test_everyone_present_fills_the_open_choices_without_saving(group, trainer, login) -> None:
    session = group.sessions[-1]
    first, second, third = group.participations
    record_attendance(trainer, session, {third.pk: "excused"})
    response = login(trainer).post(_url(session), {"action": "everyone_present", f"p{first.pk}": "late"})
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(rf'name="p{first.pk}"[^>]*value="late" checked', html)
    assert re.search(rf'name="p{second.pk}"[^>]*value="present" checked', html)
    assert not re.search(rf'name="p{third.pk}"[^>]*value="present" checked', html)
    assert Attendance.objects.filter(session=session).count() == 1  # nothing saved yet


def test_saving_with_no_choice_at_all_asks_for_one(group, trainer, login) -> None:
    response = login(trainer).post(_url(group.sessions[0]), {"action": "save"})
    assert response.status_code == 200
    assert _in_page_language(NO_CHOICE) in response.content.decode()
    assert not Attendance.objects.exists()


def test_a_mandatory_programme_says_that_absence_is_signalled(organisation, trainer, login) -> None:
    group = running_group(organisation, trainer, is_mandatory=True)
    html = login(trainer).get(_url(group.sessions[0])).content.decode()
    assert 'data-testid="mandatory-note"' in html
    voluntary = running_group(organisation, trainer)
    assert 'data-testid="mandatory-note"' not in login(trainer).get(_url(voluntary.sessions[0])).content.decode()


def test_a_future_session_shows_who_is_expected_without_a_form(group, trainer, login) -> None:
    session = group.sessions[-1]
    session.date = timezone.localdate() + datetime.timedelta(days=3)
    session.save()
    http = login(trainer)
    html = http.get(_url(session)).content.decode()
    assert 'data-testid="cannot-record"' in html
    assert 'data-testid="attendance-form"' not in html
    assert group.participations[0].client.full_name in html
    http.post(_url(session), {"action": "save", f"p{group.participations[0].pk}": "present"})
    assert not Attendance.objects.exists()


def test_another_trainer_gets_404_on_the_page_and_the_post(group, make_user, login) -> None:
    other = login(make_user(Role.TRAINER))
    session = group.sessions[0]
    assert other.get(_url(session)).status_code == 404
    response = other.post(_url(session), {"action": "save", f"p{group.participations[0].pk}": "present"})
    assert response.status_code == 404
    assert not Attendance.objects.exists()


def test_a_planner_may_record(group, make_user, login) -> None:
    planner = make_user(Role.PLANNER)
    session = group.sessions[0]
    participation = group.participations[0]
    response = login(planner).post(_url(session), {"action": "save", f"p{participation.pk}": "present"})
    assert response.status_code == 302
    assert Attendance.objects.get(participation=participation).recorded_by == planner


def test_a_consultant_is_refused(group, make_user, login) -> None:
    consultant = login(make_user(Role.CONSULTANT))
    assert consultant.get(_url(group.sessions[0])).status_code == 403
    assert consultant.post(_url(group.sessions[0]), {"action": "save"}).status_code == 403


def test_page_reads_are_audited_per_participant(group, trainer, login) -> None:
    login(trainer).get(_url(group.sessions[0]))
    read = AuditEvent.objects.filter(actor=trainer, action=Action.READ, reason="session attendance")
    assert set(read.values_list("client_id", flat=True)) == {p.client_id for p in group.participations}


def test_page_query_budget(group, trainer, login) -> None:
    session = group.sessions[0]
    record_attendance(trainer, session, {group.participations[0].pk: "present"})
    assert_query_budget(
        login(trainer), _url(session), budget=12, grow=lambda: group.add_participants(5, needed_variant="small_group")
    )


def _post_queries(http, session, participations) -> int:
    data = {"action": "save", **{f"p{p.pk}": "present" for p in participations}}
    with CaptureQueriesContext(connection) as queries:
        response = http.post(_url(session), data)
    assert response.status_code == 302
    return len(queries)


def test_saving_fifteen_participants_takes_a_fixed_number_of_queries(organisation, trainer, login) -> None:
    """Rows, audit events and the session are written in bulk; only a referral's start costs per participant."""
    small = running_group(organisation, trainer, participants=5)
    large = running_group(organisation, trainer, participants=15)
    for group in (small, large):
        record_attendance(trainer, group.sessions[0], {p.pk: "present" for p in group.participations})
    http = login(trainer)
    assert _post_queries(http, small.sessions[1], small.participations) == _post_queries(
        http, large.sessions[1], large.participations
    )
