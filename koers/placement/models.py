"""A placement proposal: the optimiser's answer for one programme's waiting list, line by line, for a planner to
accept in full or in part. Nothing here places anyone: acceptance goes through ``groupwork.placement_services``.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.accounts.models import Organisation
from koers.groupwork.models import GroupRun, Programme, Referral

# A queued or running proposal started longer ago than this was cut off (e.g. a server restart).
STALE_AFTER = datetime.timedelta(minutes=10)


class ProposalStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("In progress")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class PlacementProposal(models.Model):
    """One run of the optimiser over a programme's waiting list, with figures to compare it with other plans."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="placement_proposals")
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="placement_proposals", verbose_name=_("programme")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    status = models.CharField(_("status"), max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    stage = models.CharField(_("stage"), max_length=200, blank=True)
    seed = models.IntegerField(_("seed"), default=0)
    time_limit_s = models.PositiveIntegerField(_("time limit (seconds)"), default=20)
    # {"<referral id>": <run id>}: placements the planner fixed before this run.
    pinned = models.JSONField(_("fixed placements"), default=dict, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("problem"), blank=True)  # a safe message, never personal data
    # {"proposal": {...}, "current": {...}, "first_come": {...}}, each with the metrics of check.check.
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reruns",
        verbose_name=_("previous proposal"),
    )

    class Meta:
        verbose_name = _("placement proposal")
        verbose_name_plural = _("placement proposals")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "-created_at"], name="proposal_org_created")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.programme_id}"

    @property
    def is_finished(self) -> bool:
        return self.status in (ProposalStatus.DONE, ProposalStatus.FAILED)

    @property
    def is_active(self) -> bool:
        return self.status in (ProposalStatus.QUEUED, ProposalStatus.RUNNING)

    @property
    def is_stale(self) -> bool:
        """Still marked active, but started so long ago that the process running it must be gone: show as failed."""
        since = self.started_at or self.created_at
        return self.is_active and since is not None and timezone.now() - since > STALE_AFTER


class LineStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Could not be placed")


class ProposalLine(models.Model):
    """The proposal for one waiting referral: a run (or none) with the reason, in codes rendered at display time."""

    proposal = models.ForeignKey(PlacementProposal, on_delete=models.CASCADE, related_name="lines")
    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="proposal_lines", verbose_name=_("referral")
    )
    group_run = models.ForeignKey(
        GroupRun,
        on_delete=models.CASCADE,
        related_name="proposal_lines",
        null=True,
        blank=True,
        verbose_name=_("group run"),
    )
    pinned = models.BooleanField(_("fixed by the planner"), default=False)
    reason_code = models.CharField(_("reason"), max_length=40)
    reason_params = models.JSONField(default=dict, blank=True)
    warnings = models.JSONField(default=list, blank=True)  # codes: "need_unmet", "late", "location"
    wait_days = models.IntegerField(_("waiting days"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=LineStatus.choices, default=LineStatus.PROPOSED)
    outcome = models.CharField(_("outcome"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("proposal line")
        verbose_name_plural = _("proposal lines")
        ordering = ["proposal", "id"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "referral"], name="unique_proposal_referral"),
        ]

    def __str__(self) -> str:
        return f"#{self.proposal_id}: {self.referral_id} → {self.group_run_id}"

    @property
    def is_placed(self) -> bool:
        return self.group_run_id is not None
