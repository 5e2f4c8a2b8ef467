"""Reports for the municipalities that pay and for management (DOMAIN.md §4, accountability).

The figures themselves are never stored: they are aggregated from the group-work, trajectory and measurement data
each time. Stored are the organisation's cost assumptions and the exports made in the background, so that the
person who asked can follow the progress and download the file once it is ready.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from koers.accounts.models import Organisation


class CostAssumptions(models.Model):
    """What an hour costs and what the individual alternative to a group would take (the seed: concretise it)."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="cost_assumptions")
    trainer_hourly_rate = models.DecimalField(
        _("trainer hourly rate (€)"), max_digits=7, decimal_places=2, default=Decimal("78.00")
    )
    consultant_hourly_rate = models.DecimalField(
        _("consultant hourly rate (€)"), max_digits=7, decimal_places=2, default=Decimal("78.00")
    )
    individual_minutes_per_session = models.PositiveSmallIntegerField(
        _("minutes of individual conversation that replace one group session"),
        default=60,
        validators=[MinValueValidator(1)],
        help_text=_("The time a consultant would spend with one client to cover what one group session covers."),
    )
    individual_overhead_minutes = models.PositiveSmallIntegerField(
        _("minutes of preparation and reporting per individual conversation"), default=15
    )
    room_hours_per_day = models.DecimalField(
        _("hours a room is available per working day"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("8.00"),
        validators=[MinValueValidator(Decimal("0.25"))],
    )

    class Meta:
        verbose_name = _("cost assumptions")
        verbose_name_plural = _("cost assumptions")

    def __str__(self) -> str:
        return f"{self.organisation}"


class ReportKind(models.TextChoices):
    FINANCIER = "financier", _("Financier report")
    MANAGEMENT = "management", _("Management report")


class ExportFormat(models.TextChoices):
    XLSX = "xlsx", _("Excel (XLSX)")
    CSV = "csv", _("CSV")
    PDF = "pdf", _("PDF")


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("In progress")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ReportExport(models.Model):
    """One export of one report, made by a background task; only the person who asked may download it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="report_exports")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_exports")
    kind = models.CharField(_("report"), max_length=16, choices=ReportKind.choices)
    export_format = models.CharField(_("format"), max_length=8, choices=ExportFormat.choices)
    # The report's parameters as the form cleaned them: {"municipality": id, "start": iso, "end": iso, ...}.
    parameters = models.JSONField(default=dict)
    title = models.CharField(_("title"), max_length=300)
    status = models.CharField(_("status"), max_length=16, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    steps_done = models.PositiveSmallIntegerField(default=0)
    steps_total = models.PositiveSmallIntegerField(default=1)
    step_label = models.CharField(max_length=200, blank=True)
    error = models.CharField(max_length=500, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    content = models.BinaryField(null=True, blank=True, editable=False)
    size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Heartbeat of the task: an export that stops beating was interrupted (worker killed) and is shown as failed.
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("report export")
        verbose_name_plural = _("report exports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["requested_by", "-created_at"], name="report_export_requester")]

    def __str__(self) -> str:
        return f"{self.title} ({self.export_format})"
