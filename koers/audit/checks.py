"""Every processing-log line must point at a registered processing activity (SECURITY.md item 60): checked at start.

Audit is the lowest layer, so it learns the other apps from the app registry, never by importing them.
"""

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig, apps
from django.core.checks import CheckMessage, Error

from koers.audit import activities


def check_processing_activities(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = [
        Error(
            f"App {label!r} maps to processing activity {code!r}, which is not registered.",
            hint="Add it to koers.audit.activities.ACTIVITIES or map the app to a registered activity.",
            id="koers_audit.E001",
        )
        for label, code in activities._BY_APP.items()
        if code not in activities.ACTIVITIES
    ]
    for config in apps.get_app_configs():
        if not config.name.startswith("koers."):
            continue
        if config.label not in activities._BY_APP and config.label not in activities.HOLDS_NO_CLIENT_DATA:
            errors.append(
                Error(
                    f"App {config.label!r} has no processing activity.",
                    hint="Map it in koers.audit.activities._BY_APP, or list it in HOLDS_NO_CLIENT_DATA.",
                    id="koers_audit.E002",
                )
            )
    return errors
