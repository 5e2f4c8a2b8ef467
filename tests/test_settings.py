"""The production profile passes Django's deployment checks and refuses unsafe configuration."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "KOERS_PROFILE": "production",
    "SECRET_KEY": "a-long-random-secret-for-the-deploy-check-0123456789abcdefghijklmnop",
    "ALLOWED_HOSTS": "koers.example.nl",
    "DATABASE_URL": "postgres://koers@localhost/koers",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("KOERS_", "DATABASE_URL", "SECRET_KEY", "DJANGO_"))
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_profile_passes_check_deploy() -> None:
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_profile_refuses_to_start_without(missing: str) -> None:
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_demo_mode_cannot_be_switched_on_in_production() -> None:
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DEMO_MODE)",
        env={**PRODUCTION_ENV, "KOERS_DEMO_MODE": "1"},
    )
    assert result.stdout.strip().splitlines()[-1] == "False", result.stderr


def test_embedded_sqlite_is_durable_and_waits_for_the_write_lock(tmp_path) -> None:
    """WAL with synchronous=FULL: an acknowledged commit survives a power cut (SECURITY.md item 91)."""
    result = manage(
        "shell",
        "-c",
        "from django.db import connection; c = connection.cursor(); "
        "print(c.execute('PRAGMA journal_mode').fetchone()[0], c.execute('PRAGMA synchronous').fetchone()[0], "
        "connection.settings_dict['OPTIONS']['transaction_mode'])",
        env={"KOERS_VAR_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == ["wal", "2", "IMMEDIATE"]  # 2 is FULL
