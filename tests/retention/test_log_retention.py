"""Authentication logs are kept 6 months (Selectielijst 19.1.24), then deleted by ``apply_log_retention``."""

import datetime

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core.management import call_command

from koers.audit.models import Action, AuditEvent
from koers.audit.services import record_event
from koers.retention.models import RecordType, RetentionRule
from koers.retention.services import store_default_rules

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 7, 12, tzinfo=datetime.UTC)
OLD = datetime.datetime(2026, 6, 6, 12, tzinfo=datetime.UTC)  # a day more than 6 months before NOW
RECENT = datetime.datetime(2026, 6, 8, 12, tzinfo=datetime.UTC)


def _axes_rows(username: str) -> None:
    common = {"user_agent": "test", "ip_address": "127.0.0.1", "username": username, "http_accept": "*/*"}
    AccessAttempt.objects.create(**common, path_info="/", get_data="", post_data="", failures_since_start=1)
    AccessLog.objects.create(**common, path_info="/")
    AccessFailureLog.objects.create(**common, path_info="/")


def _seed(consultant) -> None:
    for moment in (OLD, RECENT):
        with time_machine.travel(moment, tick=False):
            for action in (Action.LOGIN, Action.LOGIN_FAILED, Action.LOGOUT, Action.MFA, Action.READ):
                record_event(consultant, action, consultant, reason="test")
            _axes_rows(f"someone-{moment:%Y%m%d}")


def test_authentication_records_older_than_six_months_are_deleted(consultant) -> None:
    _seed(consultant)
    with time_machine.travel(NOW, tick=False):
        call_command("apply_log_retention")

    authentication = AuditEvent.objects.filter(action__in=["login", "login_failed", "logout", "mfa"])
    assert set(authentication.values_list("at", flat=True)) == {RECENT}
    assert authentication.count() == 4
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        assert list(model.objects.values_list("attempt_time", flat=True)) == [RECENT]


def test_other_audit_events_are_kept_whatever_their_age(consultant) -> None:
    _seed(consultant)
    with time_machine.travel(NOW, tick=False):
        call_command("apply_log_retention")
    assert set(AuditEvent.objects.filter(action=Action.READ).values_list("at", flat=True)) == {OLD, RECENT}


def test_the_run_is_audited_with_its_counts(consultant) -> None:
    _seed(consultant)
    with time_machine.travel(NOW, tick=False):
        call_command("apply_log_retention")
    run = AuditEvent.objects.get(reason__startswith="log retention run")
    assert run.action == Action.DELETE
    assert "audit 4" in run.reason
    assert "axes.accessattempt 1" in run.reason


def test_a_longer_term_keeps_the_records(consultant) -> None:
    store_default_rules(consultant.organisation_id)
    RetentionRule.objects.filter(record_type=RecordType.AUTHENTICATION_LOG).update(term=12)
    _seed(consultant)
    with time_machine.travel(NOW, tick=False):
        call_command("apply_log_retention")
    assert AuditEvent.objects.filter(action=Action.LOGIN).count() == 2
