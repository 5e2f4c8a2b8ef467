"""Retention rules, legal holds, destruction lists and the permanent record of what was destroyed."""

import datetime
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from koers.accounts.models import Municipality, Organisation
from koers.clients.models import Client
from koers.retention import terms


class RecordType(models.TextChoices):
    CLIENT_DOSSIER = "client_dossier", _("Client dossier (after the end of the last trajectory)")
    WITHDRAWN_REFERRAL = "withdrawn_referral", _("Referral withdrawn before placement")
    AUTHENTICATION_LOG = "authentication_log", _("Authentication log events")


class TermUnit(models.TextChoices):
    DAYS = terms.DAYS, _("days")
    MONTHS = terms.MONTHS, _("months")
    YEARS = terms.YEARS, _("years")


# Selectielijst gemeenten en intergemeentelijke organen 2020; the result texts quote the (Dutch) list.
DEFAULT_RULES: dict[str, dict[str, Any]] = {
    RecordType.CLIENT_DOSSIER: {
        "term": 10,
        "unit": TermUnit.YEARS,
        "selectielijst_code": "8.1 / 8.3",
        "result": "Vernietigen 10 jaar na beëindiging van de dienstverlening aan de cliënt.",
    },
    RecordType.WITHDRAWN_REFERRAL: {
        "term": 42,
        "unit": TermUnit.DAYS,
        "selectielijst_code": "8.4.1",
        "result": "Vernietigen 6 weken na intrekking van de aanmelding.",
    },
    RecordType.AUTHENTICATION_LOG: {
        "term": 6,
        "unit": TermUnit.MONTHS,
        "selectielijst_code": "19.1.24",
        "result": "Vernietigen 6 maanden na aanmaak van de loggegevens.",
    },
}

LEGAL_BASIS = "Archiefwet 1995 art. 3 en 5; Selectielijst gemeenten en intergemeentelijke organen 2020"


class RetentionRule(models.Model):
    """How long one kind of record is kept, per organisation, with the Selectielijst category it follows."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="retention_rules")
    record_type = models.CharField(_("record type"), max_length=32, choices=RecordType.choices)
    term = models.PositiveIntegerField(_("term"), validators=[MinValueValidator(1)])
    unit = models.CharField(_("unit"), max_length=8, choices=TermUnit.choices)
    selectielijst_code = models.CharField(_("Selectielijst category"), max_length=32)
    result = models.CharField(_("Selectielijst result"), max_length=500)

    class Meta:
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")
        ordering = ["organisation", "record_type"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "record_type"], name="unique_retention_rule"),
        ]

    def __str__(self) -> str:
        return f"{self.get_record_type_display()}: {self.term} {self.get_unit_display()}"

    def action_date(self, end: datetime.date) -> datetime.date:
        """The archive action date (archiefactiedatum) of a record that ended on ``end``."""
        return terms.add_term(end, self.term, self.unit)


class LegalHold(models.Model):
    """A reason to keep a dossier past its term (a court case, a complaint, a request of the client)."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="legal_holds")
    reason = models.CharField(_("reason"), max_length=500)
    until = models.DateField(_("held until"), null=True, blank=True, help_text=_("Empty: until lifted."))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(_("set at"), auto_now_add=True)

    class Meta:
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        ordering = ["-set_at", "-id"]

    def __str__(self) -> str:
        return f"{self.client_id} ({self.until or '…'})"


class ListStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    EXECUTED = "executed", _("Executed")


class DestructionList(models.Model):
    """Records proposed for destruction by the administrator; nothing is destroyed before the process owner approves."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="destruction_lists")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=16, choices=ListStatus.choices, default=ListStatus.PROPOSED)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.CharField(_("reason"), max_length=500, blank=True)
    execution_started_at = models.DateTimeField(_("execution started at"), null=True, blank=True)
    executed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    executed_at = models.DateTimeField(_("executed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("destruction list")
        verbose_name_plural = _("destruction lists")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_status_display()}"

    @property
    def is_running(self) -> bool:
        return self.execution_started_at is not None and self.executed_at is None


class ItemOutcome(models.TextChoices):
    PENDING = "pending", _("Not yet executed")
    DESTROYED = "destroyed", _("Destroyed")
    SKIPPED = "skipped", _("Skipped: changed since the proposal")


class DestructionListItem(models.Model):
    """One record on a list: numbers and dates only, never a name or content."""

    destruction_list = models.ForeignKey(DestructionList, on_delete=models.PROTECT, related_name="items")
    record_type = models.CharField(_("record type"), max_length=32, choices=RecordType.choices)
    object_id = models.BigIntegerField(_("object number"))
    client_number = models.BigIntegerField(_("client number"))
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    end_date = models.DateField(_("end date"))
    rule_code = models.CharField(_("Selectielijst category"), max_length=32)
    term = models.PositiveIntegerField(_("term"))
    unit = models.CharField(_("unit"), max_length=8, choices=TermUnit.choices)
    action_date = models.DateField(_("archive action date"))
    outcome = models.CharField(_("outcome"), max_length=16, choices=ItemOutcome.choices, default=ItemOutcome.PENDING)

    class Meta:
        verbose_name = _("destruction list item")
        verbose_name_plural = _("destruction list items")
        ordering = ["destruction_list", "record_type", "action_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["destruction_list", "record_type", "object_id"], name="unique_destruction_item"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.record_type} {self.object_id}"


class AppendOnlyQuerySet(models.QuerySet["DestructionRecord"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("destruction records are permanent")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("destruction records are permanent")


class DestructionRecord(models.Model):
    """The permanent proof of a destruction (verklaring van vernietiging): added once, never changed or removed."""

    destruction_list = models.ForeignKey(DestructionList, on_delete=models.PROTECT, related_name="records")
    record_type = models.CharField(_("record type"), max_length=32, choices=RecordType.choices)
    object_id = models.BigIntegerField(_("object number"))
    client_number = models.BigIntegerField(_("client number"))
    rule = models.CharField(_("rule applied"), max_length=100)
    legal_basis = models.CharField(_("legal basis"), max_length=700)
    executed_at = models.DateTimeField(_("destroyed at"))
    executed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("destruction record")
        verbose_name_plural = _("destruction records")
        ordering = ["destruction_list", "id"]

    def __str__(self) -> str:
        return f"{self.record_type} {self.object_id} ({self.executed_at:%Y-%m-%d})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("destruction records are permanent")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("destruction records are permanent")
