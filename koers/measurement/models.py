"""Individual effect measurement (DOMAIN.md §3, §6): versioned questionnaires and repeated measurements.

A questionnaire belongs to an organisation (no public IGM questionnaire exists, so each defines its own). Its
content lives in versions: a draft can be edited, a published version is frozen, so answers given to it keep their
meaning when a new version appears. A measurement is one filling-in of one version for one trajectory, by the
client (through a personal link) or entered by the professional in a conversation; its scale scores are computed
once, when it is completed, and stored beside the answers.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from koers.accounts.models import Organisation
from koers.trajectories.models import IgmFactor, LifeDomain, Trajectory


class Questionnaire(models.Model):
    """A measurement instrument of one organisation; its items and scales live in versions."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="measurement_questionnaires")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    is_validated = models.BooleanField(
        _("validated"), default=False, help_text=_("Only when published research supports the scales.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("measurement questionnaire")
        verbose_name_plural = _("measurement questionnaires")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unique_measurement_questionnaire_name")
        ]

    def __str__(self) -> str:
        return self.name


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class QuestionnaireVersion(models.Model):
    """The items and scales at one moment. Published versions never change (``services.publish_version``)."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=16, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    introduction = models.TextField(_("introduction for the respondent"), blank=True)
    answer_min = models.PositiveSmallIntegerField(_("lowest answer"), default=1)
    answer_max = models.PositiveSmallIntegerField(_("highest answer"), default=5)
    # One label per answer value, lowest first, e.g. ["Helemaal niet mee eens", …, "Helemaal mee eens"].
    answer_labels = models.JSONField(_("answer labels"), default=list)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")
        ordering = ["questionnaire", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "number"], name="unique_questionnaire_version"),
            models.CheckConstraint(condition=models.Q(answer_max__gt=models.F("answer_min")), name="answer_range"),
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} v{self.number}"

    @property
    def is_published(self) -> bool:
        return self.status == VersionStatus.PUBLISHED


class ScaleKind(models.TextChoices):
    IGM_FACTOR = "igm_factor", _("IGM factor")
    LIFE_DOMAIN = "life_domain", _("Life domain")
    OTHER = "other", _("Other")


class Scale(models.Model):
    """A scale of a version: the mean of its items (reverse-scored items flipped first).

    ``reliability`` and ``reference_sd`` (the standard deviation of first measurements in a reference group) drive
    the Reliable Change Index; without them a change is shown without a verdict. ``source`` says where the numbers
    come from, because an RCI is only as good as them.
    """

    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.CASCADE, related_name="scales")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=ScaleKind.choices)
    igm_factor = models.CharField(_("IGM factor"), max_length=16, choices=IgmFactor.choices, blank=True)
    life_domain = models.CharField(_("life domain"), max_length=16, choices=LifeDomain.choices, blank=True)
    reliability = models.DecimalField(_("reliability"), max_digits=4, decimal_places=3, null=True, blank=True)
    reference_mean = models.DecimalField(_("reference mean"), max_digits=6, decimal_places=3, null=True, blank=True)
    reference_sd = models.DecimalField(
        _("reference standard deviation"), max_digits=6, decimal_places=3, null=True, blank=True
    )
    higher_is_better = models.BooleanField(_("higher is better"), default=True)
    source = models.CharField(_("source of reliability and reference values"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("scale")
        verbose_name_plural = _("scales")
        ordering = ["version", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="unique_scale_code_per_version"),
            models.CheckConstraint(
                condition=models.Q(reliability__isnull=True) | models.Q(reliability__gt=0, reliability__lt=1),
                name="scale_reliability_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def supports_reliable_change(self) -> bool:
        return self.reliability is not None and self.reference_sd is not None and self.reference_sd > 0


class Item(models.Model):
    """One statement or question, in B1 Dutch, scored on the version's answer range."""

    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.CASCADE, related_name="items")
    scale = models.ForeignKey(Scale, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("text"), max_length=300)
    reverse_scored = models.BooleanField(_("reverse scored"), default=False)

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["version", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "position"], name="unique_item_position")]

    def __str__(self) -> str:
        return self.text


class Moment(models.TextChoices):
    START = "start", _("Start")
    INTERIM = "interim", _("Interim")
    END = "end", _("End")
    EXTRA = "extra", _("Extra")


class Phase(models.TextChoices):
    """Single-case phases: A (baseline, before the intervention) and B (during it), then follow-up."""

    BASELINE = "baseline", _("Baseline")
    INTERVENTION = "intervention", _("Intervention")
    FOLLOW_UP = "follow_up", _("Follow-up")


class Respondent(models.TextChoices):
    CLIENT = "client", _("Client")
    PROFESSIONAL = "professional", _("Professional")


class MeasurementStatus(models.TextChoices):
    OPEN = "open", _("Open")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Measurement(models.Model):
    """One filling-in of a questionnaire version within a trajectory."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="measurements")
    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.PROTECT, related_name="measurements")
    moment = models.CharField(_("moment"), max_length=16, choices=Moment.choices)
    phase = models.CharField(_("phase"), max_length=16, choices=Phase.choices, default=Phase.INTERVENTION)
    respondent = models.CharField(_("filled in by"), max_length=16, choices=Respondent.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=MeasurementStatus.choices, default=MeasurementStatus.OPEN
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    taken_on = models.DateField(_("taken on"), null=True, blank=True)
    # When the answers were stored, whatever ``taken_on`` says: group effects count only what was recorded in time.
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["trajectory", "taken_on", "id"]
        indexes = [models.Index(fields=["trajectory", "status", "taken_on"], name="measurement_series")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=MeasurementStatus.COMPLETED) | models.Q(taken_on__isnull=False),
                name="completed_measurement_has_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.trajectory_id} {self.moment} {self.taken_on or self.due_on}"


class MeasurementAnswer(models.Model):
    measurement = models.ForeignKey(Measurement, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="answers")
    value = models.PositiveSmallIntegerField(_("answer"))

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["measurement", "item"], name="one_answer_per_item")]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.value}"


class ScaleScore(models.Model):
    """A scale's score in one measurement, computed when the measurement is completed."""

    measurement = models.ForeignKey(Measurement, on_delete=models.CASCADE, related_name="scale_scores")
    scale = models.ForeignKey(Scale, on_delete=models.PROTECT, related_name="scores")
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=3)

    class Meta:
        verbose_name = _("scale score")
        verbose_name_plural = _("scale scores")
        constraints = [models.UniqueConstraint(fields=["measurement", "scale"], name="one_score_per_scale")]

    def __str__(self) -> str:
        return f"{self.scale_id}: {self.score}"


class MeasurementLink(models.Model):
    """A client's personal, single-use, expiring link to one open measurement.

    Only the SHA-256 of the random token is stored (the evaluation link's rules); the link is bound to this one
    measurement and closes when it is answered, when it expires or when a new link replaces it.
    """

    measurement = models.ForeignKey(Measurement, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("measurement link")
        verbose_name_plural = _("measurement links")

    def __str__(self) -> str:
        return f"link {self.pk} to measurement {self.measurement_id}"


class MeasurementPolicy(models.Model):
    """An organisation's measurement moments: at the start, every N weeks, at the end."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="measurement_policy")
    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("questionnaire"),
    )
    start_within_days = models.PositiveSmallIntegerField(_("start measurement within (days)"), default=14)
    interval_weeks = models.PositiveSmallIntegerField(_("repeat every (weeks)"), default=13)
    measure_at_end = models.BooleanField(_("measure at the end"), default=True)
    link_valid_days = models.PositiveSmallIntegerField(_("personal link valid for (days)"), default=14)
    group_window_days = models.PositiveSmallIntegerField(
        _("group effects: measurement at most this many days before the start or after the end"), default=42
    )

    class Meta:
        verbose_name = _("measurement policy")
        verbose_name_plural = _("measurement policies")

    def __str__(self) -> str:
        return f"{self.organisation}"
