"""Invitations and reminders: e-mail or letter, once per participant, with what the participant needs to know."""

import datetime
import io
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from koers.accounts.roles import Role
from koers.audit.models import Action, AuditEvent
from koers.groupwork.invitation_services import InvitationError, send_invitations, send_reminders
from koers.groupwork.models import Invitation, InvitationChannel, InvitationKind, RunStatus
from tests import factories
from tests import groupwork_factories as gw
from tests.helpers import assert_query_budget, captured_pdf_html, laid_out_pages

pytestmark = pytest.mark.django_db

MANDATORY_REASON = "Wie een uitkering aanvraagt, moet weten welke rechten en plichten daarbij horen."
WHAT_TO_BRING = "Uw identiteitsbewijs en een pen."


def in_client_language(text: str) -> str:
    """Clients read the site language (Dutch), whatever language the test runs in."""
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(text)


def long_date(day: datetime.date) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return date_format(day, "l j F Y")


@pytest.fixture
def consultant(make_user):
    user = make_user(Role.CONSULTANT)
    user.first_name, user.last_name, user.email = "Sanne", "de Wit", "s.dewit@werkbedrijf.example"
    user.save()
    return user


@pytest.fixture
def run(organisation):
    programme = factories.ProgrammeFactory(
        organisation=organisation,
        name="Workshop Rechten & plichten",
        description="Een middag over wat u mag en moet met een bijstandsuitkering.",
        is_mandatory=True,
        mandatory_reason=MANDATORY_REASON,
        what_to_bring=WHAT_TO_BRING,
        session_count=3,
    )
    room = factories.RoomFactory(
        organisation=organisation, name="Zaal De Brug", location="Stationsplein 1, Lekkerwaard"
    )
    group = factories.GroupRunFactory(programme=programme, room=room)
    for _ in range(3):
        gw.SessionFactory(group_run=group)
    return group


def participant(run: Any, consultant: Any, *, email: str = "", **client: Any) -> Any:
    client_obj = factories.ClientFactory(
        organisation=run.programme.organisation,
        consultant=consultant,
        email=email,
        street=client.pop("street", "Dorpsstraat 12"),
        postal_code=client.pop("postal_code", "1234 AB"),
        city=client.pop("city", "Lekkerwaard"),
        **client,
    )
    return factories.ParticipationFactory(group_run=run, client=client_obj, joined_on=timezone.localdate())


def invite(login: Any, planner: Any, run: Any) -> Any:
    return login(planner).post(reverse("groupwork:run_invitations", args=[run.pk]), follow=True)


# E-mail --------------------------------------------------------------------------------------------------------


def test_invitation_email_gives_dates_place_what_to_bring_and_why_it_is_mandatory(
    run, planner, consultant, login
) -> None:
    noor = participant(run, consultant, email="noor@example.org", first_name="Noor", last_name="Verhoeven")
    factories.ScreeningFlagFactory(client=noor.client, kind="psychological_condition", note="angststoornis")
    invite(login, planner, run)
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    body = email.body
    assert email.to == ["noor@example.org"]
    assert email.reply_to == ["s.dewit@werkbedrijf.example"]
    assert "Workshop Rechten & plichten" in email.subject  # plain text: nothing HTML-escaped
    assert "Noor Verhoeven" in body
    sessions = list(run.sessions.order_by("date"))
    for session in sessions:
        assert long_date(session.date) in body
    assert "09:30" in body
    assert "12:00" in body
    assert "Zaal De Brug" in body
    assert "Stationsplein 1, Lekkerwaard" in body
    assert WHAT_TO_BRING in body
    assert in_client_language("Yes. You must take part in this group.") in body
    assert MANDATORY_REASON in body
    assert (
        in_client_language(
            "The trainer writes down who is there. If you do not come, your consultant will hear about it."
        )
        in body
    )
    assert "Sanne de Wit" in body
    assert run.programme.organisation.name in body
    assert noor.client.bsn not in body
    assert noor.client.bsn not in email.subject
    assert "angststoornis" not in body
    assert "&amp;" not in body


def test_voluntary_programme_says_taking_part_is_a_choice(run, planner, consultant, login) -> None:
    run.programme.is_mandatory = False
    run.programme.mandatory_reason = ""
    run.programme.save()
    participant(run, consultant, email="sem@example.org")
    invite(login, planner, run)
    body = mail.outbox[0].body
    assert in_client_language("No. You choose yourself if you take part.") in body
    assert in_client_language("Yes. You must take part in this group.") not in body


def test_email_is_in_the_site_language_whatever_the_planner_reads(run, planner, consultant, login) -> None:
    participant(run, consultant, email="sem@example.org")
    http = login(planner)
    http.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    http.post(reverse("groupwork:run_invitations", args=[run.pk]))
    assert long_date(run.sessions.order_by("date").first().date) in mail.outbox[0].body


def test_a_participant_joining_a_continuous_group_later_is_invited_from_their_own_first_session(
    run, planner, consultant, login
) -> None:
    sessions = list(run.sessions.order_by("date"))
    late = participant(run, consultant, email="laat@example.org")
    late.joined_on = sessions[1].date
    late.save()
    invite(login, planner, run)
    body = mail.outbox[0].body
    assert long_date(sessions[0].date) not in body
    assert long_date(sessions[1].date) in body
    assert long_date(sessions[2].date) in body


def test_a_cancelled_session_is_left_out(run, planner, consultant, login) -> None:
    first = run.sessions.order_by("date").first()
    first.is_cancelled = True
    first.save()
    participant(run, consultant, email="sem@example.org")
    invite(login, planner, run)
    assert long_date(first.date) not in mail.outbox[0].body


# Once only, and letters ---------------------------------------------------------------------------------------


def test_sending_twice_invites_nobody_twice(run, planner, consultant, login) -> None:
    participant(run, consultant, email="a@example.org")
    participant(run, consultant, email="b@example.org")
    invite(login, planner, run)
    response = invite(login, planner, run)
    assert len(mail.outbox) == 2
    assert Invitation.objects.filter(kind=InvitationKind.INVITATION).count() == 2
    assert in_client_language("Every participant has been invited already.") in response.content.decode()


def test_a_newcomer_is_invited_on_the_next_send(run, planner, consultant, login) -> None:
    participant(run, consultant, email="a@example.org")
    invite(login, planner, run)
    participant(run, consultant, email="b@example.org")
    invite(login, planner, run)
    assert [email.to for email in mail.outbox] == [["a@example.org"], ["b@example.org"]]


def test_client_without_email_is_marked_for_a_letter(run, planner, consultant, login) -> None:
    by_post = participant(run, consultant)
    invite(login, planner, run)
    assert mail.outbox == []
    invitation = Invitation.objects.get(participation=by_post)
    assert (invitation.kind, invitation.channel, invitation.sent_by) == ("invitation", "letter", planner)


def test_each_invitation_is_on_record(run, planner, consultant, login) -> None:
    by_mail = participant(run, consultant, email="a@example.org")
    by_post = participant(run, consultant)
    invite(login, planner, run)
    events = AuditEvent.objects.filter(actor=planner, action=Action.CREATE, object_type="groupwork.invitation")
    assert {(e.client_id, e.reason) for e in events} == {
        (by_mail.client_id, "group invitation sent by e-mail"),
        (by_post.client_id, "group invitation letter ready to print"),
    }


def test_a_failed_email_is_not_recorded_as_sent(run, planner, consultant, login, monkeypatch) -> None:
    participant(run, consultant, email="a@example.org")

    def refuse(*args: Any, **kwargs: Any) -> int:
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr(mail.EmailMessage, "send", refuse)
    response = invite(login, planner, run)
    assert not Invitation.objects.exists()
    assert "koers-message--error" in response.content.decode()
    monkeypatch.undo()
    invite(login, planner, run)
    assert len(mail.outbox) == 1


def test_no_invitations_without_sessions(organisation, planner, consultant, login) -> None:
    run = factories.GroupRunFactory(programme__organisation=organisation)
    participant(run, consultant, email="a@example.org")
    response = invite(login, planner, run)
    assert in_client_language("This group has no sessions yet. Plan the sessions first, then send invitations.") in (
        response.content.decode()
    )
    assert not Invitation.objects.exists()


def test_no_invitations_without_a_room(organisation, planner, consultant, login) -> None:
    run = factories.GroupRunFactory(programme__organisation=organisation, room=None)
    gw.SessionFactory(group_run=run)
    participant(run, consultant, email="a@example.org")
    response = invite(login, planner, run)
    assert "koers-message--error" in response.content.decode()
    assert not Invitation.objects.exists()


def test_no_invitations_for_a_cancelled_run(run, planner, consultant) -> None:
    participant(run, consultant, email="a@example.org")
    run.status = RunStatus.CANCELLED
    run.save()
    with pytest.raises(InvitationError, match="cancelled"), translation.override("en"):
        send_invitations(planner, run)
    assert mail.outbox == []


def test_a_participant_who_left_is_not_invited(run, planner, consultant, login) -> None:
    gone = participant(run, consultant, email="weg@example.org")
    gone.left_on = timezone.localdate()
    gone.save()
    invite(login, planner, run)
    assert mail.outbox == []


# Reminders ----------------------------------------------------------------------------------------------------


def test_reminder_goes_out_two_days_before_the_first_session_once(run, consultant) -> None:
    by_mail = participant(run, consultant, email="a@example.org")
    by_post = participant(run, consultant)
    first = run.sessions.order_by("date").first().date
    assert send_reminders(first - datetime.timedelta(days=3)).total == 0
    result = send_reminders(first - datetime.timedelta(days=2))
    assert (result.emailed, result.letters) == (1, 1)
    assert mail.outbox[0].to == ["a@example.org"]
    assert long_date(first) in mail.outbox[0].body
    assert send_reminders(first - datetime.timedelta(days=2)).total == 0
    assert send_reminders(first - datetime.timedelta(days=1)).total == 0
    assert len(mail.outbox) == 1
    reminders = Invitation.objects.filter(kind=InvitationKind.REMINDER)
    assert {(r.participation_id, r.channel, r.sent_by) for r in reminders} == {
        (by_mail.pk, InvitationChannel.EMAIL, None),
        (by_post.pk, InvitationChannel.LETTER, None),
    }
    events = AuditEvent.objects.filter(object_type="groupwork.invitation", reason__startswith="group reminder")
    assert {e.client_id for e in events} == {by_mail.client_id, by_post.client_id}


def test_a_missed_day_is_caught_up_while_the_session_is_still_ahead(run, consultant) -> None:
    participant(run, consultant, email="a@example.org")
    first = run.sessions.order_by("date").first().date
    assert send_reminders(first - datetime.timedelta(days=1)).emailed == 1
    assert send_reminders(first).total == 0


def test_reminder_days_follow_the_setting(run, consultant, settings) -> None:
    settings.KOERS_REMINDER_DAYS = 5
    participant(run, consultant, email="a@example.org")
    first = run.sessions.order_by("date").first().date
    assert send_reminders(first - datetime.timedelta(days=5)).emailed == 1


def test_reminder_counts_from_the_participants_own_first_session(run, consultant) -> None:
    sessions = list(run.sessions.order_by("date"))
    late = participant(run, consultant, email="laat@example.org")
    late.joined_on = sessions[1].date
    late.save()
    assert send_reminders(sessions[0].date - datetime.timedelta(days=2)).total == 0
    assert send_reminders(sessions[1].date - datetime.timedelta(days=2)).emailed == 1


def test_no_reminder_for_a_cancelled_run(run, consultant) -> None:
    participant(run, consultant, email="a@example.org")
    run.status = RunStatus.CANCELLED
    run.save()
    assert send_reminders(run.sessions.order_by("date").first().date - datetime.timedelta(days=2)).total == 0


def test_reminder_command_reports_what_was_sent(run, consultant) -> None:
    participant(run, consultant, email="a@example.org")
    participant(run, consultant)
    first = run.sessions.order_by("date").first().date
    out = io.StringIO()
    call_command("send_group_reminders", f"--datum={first - datetime.timedelta(days=2):%Y-%m-%d}", stdout=out)
    assert "1 per e-mail verstuurd, 1 als brief klaar om te printen" in out.getvalue()
    again = io.StringIO()
    call_command("send_group_reminders", f"--datum={first - datetime.timedelta(days=2):%Y-%m-%d}", stdout=again)
    assert "0 per e-mail verstuurd, 0 als brief" in again.getvalue()


def test_reminder_command_refuses_a_bad_date() -> None:
    with pytest.raises(CommandError):
        call_command("send_group_reminders", "--datum=morgen")


# Letters as PDF -----------------------------------------------------------------------------------------------


def test_letters_pdf_has_one_page_per_letter_with_the_address(run, planner, consultant, login, monkeypatch) -> None:
    captured = captured_pdf_html(monkeypatch)
    anna = participant(
        run, consultant, first_name="Anna", last_name="Jansen", street="Kerkweg 3", postal_code="9999 ZZ"
    )
    participant(run, consultant, first_name="Bram", last_name="Smit", street="Molenlaan 8")
    participant(run, consultant, email="heeft-mail@example.org", first_name="Carla", last_name="Mail")
    invite(login, planner, run)
    response = login(planner).get(reverse("groupwork:run_invitation_letters", args=[run.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"-{run.pk}-" in response["Content-Disposition"]
    assert "Jansen" not in response["Content-Disposition"]
    pages = laid_out_pages(captured[-1])
    assert len(pages) == 2
    anna_page = next(page for page in pages if "Anna Jansen" in page)
    assert "Kerkweg 3" in anna_page
    assert "9999 ZZ" in anna_page
    assert "LEKKERWAARD" in anna_page
    assert WHAT_TO_BRING in anna_page
    assert MANDATORY_REASON in anna_page
    assert "Zaal De Brug" in anna_page
    assert anna.client.bsn not in " ".join(pages)
    assert not any("Carla" in page for page in pages)
    printed = AuditEvent.objects.get(actor=planner, action=Action.PRINT)
    assert printed.object_type == "groupwork.grouprun"


def test_one_letter_for_one_participant(run, planner, consultant, login, monkeypatch) -> None:
    captured = captured_pdf_html(monkeypatch)
    carla = participant(run, consultant, email="carla@example.org", first_name="Carla", last_name="Mail")
    participant(run, consultant, first_name="Bram", last_name="Smit")
    url = reverse("groupwork:run_invitation_letters", args=[run.pk])
    response = login(planner).get(f"{url}?deelnemer={carla.pk}")
    assert response.status_code == 200
    pages = laid_out_pages(captured[-1])
    assert len(pages) == 1
    assert "Carla Mail" in pages[0]
    event = AuditEvent.objects.get(actor=planner, action=Action.PRINT)
    assert event.client_id == carla.client_id


def test_one_letter_only_for_a_participant_of_this_run(run, organisation, planner, consultant, login) -> None:
    elsewhere = factories.ParticipationFactory(
        group_run=factories.GroupRunFactory(programme=run.programme), client__organisation=organisation
    )
    url = reverse("groupwork:run_invitation_letters", args=[run.pk])
    assert login(planner).get(f"{url}?deelnemer={elsewhere.pk}").status_code == 404
    assert login(planner).get(f"{url}?deelnemer=abc").status_code == 404


def test_reminder_letters(run, planner, consultant, login, monkeypatch) -> None:
    captured = captured_pdf_html(monkeypatch)
    participant(run, consultant, first_name="Bram", last_name="Smit")
    send_reminders(run.sessions.order_by("date").first().date - datetime.timedelta(days=2))
    page = login(planner).get(reverse("groupwork:run_invitations", args=[run.pk])).content.decode()
    assert "?soort=herinnering" in page
    url = reverse("groupwork:run_invitation_letters", args=[run.pk])
    assert login(planner).get(f"{url}?soort=herinnering").status_code == 200
    pages = laid_out_pages(captured[-1])
    assert len(pages) == 1
    assert "Bram Smit" in pages[0]


def test_letters_pdf_without_letters_still_renders(run, planner, consultant, login) -> None:
    participant(run, consultant, email="a@example.org")
    response = login(planner).get(reverse("groupwork:run_invitation_letters", args=[run.pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


# The page -----------------------------------------------------------------------------------------------------


def test_page_shows_channel_and_when_each_participant_was_invited(run, planner, consultant, login) -> None:
    participant(run, consultant, email="a@example.org", first_name="Anna", last_name="Jansen")
    participant(run, consultant, first_name="Bram", last_name="Smit", street="")
    url = reverse("groupwork:run_invitations", args=[run.pk])
    before = login(planner).get(url).content.decode()
    assert in_client_language("Not yet") in before
    assert in_client_language("Address incomplete: the letter cannot be posted.") in before
    invite(login, planner, run)
    page = login(planner).get(url).content.decode()
    sent_at = Invitation.objects.get(channel=InvitationChannel.EMAIL).sent_at
    assert timezone.localtime(sent_at).strftime("%H:%M") in page
    reads = AuditEvent.objects.filter(actor=planner, action=Action.READ, reason="group invitations")
    assert reads.exists()


def test_only_the_planner_opens_the_page(run, role_users, login) -> None:
    run.trainers.add(role_users[Role.TRAINER])
    for url in (
        reverse("groupwork:run_invitations", args=[run.pk]),
        reverse("groupwork:run_invitation_letters", args=[run.pk]),
    ):
        for role, user in role_users.items():
            expected = 200 if role == Role.PLANNER else 403
            assert login(user).get(url).status_code == expected, (url, role)


def test_trainer_cannot_send_invitations(run, role_users, consultant, login) -> None:
    run.trainers.add(role_users[Role.TRAINER])
    participant(run, consultant, email="a@example.org")
    response = login(role_users[Role.TRAINER]).post(reverse("groupwork:run_invitations", args=[run.pk]))
    assert response.status_code == 403
    assert mail.outbox == []
    assert not Invitation.objects.exists()


def test_planner_of_another_organisation_gets_404(run, consultant, login) -> None:
    participant(run, consultant, email="a@example.org")
    other_org = factories.OrganisationFactory(name="Ander Werkbedrijf")
    stranger = factories.UserFactory(organisation=other_org, roles=[Role.PLANNER])
    http = login(stranger)
    assert http.get(reverse("groupwork:run_invitations", args=[run.pk])).status_code == 404
    assert http.post(reverse("groupwork:run_invitations", args=[run.pk])).status_code == 404
    assert http.get(reverse("groupwork:run_invitation_letters", args=[run.pk])).status_code == 404
    assert mail.outbox == []


def test_page_query_budget_does_not_grow_with_participants(run, planner, consultant, login) -> None:
    participant(run, consultant, email="a@example.org")
    invite(login, planner, run)

    def more() -> None:
        for n in range(5):
            participant(run, consultant, email=f"extra{n}@example.org" if n % 2 else "")
        invite(login, planner, run)
        send_reminders(run.sessions.order_by("date").first().date - datetime.timedelta(days=2))

    assert_query_budget(login(planner), reverse("groupwork:run_invitations", args=[run.pk]), budget=14, grow=more)


def test_letters_pdf_query_budget_does_not_grow_with_letters(run, planner, consultant, login) -> None:
    participant(run, consultant)

    def more() -> None:
        for _ in range(4):
            participant(run, consultant)

    assert_query_budget(
        login(planner), reverse("groupwork:run_invitation_letters", args=[run.pk]), budget=16, grow=more
    )
