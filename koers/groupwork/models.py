"""Programme catalogue, rooms, trainers and group runs (the base that the group-work issue extends)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from koers.accounts.models import Municipality, Organisation
from koers.clients.models import Client


class GoalType(models.TextChoices):
    DIAGNOSIS = "diagnosis", _("Diagnosis instrument")
    SKILLS = "skills", _("Skills")
    JOB = "job", _("Job")
    MINDSET = "mindset", _("Change of mindset")
    KNOWLEDGE = "knowledge", _("Knowledge transfer")


class Programme(models.Model):
    """A group programme in the catalogue (groepsaanbod)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="programmes")
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80)
    description = models.TextField(_("description"), blank=True)
    goal_type = models.CharField(_("goal type"), max_length=16, choices=GoalType.choices)
    target_group = models.TextField(_("target group"), blank=True)
    session_count = models.PositiveSmallIntegerField(_("number of sessions"), validators=[MinValueValidator(1)])
    session_minutes = models.PositiveSmallIntegerField(_("session length (minutes)"))
    min_size = models.PositiveSmallIntegerField(_("minimum group size"))
    max_size = models.PositiveSmallIntegerField(_("maximum group size"))
    is_mandatory = models.BooleanField(_("mandatory"), default=False)
    is_evening = models.BooleanField(_("in the evening"), default=False)
    is_continuous = models.BooleanField(_("continuous intake"), default=False)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="unique_programme_slug"),
            models.CheckConstraint(condition=models.Q(min_size__lte=models.F("max_size")), name="programme_size"),
        ]

    def __str__(self) -> str:
        return self.name


class Room(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="rooms")
    name = models.CharField(_("name"), max_length=120)
    location = models.CharField(_("location"), max_length=200)
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    has_daylight = models.BooleanField(_("daylight"), default=True)
    accessible_without_escort = models.BooleanField(_("accessible without security escort"), default=True)
    has_av = models.BooleanField(_("audio-visual equipment"), default=False)

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["location", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.location})"


class TrainerProfile(models.Model):
    """A staff member in the trainer pool, with the hours they can give to groups."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trainer_profile")
    hours_per_week = models.DecimalField(
        _("hours per week for groups"), max_digits=4, decimal_places=1, default=Decimal("8.0")
    )
    competences = models.CharField(_("competences"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("trainer")
        verbose_name_plural = _("trainers")

    def __str__(self) -> str:
        return str(self.user)


class RunStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RUNNING = "running", _("Running")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class GroupRun(models.Model):
    """One run of a programme: a group that meets on set dates in a room with its trainers."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="runs")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="group_runs", null=True, blank=True
    )
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="runs", null=True, blank=True)
    trainers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="group_runs", blank=True)
    start_date = models.DateField(_("start date"))
    status = models.CharField(_("status"), max_length=16, choices=RunStatus.choices, default=RunStatus.PLANNED)

    class Meta:
        verbose_name = _("group run")
        verbose_name_plural = _("group runs")
        ordering = ["start_date", "id"]
        indexes = [models.Index(fields=["start_date"], name="run_start")]

    def __str__(self) -> str:
        return f"{self.programme} {self.start_date:%d-%m-%Y}"


class Participation(models.Model):
    """A client's place in a group run."""

    group_run = models.ForeignKey(GroupRun, on_delete=models.CASCADE, related_name="participations")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="participations")
    joined_on = models.DateField(_("joined on"))

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [models.UniqueConstraint(fields=["group_run", "client"], name="unique_participation")]

    def __str__(self) -> str:
        return f"{self.client_id} in {self.group_run_id}"
