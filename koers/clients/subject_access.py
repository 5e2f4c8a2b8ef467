"""The access export (AVG art. 15): everything Koers holds about one client, as plain data for the JSON and the PDF.

The sections come from ``subject_data.client_linked_models()``, so a model added later is exported without a change
here; every concrete field is shown with its verbose name. One query per model, plus a few, whatever the number of
rows. The client asks for their own data, so sensitive values and the full BSN are included; the staff who consulted
the dossier are named by role only, unless the privacy officer (FG) decided otherwise (``KOERS_ACCESS_EXPORT_NAMES``).
"""

import datetime
import decimal
import json
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from koers.accounts.models import RoleAssignment
from koers.accounts.roles import Role
from koers.audit.activities import ACTIVITIES, activity_for
from koers.audit.models import AuditEvent
from koers.audit.reasons import reason_label
from koers.clients.models import Client
from koers.clients.subject_data import client_linked_models

SCHEMA_VERSION = 1


def names_shown() -> bool:
    return bool(getattr(settings, "KOERS_ACCESS_EXPORT_NAMES", False))


def _staff_label(user: Any) -> str:
    return user.get_full_name() or user.get_username()


def _plain(field: models.Field, obj: models.Model) -> Any:
    """The field's value as JSON-ready data: choice labels, ISO dates, related records by number (staff by role)."""
    if field.is_relation:
        related_id = getattr(obj, field.attname)
        if related_id is None:
            return None
        if field.related_model is not get_user_model():
            return related_id
        return _staff_label(getattr(obj, field.name)) if names_shown() else _("a staff member")
    value = getattr(obj, field.attname)
    if field.choices and value not in (None, ""):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.timedelta):
        return str(value)
    return value


def _section(model: type[models.Model], rows: list[models.Model]) -> dict[str, Any]:
    fields = list(model._meta.concrete_fields)
    return {
        "model": model._meta.label_lower,
        "title": str(model._meta.verbose_name_plural).capitalize(),
        "fields": [{"name": field.name, "label": str(field.verbose_name).capitalize()} for field in fields],
        "rows": [{field.name: _plain(field, row) for field in fields} for row in rows],
    }


def _linked_rows(client_id: int) -> list[dict[str, Any]]:
    """One query per linked model; staff fields are joined only when names are shown."""
    user_model = get_user_model()
    sections = []
    for link in client_linked_models():
        rows = link.rows(client_id)
        if names_shown():
            staff = [f.name for f in link.model._meta.concrete_fields if f.related_model is user_model]
            rows = rows.select_related(*staff)
        sections.append(_section(link.model, list(rows)))
    return sections


def _role_labels(actor_ids: set[int]) -> dict[int, list[str]]:
    labels: dict[int, list[str]] = {}
    for user_id, role in RoleAssignment.objects.filter(user_id__in=actor_ids).values_list("user_id", "role"):
        labels.setdefault(user_id, []).append(str(Role(role).label))
    return {user_id: sorted(roles) for user_id, roles in labels.items()}


def _access_log(client_id: int) -> list[dict[str, Any]]:
    """Who consulted or changed the dossier when and for which purpose; employees by role (names if the FG decided)."""
    events = AuditEvent.objects.filter(client_id=client_id).order_by("at", "id")
    if names_shown():
        events = events.select_related("actor")
    events_list = list(events)
    roles = _role_labels({event.actor_id for event in events_list if event.actor_id is not None})
    log = []
    for event in events_list:
        entry: dict[str, Any] = {
            "at": event.at.isoformat(),
            "action": event.get_action_display(),
            "reason": reason_label(event.reason),
            "purpose": str(activity_for(event.object_type).name),
            "roles": roles.get(event.actor_id, []) if event.actor_id else [_("Koers (automatic)")],
        }
        if names_shown():
            entry["name"] = _staff_label(event.actor) if event.actor else ""
        log.append(entry)
    return log


def subject_access_export(client: Client) -> dict[str, Any]:
    """The complete export of ``client``: data, purposes and legal bases, recipients, retention, processing log."""
    return {
        "schema_version": SCHEMA_VERSION,
        "generated_at": timezone.now().isoformat(),
        "controller": client.organisation.name,
        "client": {"number": client.pk, "name": client.full_name, "bsn": client.bsn},
        "purposes": [
            {
                "code": activity.code,
                "name": str(activity.name),
                "purpose": str(activity.purpose),
                "legal_basis": str(activity.legal_basis),
                "register": activity.uri,
            }
            for activity in ACTIVITIES.values()
        ],
        "recipients": [
            {
                "name": client.municipality.name,
                "role": _(
                    "The municipality that commissions and pays for the guidance; it receives reports about your "
                    "trajectory and aggregated figures."
                ),
            }
        ],
        "retention": _(
            "Your dossier is kept for 10 years after the end of your last trajectory and then destroyed "
            "(Selectielijst gemeenten en intergemeentelijke organen 2020, result 8.1 provided / 8.3 ended)."
        ),
        "sections": _linked_rows(client.pk),
        "access_log": _access_log(client.pk),
    }


def _text(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def printable_sections(export: dict[str, Any]) -> list[dict[str, Any]]:
    """The data sections as label–text pairs per row, for the PDF."""
    return [
        {
            "title": section["title"],
            "model": section["model"],
            "rows": [
                [(field["label"], _text(row[field["name"]])) for field in section["fields"]] for row in section["rows"]
            ],
        }
        for section in export["sections"]
    ]
