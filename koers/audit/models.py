"""The audit trail (who did what to which record, when, and why) and the processing log (LDV: which processing
touched which data subject, without naming the user). Both are append-only hash chains, see ``chain.py``."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    READ = "read", _("read")
    CREATE = "create", _("create")
    UPDATE = "update", _("update")
    DELETE = "delete", _("delete")
    EXPORT = "export", _("export")
    PRINT = "print", _("print")
    LOGIN = "login", _("log in")
    LOGIN_FAILED = "login_failed", _("failed login")
    LOGOUT = "logout", _("log out")
    MFA = "mfa", _("second factor")
    TOKEN = "token", _("API token issued")
    INTEGRITY = "integrity", _("log integrity broken")
    THROTTLED = "throttled", _("refused: too many requests")


class ChainedLog(models.Model):
    """A log row that ``chain.seal`` links to its predecessor; rows are inserted unsealed so inserts never wait."""

    chain_seq = models.BigIntegerField(_("chain position"), null=True, blank=True, unique=True, editable=False)
    prev_hash = models.CharField(_("previous hash"), max_length=64, blank=True, editable=False)
    entry_hash = models.CharField(_("hash"), max_length=64, blank=True, editable=False)

    # The columns the hash covers; the database triggers refuse any change to them.
    hashed_fields: ClassVar[tuple[str, ...]]

    class Meta:
        abstract = True


class AuditEvent(ChainedLog):
    """One event. Client ids are plain numbers, not foreign keys, so the trail outlives the dossier.

    The link to the account (``actor``) is not hashed: it may be cleared when the account goes; the username stays.
    """

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_username = models.CharField(_("user"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    client_id = models.BigIntegerField(_("client"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)

    hashed_fields = (
        "id",
        "at",
        "actor_username",
        "action",
        "object_type",
        "object_id",
        "client_id",
        "reason",
        "request_id",
        "ip_address",
    )

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["client_id", "-at"], name="audit_client_at"),
            models.Index(fields=["id"], condition=models.Q(entry_hash=""), name="audit_event_unsealed"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.object_type} {self.object_id}"


class ProcessingStatus(models.TextChoices):
    OK = "ok", _("completed")
    ERROR = "error", _("failed")


class ProcessingLogEntry(ChainedLog):
    """One processing of one data subject (Logboek Dataverwerkingen, W3C trace context); deliberately no user."""

    trace_id = models.CharField(_("trace id"), max_length=32)
    span_id = models.CharField(_("span id"), max_length=16)
    parent_span_id = models.CharField(_("parent span id"), max_length=16, blank=True)
    name = models.CharField(_("name"), max_length=100)
    started_at = models.DateTimeField(_("started at"))
    status = models.CharField(_("status"), max_length=8, choices=ProcessingStatus.choices)
    processing_activity = models.CharField(_("processing activity"), max_length=200)
    data_subject = models.CharField(_("data subject"), max_length=64)
    data_subject_type = models.CharField(_("data subject type"), max_length=32)

    hashed_fields = (
        "id",
        "trace_id",
        "span_id",
        "parent_span_id",
        "name",
        "started_at",
        "status",
        "processing_activity",
        "data_subject",
        "data_subject_type",
    )

    class Meta:
        verbose_name = _("processing log entry")
        verbose_name_plural = _("processing log entries")
        indexes = [
            models.Index(fields=["trace_id"], name="audit_processing_trace"),
            models.Index(fields=["data_subject", "started_at"], name="audit_processing_subject"),
            models.Index(fields=["id"], condition=models.Q(entry_hash=""), name="audit_processing_unsealed"),
        ]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.name} {self.trace_id}"


class ChainCheckpoint(models.Model):
    """The hash of a sealed row deleted by the retention job, so the chain can be checked across the gap."""

    table_name = models.CharField(max_length=64)
    seq = models.BigIntegerField()
    entry_hash = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["table_name", "seq"], name="audit_checkpoint_unique")]

    def __str__(self) -> str:
        return f"{self.table_name} {self.seq}"


class RetentionGate(models.Model):
    """A row here, inside the retention job's own transaction, is what lets the triggers allow a delete.

    Unmanaged: its table is made by migration 0002 and left out of ``flush``, which opens the gate itself.
    """

    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        managed = False
        db_table = "audit_retentiongate"

    def __str__(self) -> str:
        return f"retention gate opened {self.opened_at:%Y-%m-%d %H:%M:%S}"
