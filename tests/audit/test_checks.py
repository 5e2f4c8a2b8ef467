"""Every koers app's records map to a registered processing activity (SECURITY.md item 60), checked at start."""

from koers.audit import activities
from koers.audit.checks import check_processing_activities


def test_the_installed_apps_pass() -> None:
    assert check_processing_activities(None) == []


def test_an_app_without_activity_fails_the_check(monkeypatch) -> None:
    monkeypatch.setattr(activities, "_BY_APP", {k: v for k, v in activities._BY_APP.items() if k != "groupwork"})
    errors = check_processing_activities(None)
    assert [(e.id, "'groupwork'" in e.msg) for e in errors] == [("koers_audit.E002", True)]


def test_an_app_mapped_to_an_unregistered_activity_fails_the_check(monkeypatch) -> None:
    monkeypatch.setitem(activities._BY_APP, "groupwork", "group-therapy")
    assert [e.id for e in check_processing_activities(None)] == ["koers_audit.E001"]


def test_the_check_runs_with_manage_py_check() -> None:
    from django.core import checks

    assert check_processing_activities in checks.registry.registry.get_checks()
