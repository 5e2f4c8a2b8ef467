"""The ten leading behaviour principles audit (DOMAIN.md §3): per-organisation thresholds and monthly snapshots.

The audit itself is computed from the trajectory data by ``rules.py``; nothing of it is stored per trajectory.
Snapshots keep, per month, consultant and principle, how many open trajectories passed, needed attention or
failed, so the team view can show the trend without recomputing the past.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from koers.accounts.models import Organisation


class PrincipleThresholds(models.Model):
    """The days and weeks the rules use; an organisation's quality staff decide them (defaults from DOMAIN.md §3)."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="principle_thresholds")
    intake_days = models.PositiveSmallIntegerField(
        _("intake period (days): strengths, perspective, goals and first life-domain assessment"), default=28
    )
    plan_days = models.PositiveSmallIntegerField(_("plan agreed and first instrument within (days)"), default=42)
    review_days = models.PositiveSmallIntegerField(
        _("life domains and IGM profile reassessed at least every (days)"), default=91
    )
    urgent_action_days = models.PositiveSmallIntegerField(
        _("action on an urgent barrier in housing or finances within (days)"), default=14
    )
    instrument_warning_days = models.PositiveSmallIntegerField(
        _("warn this many days before an instrument's planned end"), default=14
    )

    class Meta:
        verbose_name = _("principle thresholds")
        verbose_name_plural = _("principle thresholds")

    def __str__(self) -> str:
        return f"{self.organisation}"


class PrincipleSnapshot(models.Model):
    """Counts of one principle's outcomes over one consultant's open trajectories at the end of one month."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="principle_snapshots")
    month = models.DateField(_("month"))  # the first day of the month; counted as of its last day
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="principle_snapshots"
    )
    principle = models.PositiveSmallIntegerField(_("principle"))
    passed = models.PositiveIntegerField(default=0)
    attention = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("principle snapshot")
        verbose_name_plural = _("principle snapshots")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "month", "consultant", "principle"], name="one_snapshot_per_month"
            ),
            models.CheckConstraint(condition=models.Q(principle__gte=1, principle__lte=10), name="principle_number"),
        ]
        indexes = [models.Index(fields=["organisation", "month"], name="principle_snapshot_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.consultant_id} P{self.principle}"
