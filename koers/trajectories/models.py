"""The Gewogen Maatwerk trajectory: diagnosis (life domains, IGM), plan (goals, instruments) and progress reports.

Every record hangs off a trajectory, and a trajectory off a client, so access follows the client's scoping.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from koers.accounts.models import Organisation
from koers.clients.models import Client


class OutflowReason(models.TextChoices):
    WORK_FULL_TIME = "work_full_time", _("Work, full-time")
    WORK_PART_TIME = "work_part_time", _("Work, part-time")
    EDUCATION = "education", _("Education")
    OTHER_PARTICIPATION = "other_participation", _("Other participation")
    MOVED = "moved", _("Moved")
    OTHER = "other", _("Other")


class Trajectory(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="trajectories")
    started_on = models.DateField(_("start date"))
    ended_on = models.DateField(_("end date"), null=True, blank=True)
    outflow_reason = models.CharField(_("outflow reason"), max_length=32, choices=OutflowReason.choices, blank=True)
    future_perspective = models.TextField(
        _("desired future perspective"), blank=True, help_text=_("In the client's own words.")
    )
    strengths = models.TextField(
        _("strengths and possibilities"), blank=True, help_text=_("In the client's own words.")
    )
    plan_agreed_on = models.DateField(_("plan agreed on"), null=True, blank=True)
    plan_agreement = models.TextField(
        _("client's agreement"), blank=True, help_text=_("How the client agreed to the plan, in their own words.")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("trajectory")
        verbose_name_plural = _("trajectories")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
                name="trajectory_end_after_start",
            ),
            models.UniqueConstraint(
                fields=["client"], condition=models.Q(ended_on__isnull=True), name="one_open_trajectory_per_client"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client} {self.started_on:%d-%m-%Y}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None


class LifeDomain(models.TextChoices):
    """The eight life domains of the Amersfoort principles (principle 9)."""

    HOUSING = "housing", _("Housing")
    FINANCES = "finances", _("Finances")
    SOCIAL = "social", _("Social functioning")
    MENTAL = "mental", _("Mental functioning")
    MOTIVATION = "motivation", _("Motivation")
    PHYSICAL = "physical", _("Physical functioning")
    PRACTICAL = "practical", _("Practical functioning")
    DAYTIME = "daytime", _("Daytime activities")


class SelfReliance(models.IntegerChoices):
    """A 1–5 self-reliance scale; 1 marks an urgent barrier that comes first (principle 8)."""

    ACUTE = 1, _("1 – acute problems")
    NOT_SELF_RELIANT = 2, _("2 – not self-reliant")
    LIMITED = 3, _("3 – limited self-reliance")
    SUFFICIENT = 4, _("4 – sufficiently self-reliant")
    FULL = 5, _("5 – fully self-reliant")


URGENT_BARRIER = SelfReliance.ACUTE


class LifeDomainAssessment(models.Model):
    """The eight domains scored at one moment; repeated over time to show change."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="life_domain_assessments")
    assessed_on = models.DateField(_("assessed on"))
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("life-domain assessment")
        verbose_name_plural = _("life-domain assessments")
        ordering = ["-assessed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.trajectory_id} {self.assessed_on}"


class LifeDomainScore(models.Model):
    assessment = models.ForeignKey(LifeDomainAssessment, on_delete=models.CASCADE, related_name="scores")
    domain = models.CharField(_("life domain"), max_length=16, choices=LifeDomain.choices)
    score = models.PositiveSmallIntegerField(_("score"), choices=SelfReliance.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("life-domain score")
        verbose_name_plural = _("life-domain scores")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "domain"], name="one_score_per_domain"),
            models.CheckConstraint(condition=models.Q(score__gte=1, score__lte=5), name="life_domain_score_range"),
        ]

    def __str__(self) -> str:
        return f"{self.get_domain_display()}: {self.score}"

    @property
    def is_urgent_barrier(self) -> bool:
        return self.score == URGENT_BARRIER


class IgmFactor(models.TextChoices):
    """The Integratief GedragsModel: willen (attitude, norm, self-efficacy → intention) and kunnen."""

    ATTITUDE = "attitude", _("Attitude")
    PERCEIVED_NORM = "perceived_norm", _("Perceived norm")
    SELF_EFFICACY = "self_efficacy", _("Self-efficacy")
    INTENTION = "intention", _("Intention")
    SKILLS = "skills", _("Skills and knowledge")
    BARRIERS = "barriers", _("Environmental barriers")


WILLEN = (IgmFactor.ATTITUDE, IgmFactor.PERCEIVED_NORM, IgmFactor.SELF_EFFICACY, IgmFactor.INTENTION)
KUNNEN = (IgmFactor.SKILLS, IgmFactor.BARRIERS)


class IgmProfile(models.Model):
    """The IGM diagnosis at one moment, about one target behaviour (e.g. "apply for jobs outside retail")."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="igm_profiles")
    target_behaviour = models.CharField(_("target behaviour"), max_length=300)
    assessed_on = models.DateField(_("assessed on"))
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("IGM profile")
        verbose_name_plural = _("IGM profiles")
        ordering = ["-assessed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.target_behaviour} ({self.assessed_on})"


class IgmFactorScore(models.Model):
    profile = models.ForeignKey(IgmProfile, on_delete=models.CASCADE, related_name="factors")
    factor = models.CharField(_("factor"), max_length=16, choices=IgmFactor.choices)
    score = models.PositiveSmallIntegerField(
        _("score"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 = strongly hinders the target behaviour, 5 = strongly supports it."),
    )
    description = models.CharField(_("description"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("IGM factor score")
        verbose_name_plural = _("IGM factor scores")
        constraints = [
            models.UniqueConstraint(fields=["profile", "factor"], name="one_score_per_factor"),
            models.CheckConstraint(condition=models.Q(score__gte=1, score__lte=5), name="igm_score_range"),
        ]

    def __str__(self) -> str:
        return f"{self.get_factor_display()}: {self.score}"


class GoalStatus(models.TextChoices):
    OPEN = "open", _("Working on it")
    ACHIEVED = "achieved", _("Achieved")
    ADJUSTED = "adjusted", _("Adjusted")
    STOPPED = "stopped", _("Stopped")


class Goal(models.Model):
    """A goal in the client's own words; a goal with a parent is an intermediate goal toward it."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="goals")
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="steps",
        verbose_name=_("intermediate goal of"),
    )
    text = models.CharField(_("goal in the client's words"), max_length=500)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=GoalStatus.choices, default=GoalStatus.OPEN)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["target_date", "id"]

    def __str__(self) -> str:
        return self.text


class InstrumentKind(models.TextChoices):
    COACHING = "coaching", _("Individual coaching")
    GROUP_PROGRAMME = "group_programme", _("Group programme")
    SCHOOLING = "schooling", _("Schooling")
    WORK_EXPERIENCE = "work_experience", _("Work-experience place")
    JOB_HUNTING = "job_hunting", _("Job hunting support")
    DEBT_HELP = "debt_help", _("Debt help referral")
    OTHER = "other", _("Other")


class InstrumentType(models.Model):
    """An entry of the organisation's configurable instrument catalogue."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="instrument_types")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=InstrumentKind.choices)
    default_weeks = models.PositiveSmallIntegerField(_("usual duration (weeks)"), null=True, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("instrument type")
        verbose_name_plural = _("instrument catalogue")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="unique_instrument_type")]

    def __str__(self) -> str:
        return self.name


class InstrumentStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    STOPPED = "stopped", _("Stopped")


class Instrument(models.Model):
    """An instrument deployed for a goal, with a planned duration and a review date (principle 10)."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="instruments")
    instrument_type = models.ForeignKey(
        InstrumentType, on_delete=models.PROTECT, related_name="instruments", verbose_name=_("instrument")
    )
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="instruments", verbose_name=_("goal"))
    purpose = models.CharField(_("purpose"), max_length=500)
    expected_result = models.CharField(_("expected result"), max_length=500)
    started_on = models.DateField(_("start date"), null=True, blank=True)
    planned_weeks = models.PositiveSmallIntegerField(_("planned duration (weeks)"))
    review_on = models.DateField(_("review date"))
    status = models.CharField(
        _("status"), max_length=16, choices=InstrumentStatus.choices, default=InstrumentStatus.PLANNED
    )
    outcome = models.TextField(_("outcome"), blank=True)
    ended_on = models.DateField(_("end date"), null=True, blank=True)
    stop_reason = models.CharField(_("reason for stopping"), max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        ordering = ["review_on", "id"]
        indexes = [models.Index(fields=["status", "review_on"], name="instrument_review")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="stopped") | ~models.Q(stop_reason=""), name="stopped_needs_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument_type} – {self.purpose}"


class ProgressReport(models.Model):
    """A voortgangsrapportage along the IGM facets; life-domain changes come from the assessment it links."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="progress_reports")
    written_on = models.DateField(_("date"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    summary = models.TextField(_("summary"), blank=True)
    life_domain_assessment = models.ForeignKey(
        LifeDomainAssessment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("life-domain assessment"),
    )
    igm_profile = models.ForeignKey(
        IgmProfile, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("IGM profile")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-written_on", "-id"]
        indexes = [models.Index(fields=["trajectory", "-written_on"], name="report_latest")]

    def __str__(self) -> str:
        return f"{self.trajectory_id} {self.written_on}"


class ProgressReportFacet(models.Model):
    """Per IGM facet: what changed in the period and what comes next."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="facets")
    factor = models.CharField(_("factor"), max_length=16, choices=IgmFactor.choices)
    changed = models.TextField(_("what changed"), blank=True)
    next_steps = models.TextField(_("what is next"), blank=True)

    class Meta:
        verbose_name = _("progress report facet")
        verbose_name_plural = _("progress report facets")
        constraints = [models.UniqueConstraint(fields=["report", "factor"], name="one_facet_per_factor")]

    def __str__(self) -> str:
        return self.get_factor_display()
