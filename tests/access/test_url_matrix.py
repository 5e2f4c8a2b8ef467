"""Every URL × every role: the answer each role gets. A new URL without a row here fails the coverage test."""

import datetime
import time

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from koers.accounts.middleware import AUTH_TIME_KEY
from koers.accounts.roles import Role
from koers.clients.subject_data import client_linked_models
from koers.groupwork.evaluation_services import new_token
from koers.groupwork.models import EvaluationInvite
from koers.measurement.models import Measurement
from koers.measurement.services import issue_link
from koers.placement.models import PlacementProposal, ProposalLine
from koers.reporting.models import ReportExport
from koers.retention.models import DestructionList, LegalHold
from tests import factories
from tests import groupwork_factories as gw
from tests.helpers import assert_access_matrix
from tests.measurement_factories import small_questionnaire

pytestmark = pytest.mark.django_db

ALL = list(Role.values)
C, TM, TR, PL, PO, AD, PR = (
    Role.CONSULTANT,
    Role.TEAM_MANAGER,
    Role.TRAINER,
    Role.PLANNER,
    Role.POLICY,
    Role.ADMINISTRATOR,
    Role.PRIVACY_OFFICER,
)


def only(allowed: dict[str, int], otherwise: int = 403) -> dict[str, int]:
    return {role: allowed.get(role, otherwise) for role in ALL}


# URL name → (kwargs builder name or None, expected status per role). "own"/"other" name a client in or out of
# every role's relation; "run" is the trainer's own group run.
MATRIX: dict[str, tuple[str | None, dict[str, int]]] = {
    "home:root": (None, only({}, otherwise=302)),
    "home:start": (None, only({}, otherwise=200)),
    "security-txt": (None, only({}, otherwise=200)),
    "clients:list": (None, only({C: 200, TM: 200, TR: 200, PL: 200})),
    "clients:detail#own": ("own", only({C: 200, TM: 200, TR: 200, PL: 200})),
    "clients:detail#other": ("other", only({C: 404, TM: 404, TR: 404, PL: 404})),
    "clients:open_dossier#own": ("own", only({}, otherwise=405)),
    "clients:create": (None, only({C: 200})),
    "clients:edit#own": ("own", only({C: 200})),
    "clients:edit#other": ("other", only({C: 404, TM: 404, TR: 404, PL: 404})),
    "clients:transfer#own": ("own", only({}, otherwise=405)),
    "clients:grant_access#own": ("own", only({}, otherwise=405)),
    "clients:access_log": (None, only({PR: 200})),
    "clients:rectify#own": ("own", only({C: 200})),
    "clients:rectify#other": ("other", only({C: 404})),
    "clients:access_export_json#own": ("own", only({PR: 200})),
    "clients:access_export_pdf#own": ("own", only({PR: 200})),
    "clients:processing_restriction#own": ("own", only({}, otherwise=405)),
    "trajectories:start#own": ("own_client", only({C: 200})),
    "trajectories:start#other": ("other_client", only({C: 404, TM: 404})),
    "trajectories:detail#own": ("traj", only({C: 200, TM: 404})),
    "trajectories:detail#other": ("other_traj", only({C: 404, TM: 404})),
    "trajectories:perspective#own": ("traj", only({C: 200, TM: 404})),
    "trajectories:life_domains#own": ("traj", only({C: 200, TM: 404})),
    "trajectories:igm_profile#own": ("traj", only({C: 200, TM: 404})),
    "trajectories:goal_create#own": ("traj", only({C: 200, TM: 404})),
    "trajectories:goal_edit#own": ("goal", only({C: 200, TM: 404})),
    "trajectories:goal_edit#other": ("other_goal", only({C: 404, TM: 404})),
    "trajectories:instrument_create#own": ("traj", only({C: 200, TM: 404})),
    "trajectories:instrument_edit#own": ("instrument", only({C: 200, TM: 404})),
    "trajectories:instrument_edit#other": ("other_instrument", only({C: 404, TM: 404})),
    "trajectories:plan_agreement#own": ("traj", only({C: 200, TM: 404})),
    "trajectories:end#own": ("traj", only({C: 200, TM: 404})),
    "groupwork:runs": (None, only({TR: 200, PL: 200})),
    "groupwork:run_detail#own": ("run", only({TR: 200, PL: 200})),
    "groupwork:run_detail#other": ("other_run", only({TR: 404, PL: 200})),
    "v1:me": (None, only({}, otherwise=200)),
    "v1:client-list": (None, only({C: 200, TM: 200, TR: 200, PL: 200})),
    "v1:client-detail#own": ("own", only({C: 200, TM: 200, TR: 200, PL: 200})),
    "v1:client-detail#other": ("other", only({C: 404, TM: 404, TR: 404, PL: 404})),
    "progress:history#own": ("traj", only({C: 200, TM: 404})),
    "progress:history#other": ("other_traj", only({C: 404, TM: 404})),
    "progress:report_create#own": ("traj", only({C: 200, TM: 404})),
    "progress:report_create#other": ("other_traj", only({C: 404, TM: 404})),
    "progress:report_detail#own": ("report", only({C: 200, TM: 404})),
    "progress:report_detail#other": ("other_report", only({C: 404, TM: 404})),
    "progress:report_pdf#own": ("report", only({C: 200, TM: 404})),
    "progress:report_pdf#other": ("other_report", only({C: 404, TM: 404})),
    "progress:case_discussion#own": ("traj", only({C: 200, TM: 404})),
    "progress:case_discussion#other": ("other_traj", only({C: 404, TM: 404})),
    "progress:case_discussion_pdf#own": ("traj", only({C: 200, TM: 404})),
    "progress:case_discussion_pdf#other": ("other_traj", only({C: 404, TM: 404})),
    "imports:list": (None, only({AD: 200, TM: 200})),
    "imports:new": (None, only({AD: 200, TM: 200})),
    "imports:detail": ("import", only({AD: 200, TM: 200})),
    "imports:progress": ("import", only({AD: 200, TM: 200})),
    "imports:report": ("import", only({AD: 200, TM: 200})),
    "caseload:index": (None, only({C: 200})),
    "v1:trajectory-list": (None, only({C: 200, TM: 200})),
    "v1:trajectory-detail#own": ("traj", only({C: 200, TM: 404})),
    "v1:trajectory-detail#other": ("other_traj", only({C: 404, TM: 404})),
    "v1:goal-list": (None, only({C: 200, TM: 200})),
    "v1:goal-detail#own": ("goal", only({C: 200, TM: 404})),
    "v1:goal-detail#other": ("other_goal", only({C: 404, TM: 404})),
    "v1:instrument-list": (None, only({C: 200, TM: 200})),
    "v1:instrument-detail#own": ("instrument", only({C: 200, TM: 404})),
    "v1:instrument-detail#other": ("other_instrument", only({C: 404, TM: 404})),
    "v1:lifedomainassessment-list": (None, only({C: 200, TM: 200})),
    "v1:lifedomainassessment-detail#own": ("assessment", only({C: 200, TM: 404})),
    "v1:lifedomainassessment-detail#other": ("other_assessment", only({C: 404, TM: 404})),
    "v1:igmprofile-list": (None, only({C: 200, TM: 200})),
    "v1:igmprofile-detail#own": ("profile", only({C: 200, TM: 404})),
    "v1:igmprofile-detail#other": ("other_profile", only({C: 404, TM: 404})),
    "v1:progressreport-list": (None, only({C: 200, TM: 200})),
    "v1:progressreport-detail#own": ("report", only({C: 200, TM: 404})),
    "v1:progressreport-detail#other": ("other_report", only({C: 404, TM: 404})),
    "v1:grouprun-list": (None, only({TR: 200, PL: 200})),
    "v1:grouprun-detail#own": ("run", only({TR: 200, PL: 200})),
    "v1:grouprun-detail#other": ("other_run", only({TR: 404, PL: 200})),
    "groupwork:catalogue": (None, only({}, otherwise=200)),
    "groupwork:programme_public": ("programme", only({}, otherwise=200)),
    "groupwork:evaluation_answer": ("evaluation_token", only({}, otherwise=200)),
    "groupwork:evaluation_thanks": (None, only({}, otherwise=200)),
    "groupwork:my_evaluations": (None, only({TR: 200, C: 200})),
    "groupwork:staff_evaluation_answer#own": ("staff_invite", only({TR: 200, C: 404})),
    "groupwork:staff_evaluation_answer#other": ("other_staff_invite", only({TR: 404, C: 404})),
    "groupwork:run_evaluation#own": ("run", only({TR: 200, PL: 200})),
    "groupwork:run_evaluation#other": ("other_run", only({TR: 404, PL: 200})),
    "groupwork:programme_evaluation": ("programme", only({PL: 200, TM: 200, PO: 200})),
    "groupwork:run_invitations#own": ("run", only({PL: 200})),
    "groupwork:run_invitation_letters#own": ("run", only({PL: 200})),
    "groupwork:run_handoffs#own": ("run", only({TR: 200})),
    "groupwork:run_handoffs#other": ("other_run", only({TR: 404})),
    "groupwork:handoff_write#own": ("participation", only({TR: 200})),
    "groupwork:handoff_write#other": ("other_participation", only({TR: 404})),
    "groupwork:handoff_detail#own": ("handoff", only({C: 200})),
    "groupwork:handoff_detail#other": ("other_handoff", only({C: 404})),
    "groupwork:handoff_acknowledge#own": ("handoff", only({}, otherwise=405)),
    "groupwork:handoff_to_goal#own": ("handoff", only({}, otherwise=405)),
    "groupwork:handoff_to_instrument#own": ("handoff", only({}, otherwise=405)),
    "groupwork:absences": (None, only({C: 200})),
    "groupwork:absence_acknowledge#own": ("attendance", only({}, otherwise=405)),
    "groupwork:client_absences_acknowledge#own": ("own", only({}, otherwise=405)),
    "groupwork:session_attendance#own": ("session", only({TR: 200, PL: 200})),
    "groupwork:session_attendance#other": ("other_session", only({TR: 404, PL: 200})),
    "groupwork:session_log#own": ("session", only({TR: 200})),
    "groupwork:session_log#other": ("other_session", only({TR: 404})),
    "groupwork:session_attendance_pdf#own": ("session", only({TR: 200, PL: 200})),
    "groupwork:session_attendance_pdf#other": ("other_session", only({TR: 404, PL: 200})),
    "groupwork:trainer_home": (None, only({TR: 200})),
    "groupwork:refer#own": ("refer_instrument", only({C: 200})),
    "groupwork:refer#other": ("other_refer_instrument", only({C: 404})),
    "groupwork:referral_detail#own": ("referral", only({C: 200, PL: 200})),
    "groupwork:referral_detail#other": ("other_referral", only({C: 404, PL: 200})),
    "groupwork:referral_withdraw#own": ("referral", only({}, otherwise=405)),
    "groupwork:referral_place#own": ("referral", only({PL: 200})),
    "groupwork:referral_place#other": ("other_referral", only({PL: 200})),
    "groupwork:referral_unplace#own": ("referral", only({}, otherwise=405)),
    "groupwork:referral_decline#own": ("referral", only({}, otherwise=405)),
    "groupwork:waiting_lists": (None, only({PL: 200})),
    "groupwork:waiting_list": ("waiting_list", only({PL: 200})),
    "groupwork:run_create": (None, only({PL: 200})),
    "groupwork:run_edit#own": ("run", only({PL: 200})),
    "groupwork:run_edit#other": ("other_run", only({PL: 200})),
    "groupwork:session_edit#own": ("session", only({PL: 200})),
    "groupwork:session_edit#other": ("other_session", only({PL: 200})),
    "groupwork:run_complete": ("run", only({}, otherwise=405)),
    "groupwork:run_cancel": ("run", only({}, otherwise=405)),
    "groupwork:run_extend": ("run", only({}, otherwise=405)),
    "groupwork:rooms": (None, only({PL: 200})),
    "groupwork:trainer_capacity": (None, only({PL: 200, TM: 200})),
    "groupwork:capacity_what_if": (None, only({PL: 200, TM: 200})),
    "placement:request": ("waiting_list", only({PL: 200})),
    "placement:proposal": ("proposal", only({PL: 200})),
    "placement:progress": ("proposal", only({PL: 200})),
    "placement:accept": ("proposal", only({}, otherwise=405)),
    "placement:rerun": ("proposal", only({}, otherwise=405)),
    "measurement:run_effects#own": ("run", only({TR: 200, TM: 200, PO: 200})),
    "measurement:run_effects#other": ("other_run", only({TR: 404, TM: 200, PO: 200})),
    "measurement:programme_effects": ("programme", only({TM: 200, PO: 200})),
    "measurement:research_export": (None, only({PO: 200})),
    "measurement:overview#own": ("traj", only({C: 200, TM: 404})),
    "measurement:overview#other": ("other_traj", only({C: 404, TM: 404})),
    "principles:trajectory#own": ("traj", only({C: 200, TM: 404})),
    "principles:trajectory#other": ("other_traj", only({C: 404, TM: 404})),
    "principles:team": (None, only({TM: 200})),
    "reporting:index": (None, only({TM: 200, PO: 200})),
    "reporting:financier": (None, only({TM: 200, PO: 200})),
    "reporting:management": (None, only({TM: 200, PO: 200})),
    "reporting:export": (None, only({}, otherwise=405)),
    "reporting:export_status": ("report_export", only({TM: 404, PO: 200})),
    "reporting:export_download": ("report_export", only({TM: 404, PO: 200})),
    "retention:index": (None, only({AD: 200, TM: 200})),
    "retention:candidates": (None, only({AD: 200})),
    "retention:hold": (None, only({AD: 405})),
    "retention:lift_hold": ("legal_hold", only({AD: 405})),
    "retention:propose": (None, only({AD: 405})),
    "retention:detail": ("destruction_list", only({AD: 200, TM: 200})),
    "retention:progress": ("destruction_list", only({AD: 200, TM: 200})),
    "retention:decide": ("destruction_list", only({TM: 405})),
    "retention:execute": ("destruction_list", only({AD: 405})),
    "measurement:create#own": ("traj", only({C: 200, TM: 404})),
    "measurement:create#other": ("other_traj", only({C: 404, TM: 404})),
    "measurement:enter#own": ("open_measurement", only({C: 200, TM: 404})),
    "measurement:enter#other": ("other_open_measurement", only({C: 404, TM: 404})),
    "measurement:link#own": ("open_measurement", only({C: 200, TM: 404})),
    "measurement:link#other": ("other_open_measurement", only({C: 404, TM: 404})),
    "measurement:cancel#own": ("open_measurement", only({}, otherwise=405)),
    "measurement:answer": ("measurement_token", only({}, otherwise=200)),
    "measurement:thanks": (None, only({}, otherwise=200)),
    "v1:referral-withdraw#own": ("referral", only({}, otherwise=405)),
    "v1:referral-withdraw#other": ("other_referral", only({}, otherwise=405)),
    "v1:referral-decline#own": ("referral", only({}, otherwise=405)),
    "v1:referral-place#own": ("referral", only({}, otherwise=405)),
    "v1:session-attendance#own": ("session", only({}, otherwise=405)),
    "v1:session-attendance#other": ("other_session", only({}, otherwise=405)),
    "v1:handoff-acknowledge#own": ("handoff", only({}, otherwise=405)),
    "v1:handoff-acknowledge#other": ("other_handoff", only({}, otherwise=405)),
    "v1:programme-list": (None, only({}, otherwise=200)),
    "v1:programme-detail#own": ("programme", only({}, otherwise=200)),
    "v1:session-list": (None, only({TR: 200, PL: 200})),
    "v1:session-detail#own": ("session", only({TR: 200, PL: 200})),
    "v1:session-detail#other": ("other_session", only({TR: 404, PL: 200})),
    "v1:referral-list": (None, only({C: 200, TR: 200, PL: 200})),
    "v1:referral-detail#own": ("referral", only({C: 200, TR: 200, PL: 200})),
    "v1:referral-detail#other": ("other_referral", only({C: 404, TR: 404, PL: 200})),
    "v1:attendance-list": (None, only({C: 200, TR: 200, PL: 200})),
    "v1:attendance-detail#own": ("attendance", only({C: 200, TR: 200, PL: 200})),
    "v1:attendance-detail#other": ("other_attendance", only({C: 404, TR: 404, PL: 200})),
    "v1:handoff-list": (None, only({C: 200, TR: 200})),
    "v1:handoff-detail#own": ("handoff", only({C: 200, TR: 200})),
    "v1:handoff-detail#other": ("other_handoff", only({C: 404, TR: 404})),
    "api-schema": (None, only({}, otherwise=200)),
    "api-docs": (None, only({}, otherwise=200)),
    "admin:index": (None, only({AD: 200}, otherwise=302)),
    "accounts:mfa_verify": (None, only({}, otherwise=302)),
    "accounts:mfa_enrol": (None, only({}, otherwise=302)),
    "accounts:login": (None, only({}, otherwise=302)),
    "accounts:logout": (None, only({}, otherwise=405)),
    "accounts:extend_session": (None, only({}, otherwise=405)),
    "set_language": (None, only({}, otherwise=302)),
    "health-live": (None, only({}, otherwise=200)),
    "health-ready": (None, only({}, otherwise=200)),
}

# Patterns that are not pages of their own: the admin's model pages (checked in tests/accounts/test_admin.py).
EXCLUDED_PREFIXES = ("admin:",)


def _all_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list, namespace: str = "") -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(
                    pattern.url_patterns,
                    f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace,
                )
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns)
    return names


def test_every_url_is_in_the_matrix() -> None:
    covered = {key.split("#")[0] for key in MATRIX}
    missing = {name for name in _all_url_names() if not name.startswith(EXCLUDED_PREFIXES)} - covered
    assert not missing, f"URLs without access expectations: {sorted(missing)}"


@pytest.fixture
def world(role_users, municipality):
    """A client related to every role's user, one related to nobody, and runs in and out of the trainer's."""
    own = factories.ClientFactory(
        organisation=municipality.organisation, municipality=municipality, consultant=role_users[C]
    )
    outsider = factories.UserFactory(organisation=municipality.organisation, roles=[C])
    other = factories.ClientFactory(
        organisation=municipality.organisation, municipality=municipality, consultant=outsider
    )
    programme = factories.ProgrammeFactory(organisation=municipality.organisation)
    run = factories.GroupRunFactory(programme=programme, trainers=[role_users[TR]])
    other_run = factories.GroupRunFactory(programme=programme)
    from tests.trajectory_factories import (
        IgmProfileFactory,
        InstrumentFactory,
        LifeDomainAssessmentFactory,
        ProgressReportFactory,
        TrajectoryFactory,
    )

    traj = TrajectoryFactory(client=own, created_by=role_users[C])
    instrument = InstrumentFactory(trajectory=traj)
    other_traj = TrajectoryFactory(client=other, created_by=outsider)
    other_instrument = InstrumentFactory(trajectory=other_traj)
    assessment, other_assessment = (LifeDomainAssessmentFactory(trajectory=t) for t in (traj, other_traj))
    profile, other_profile = (IgmProfileFactory(trajectory=t) for t in (traj, other_traj))
    report, other_report = (ProgressReportFactory(trajectory=t) for t in (traj, other_traj))
    session = gw.SessionFactory(group_run=run)
    other_session = gw.SessionFactory(group_run=other_run)
    referral = gw.ReferralFactory(client=own, programme=programme, status="placed", group_run=run)
    participation = factories.ParticipationFactory(group_run=run, client=own, referral=referral)
    stranger = factories.ClientFactory(
        organisation=municipality.organisation, municipality=municipality, consultant=outsider
    )
    other_referral = gw.ReferralFactory(client=stranger, programme=programme, status="placed", group_run=other_run)
    other_participation = factories.ParticipationFactory(group_run=other_run, client=stranger, referral=other_referral)
    # Someone already waits, so the waiting list's audit writes cost the same before and after _grow adds more.
    gw.ReferralFactory(
        client__organisation=municipality.organisation, client__consultant=role_users[C], programme=programme
    )
    attendance = gw.AttendanceFactory(session=session, participation=participation, status="unexcused")
    other_attendance = gw.AttendanceFactory(session=other_session, participation=other_participation)
    hand_off = gw.HandOffFactory(participation=participation, written_by=role_users[TR])
    other_hand_off = gw.HandOffFactory(participation=other_participation)
    participant_questions = gw.QuestionnaireFactory(programme=programme, perspective="participant")
    gw.QuestionFactory(questionnaire=participant_questions, kind="scale")
    gw.QuestionFactory(questionnaire=participant_questions, kind="text")
    trainer_questions = gw.QuestionnaireFactory(programme=programme, perspective="trainer", title="Trainer")
    gw.QuestionFactory(questionnaire=trainer_questions, kind="scale")
    raw_token, token_hash = new_token()
    expires = timezone.now() + datetime.timedelta(days=7)
    EvaluationInvite.objects.create(
        questionnaire=participant_questions,
        group_run=run,
        participation=participation,
        token_hash=token_hash,
        expires_at=expires,
    )
    staff_invite = EvaluationInvite.objects.create(
        questionnaire=trainer_questions, group_run=run, respondent=role_users[TR], expires_at=expires
    )
    other_staff_invite = EvaluationInvite.objects.create(
        questionnaire=trainer_questions, group_run=other_run, respondent=outsider, expires_at=expires
    )
    from koers.imports.models import ClientImport

    job = ClientImport.objects.create(
        organisation=municipality.organisation, uploaded_by=role_users[AD], file_name="export.csv", file_format="csv"
    )
    proposal = PlacementProposal.objects.create(
        organisation=municipality.organisation, programme=programme, requested_by=role_users[PL], status="done"
    )
    ProposalLine.objects.create(proposal=proposal, referral=referral, group_run=run, reason_code="earliest")
    measurement_version = small_questionnaire(municipality.organisation)
    open_measurement, other_open_measurement = (
        Measurement.objects.create(
            trajectory=t, version=measurement_version, moment="start", respondent="client", created_by=t.created_by
        )
        for t in (traj, other_traj)
    )
    measurement_token = issue_link(role_users[C], open_measurement).token
    report_export = ReportExport.objects.create(
        organisation=municipality.organisation,
        requested_by=role_users[PO],
        kind="management",
        export_format="csv",
        parameters={"start": "2026-01-01", "end": "2026-06-30", "language": "nl"},
        title="Management report",
        status="done",
        content=b"x",
        filename="x.csv",
        content_type="text/csv",
        size=1,
    )
    destruction_list = DestructionList.objects.create(organisation=municipality.organisation, created_by=role_users[AD])
    hold = LegalHold.objects.create(client=own, reason="Klacht", set_by=role_users[AD])
    return {
        "destruction_list": {"pk": destruction_list.pk},
        "legal_hold": {"pk": hold.pk},
        "report_export": {"pk": report_export.pk},
        "open_measurement": {"pk": open_measurement.pk},
        "other_open_measurement": {"pk": other_open_measurement.pk},
        "measurement_token": {"token": measurement_token},
        "import": {"pk": job.pk},
        "assessment": {"pk": assessment.pk},
        "other_assessment": {"pk": other_assessment.pk},
        "profile": {"pk": profile.pk},
        "other_profile": {"pk": other_profile.pk},
        "report": {"pk": report.pk},
        "other_report": {"pk": other_report.pk},
        "own_client": {"client_pk": own.pk},
        "other_client": {"client_pk": other.pk},
        "traj": {"pk": traj.pk},
        "other_traj": {"pk": other_traj.pk},
        "goal": {"pk": instrument.goal_id},
        "other_goal": {"pk": other_instrument.goal_id},
        "instrument": {"pk": instrument.pk},
        "other_instrument": {"pk": other_instrument.pk},
        "own": {"pk": own.pk},
        "other": {"pk": other.pk},
        "run": {"pk": run.pk},
        "other_run": {"pk": other_run.pk},
        "programme": {"pk": programme.pk},
        "session": {"pk": session.pk},
        "other_session": {"pk": other_session.pk},
        "referral": {"pk": referral.pk},
        "other_referral": {"pk": other_referral.pk},
        "participation": {"pk": participation.pk},
        "other_participation": {"pk": other_participation.pk},
        "attendance": {"pk": attendance.pk},
        "other_attendance": {"pk": other_attendance.pk},
        "handoff": {"pk": hand_off.pk},
        "other_handoff": {"pk": other_hand_off.pk},
        "evaluation_token": {"token": raw_token},
        "refer_instrument": {"instrument_pk": instrument.pk},
        "other_refer_instrument": {"instrument_pk": other_instrument.pk},
        "waiting_list": {"programme_pk": programme.pk},
        "staff_invite": {"pk": staff_invite.pk},
        "other_staff_invite": {"pk": other_staff_invite.pk},
        "proposal": {"pk": proposal.pk},
    }


@pytest.mark.parametrize("key", sorted(MATRIX))
def test_role_matrix(key, world, role_users, login) -> None:
    kwargs_name, expected = MATRIX[key]
    url = reverse(key.split("#")[0], kwargs=world[kwargs_name] if kwargs_name else None)
    assert_access_matrix(url, expected, role_users, login)


OPEN_WITHOUT_LOGIN = {
    "accounts:login",
    "health-live",
    "health-ready",
    "set_language",
    "groupwork:catalogue",
    "groupwork:programme_public",
    "groupwork:evaluation_answer",
    "groupwork:evaluation_thanks",
    "measurement:answer",
    "measurement:thanks",
    "security-txt",
}


@pytest.mark.parametrize("key", sorted(MATRIX))
def test_anonymous_gets_nothing(key, world, client) -> None:
    name = key.split("#")[0]
    kwargs_name, _expected = MATRIX[key]
    url = reverse(name, kwargs=world[kwargs_name] if kwargs_name else None)
    response = client.get(url)
    if name in OPEN_WITHOUT_LOGIN:
        assert response.status_code in {200, 302}
    else:
        assert response.status_code in {302, 401, 403, 405}, f"{url} answered {response.status_code}"
        if response.status_code == 302:
            # The admin first sends to its own login path, which forwards to Koers's login.
            assert response["Location"].startswith(("/account/inloggen/", "/beheer/login/"))


@pytest.mark.parametrize("key", sorted(MATRIX))
def test_password_alone_reaches_no_data(key, world, role_users, client) -> None:
    """Logged in with a password but without the second factor, as a role that could open the page otherwise."""
    name = key.split("#")[0]
    kwargs_name, expected = MATRIX[key]
    if name in OPEN_WITHOUT_LOGIN or name.startswith("accounts:"):
        return
    url = reverse(name, kwargs=world[kwargs_name] if kwargs_name else None)
    role = next((role for role, status in expected.items() if status == 200), C)
    client.force_login(role_users[role])
    session = client.session
    session[AUTH_TIME_KEY] = time.time()
    session.save()
    response = client.get(url)
    assert response.status_code in {302, 403, 405}, f"{url} answered {response.status_code} to {role}"
    if response.status_code == 302:
        assert response["Location"].startswith(("/account/tweede-factor/", "/beheer/login/"))
    if response.status_code == 403 and not name.startswith(("v1:", "api")):
        pytest.fail(f"{url}: a password-only {role} must be sent to the second factor, not refused")


def _grow(world_ids: dict, role_users: dict) -> None:
    """More of everything a page could list: clients, flags, runs, participants, audit events."""
    from koers.clients.models import Client
    from koers.groupwork.models import GroupRun

    own = Client.objects.get(pk=world_ids["own"]["pk"])
    run = GroupRun.objects.get(pk=world_ids["run"]["pk"])
    session = run.sessions.first()
    for _ in range(4):
        client = factories.ClientFactory(
            organisation=own.organisation, municipality=own.municipality, consultant=role_users[C]
        )
        factories.ScreeningFlagFactory(client=client, kind="low_language")
        referral = gw.ReferralFactory(client=client, programme=run.programme, status="placed", group_run=run)
        participation = factories.ParticipationFactory(group_run=run, client=client, referral=referral)
        gw.AttendanceFactory(session=session, participation=participation, status="excused")
        gw.HandOffFactory(participation=participation, written_by=role_users[TR])
        gw.ReferralFactory(
            client__organisation=own.organisation, client__consultant=role_users[C], programme=run.programme
        )
        other = factories.GroupRunFactory(programme=run.programme, trainers=[role_users[TR]])
        gw.SessionFactory(group_run=other)


def _budget(url_name: str) -> int:
    """20 queries a page; the client's access export reads every table that holds client data, one query each."""
    if url_name.startswith("clients:access_export_"):
        return len(client_linked_models()) + 20
    return 20


@pytest.mark.parametrize("key", sorted(MATRIX))
def test_every_page_has_a_query_budget_that_does_not_grow(key, world, role_users, login) -> None:
    """For each URL and each role that may open it: at most its budget, and the same count after adding data."""
    from tests.helpers import count_queries

    kwargs_name, expected = MATRIX[key]
    url = reverse(key.split("#")[0], kwargs=world[kwargs_name] if kwargs_name else None)
    roles = [role for role, status in expected.items() if status == 200]
    sessions = {role: login(role_users[role]) for role in roles}
    before = {role: count_queries(sessions[role], url)[1] for role in roles}
    _grow(world, role_users)
    after = {role: count_queries(sessions[role], url)[1] for role in roles}
    assert all(n <= _budget(key.split("#")[0]) for n in before.values()), f"{url}: {before}"
    assert before == after, f"{url}: queries per role before {before}, after adding data {after}"
