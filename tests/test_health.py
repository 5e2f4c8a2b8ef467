import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_live_answers_without_login(client) -> None:
    response = client.get(reverse("health-live"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_ready_checks_database_and_migrations(client) -> None:
    response = client.get(reverse("health-ready"))
    assert response.status_code == 200
    assert response.json()["pending_migrations"] == 0


def test_ready_reports_pending_migrations(client, monkeypatch) -> None:
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("fake", False)])
    response = client.get(reverse("health-ready"))
    assert response.status_code == 503
    assert response.json()["pending_migrations"] == 1


def test_every_response_carries_a_request_id(client) -> None:
    assert len(client.get(reverse("health-live"))["X-Request-ID"]) == 32
