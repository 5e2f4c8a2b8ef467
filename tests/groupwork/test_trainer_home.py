"""The trainer's own view: own runs, this week's sessions, and per participant only name, group needs, attendance."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from koers.accounts.roles import Role
from koers.audit.models import Action, AuditEvent
from koers.clients.models import FlagKind
from koers.groupwork.attendance_selectors import run_participant_rows
from koers.groupwork.attendance_services import record_attendance
from koers.groupwork.models import Participation
from tests import factories
from tests import groupwork_factories as gw
from tests.groupwork.attendance_helpers import add_participant, running_group
from tests.helpers import assert_query_budget

pytestmark = pytest.mark.django_db

URL = reverse("groupwork:trainer_home")


@pytest.fixture
def trainer(make_user):
    return make_user(Role.TRAINER)


@pytest.fixture
def group(organisation, trainer):
    return running_group(organisation, trainer)


def _by_participation(rows):
    return {row.participation.pk: row.figures for row in rows}


# Attendance indicators -----------------------------------------------------------------------------------------------


def test_indicators_count_held_sessions_attendance_and_absences_at_the_end(group, trainer) -> None:
    steady, fading, newcomer = group.participations
    first, second, third = group.sessions
    newcomer.joined_on = second.date
    newcomer.save()
    record_attendance(trainer, first, {steady.pk: "present", fading.pk: "present"})
    record_attendance(trainer, second, {steady.pk: "late", fading.pk: "excused", newcomer.pk: "unexcused"})
    record_attendance(trainer, third, {steady.pk: "present", fading.pk: "unexcused", newcomer.pk: "present"})
    figures = _by_participation(run_participant_rows(group.run, trainer))

    assert (figures[steady.pk].attended, figures[steady.pk].held, figures[steady.pk].rate) == (3, 3, 100)
    assert figures[steady.pk].consecutive_absences == 0
    assert figures[steady.pk].last_attended_on == third.date

    assert (figures[fading.pk].attended, figures[fading.pk].held, figures[fading.pk].rate) == (1, 3, 33)
    assert figures[fading.pk].consecutive_absences == 2
    assert figures[fading.pk].needs_attention
    assert figures[fading.pk].last_attended_on == first.date

    assert (figures[newcomer.pk].attended, figures[newcomer.pk].held) == (1, 2)  # joined at the second session
    assert figures[newcomer.pk].consecutive_absences == 0


def test_a_participant_who_never_came_has_all_absences_in_a_row(group, trainer) -> None:
    absent = group.participations[0]
    for session in group.sessions[:2]:
        record_attendance(trainer, session, {absent.pk: "unexcused"})
    figures = _by_participation(run_participant_rows(group.run, trainer))[absent.pk]
    assert (figures.attended, figures.held, figures.rate, figures.last_attended_on) == (0, 2, 0, None)
    assert figures.consecutive_absences == 2


def test_unrecorded_and_cancelled_sessions_do_not_count(group, trainer) -> None:
    participation = group.participations[0]
    first, second, _third = group.sessions
    record_attendance(trainer, first, {participation.pk: "present"})
    record_attendance(trainer, second, {participation.pk: "unexcused"})
    second.is_cancelled = True
    second.save()
    figures = _by_participation(run_participant_rows(group.run, trainer))[participation.pk]
    assert (figures.attended, figures.held, figures.consecutive_absences) == (1, 1, 0)
    untouched = _by_participation(run_participant_rows(group.run, trainer))[group.participations[1].pk]
    assert (untouched.held, untouched.rate) == (1, 0)  # a held session without a choice for them counts as missed


def test_before_any_held_session_there_is_no_rate(group, trainer) -> None:
    figures = _by_participation(run_participant_rows(group.run, trainer))[group.participations[0].pk]
    assert (figures.held, figures.rate, figures.needs_attention) == (0, None, False)


# The page ----------------------------------------------------------------------------------------------------------


def test_shows_own_runs_and_their_participants_only(group, trainer, organisation, make_user, login) -> None:
    colleague = make_user(Role.TRAINER)
    other = running_group(organisation, colleague)
    html = login(trainer).get(URL).content.decode()
    for participation in group.participations:
        assert participation.client.full_name in html
    for participation in other.participations:
        assert participation.client.full_name not in html
    assert f'data-run="{group.run.pk}"' in html
    assert f'data-run="{other.run.pk}"' not in html


def test_runs_that_ended_long_ago_or_were_cancelled_are_not_current(organisation, trainer, login) -> None:
    old = running_group(organisation, trainer, participants=1)
    old.run.start_date = timezone.localdate() - datetime.timedelta(days=400)
    old.run.save()
    cancelled = running_group(organisation, trainer, participants=1)
    cancelled.run.status = "cancelled"
    cancelled.run.save()
    html = login(trainer).get(URL).content.decode()
    assert 'data-testid="no-runs"' in html
    assert old.participations[0].client.full_name not in html
    assert cancelled.participations[0].client.full_name not in html


def test_a_participant_who_left_is_no_longer_listed(group, trainer, login) -> None:
    gone = group.participations[0]
    Participation.objects.filter(pk=gone.pk).update(left_on=timezone.localdate() - datetime.timedelta(days=1))
    html = login(trainer).get(URL).content.decode()
    assert gone.client.full_name not in html
    assert group.participations[1].client.full_name in html


def test_shows_group_needs_but_no_bsn_contact_or_special_category_flags(organisation, trainer, login) -> None:
    group = running_group(organisation, trainer, participants=0)
    participation = add_participant(group.run, needed_variant="small_group", support_note="Coach belt na elke sessie")
    client = participation.client
    factories.ScreeningFlagFactory(client=client, kind="psychological_condition", note="Angststoornis, in behandeling")
    factories.ScreeningFlagFactory(client=client, kind="active_addiction", note="Alcohol")
    html = login(trainer).get(URL).content.decode()
    assert client.full_name in html
    assert "Coach belt na elke sessie" in html
    for secret in (client.bsn, client.bsn[-4:], client.email, client.phone, "Angststoornis", "Alcohol"):
        assert secret not in html
    with translation.override(settings.LANGUAGE_CODE):
        for kind in (FlagKind.PSYCHOLOGICAL_CONDITION, FlagKind.ACTIVE_ADDICTION):
            assert str(kind.label) not in html
    assert participation.referral.added_value not in html


def test_this_weeks_sessions_link_to_attendance_log_and_list(group, trainer, login) -> None:
    today_session = group.sessions[-1]
    record_attendance(trainer, today_session, {group.participations[0].pk: "present"})
    html = login(trainer).get(URL).content.decode()
    for name in ("groupwork:session_attendance", "groupwork:session_log", "groupwork:session_attendance_pdf"):
        assert reverse(name, kwargs={"pk": today_session.pk}) in html
    assert 'data-testid="attendance-done"' in html
    last_week = group.sessions[-2]
    assert f'data-session="{last_week.pk}"' not in html


def test_a_session_without_attendance_shows_it_is_still_to_do(group, trainer, login) -> None:
    html = login(trainer).get(URL).content.decode()
    assert 'data-testid="attendance-open"' in html


def test_consecutive_absences_are_flagged(group, trainer, login) -> None:
    absent = group.participations[0]
    for session in group.sessions[1:]:
        record_attendance(trainer, session, {absent.pk: "unexcused"})
    html = login(trainer).get(URL).content.decode()
    assert 'data-testid="absence-warning"' in html


def test_the_participants_shown_are_audited_as_read(group, trainer, login) -> None:
    login(trainer).get(URL)
    read = AuditEvent.objects.filter(actor=trainer, action=Action.READ, reason="trainer's group overview")
    client_ids = list(read.values_list("client_id", flat=True))
    assert len(client_ids) == len(set(client_ids)) == len(group.participations)
    assert set(client_ids) == {p.client_id for p in group.participations}


def test_other_roles_are_refused(make_user, login) -> None:
    for role in (Role.PLANNER, Role.CONSULTANT, Role.TEAM_MANAGER):
        assert login(make_user(role)).get(URL).status_code == 403


def test_query_budget_does_not_grow_with_runs_participants_and_attendance(group, trainer, organisation, login) -> None:
    record_attendance(trainer, group.sessions[0], {p.pk: "present" for p in group.participations})

    def more() -> None:
        for _ in range(3):
            extra = running_group(organisation, trainer, participants=4)
            record_attendance(trainer, extra.sessions[-1], {p.pk: "excused" for p in extra.participations})
            extra.add_participants(2, needed_variant="language_support", support_note="Tolk")
        group.add_participants(3)
        gw.SessionFactory(group_run=group.run)

    assert_query_budget(login(trainer), URL, budget=13, grow=more)
