"""Group work (DOMAIN.md §4): the programme catalogue, rooms and trainers, group runs with their sessions, the
referral from a client's plan through screening, waiting list and placement, attendance, the session log, the
trainer's hand-off signal and the evaluation.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.accounts.models import Municipality, Organisation
from koers.clients.models import CONTRA_INDICATION_KINDS, Client
from koers.groupwork.timemodel import TimeModel
from koers.trajectories.models import Goal, IgmFactor, Instrument, InstrumentType


class GoalType(models.TextChoices):
    DIAGNOSIS = "diagnosis", _("Diagnosis instrument")
    SKILLS = "skills", _("Skills")
    JOB = "job", _("Job")
    MINDSET = "mindset", _("Change of mindset")
    KNOWLEDGE = "knowledge", _("Knowledge transfer")


class Variant(models.TextChoices):
    """How a run is given. A need found at screening asks for a fitting variant (or support beside the group)."""

    STANDARD = "standard", _("Standard")
    SMALL_GROUP = "small_group", _("Small group")
    LANGUAGE_SUPPORT = "language_support", _("Extra language support")
    BLENDED = "blended", _("Blended (partly at home)")


def default_contra_indications() -> list[str]:
    return sorted(CONTRA_INDICATION_KINDS)


class Programme(models.Model):
    """A group programme in the catalogue (groepsaanbod)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="programmes")
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80)
    description = models.TextField(_("description"), blank=True)
    instrument_type = models.ForeignKey(
        InstrumentType,
        on_delete=models.PROTECT,
        related_name="programmes",
        null=True,
        blank=True,
        verbose_name=_("instrument in the plan"),
        help_text=_("The instrument of a client's plan from which consultants refer to this programme."),
    )
    goal_type = models.CharField(_("goal type"), max_length=16, choices=GoalType.choices)
    learning_goals = models.TextField(
        _("learning goals"), blank=True, help_text=_("Clear to municipality, trainer and participant.")
    )
    target_group = models.TextField(_("target group"), blank=True)
    selection_criteria = models.TextField(_("selection criteria"), blank=True)
    contra_indications = models.JSONField(
        _("contra-indications that block a referral"),
        default=default_contra_indications,
        blank=True,
        help_text=_("Kinds of need or contra-indication (clients.FlagKind) that exclude a client from this programme."),
    )
    contra_indication_notes = models.TextField(_("other contra-indications"), blank=True)
    session_count = models.PositiveSmallIntegerField(_("number of sessions"), validators=[MinValueValidator(1)])
    session_minutes = models.PositiveSmallIntegerField(
        _("session length (minutes)"), validators=[MinValueValidator(15), MaxValueValidator(600)]
    )
    min_size = models.PositiveSmallIntegerField(_("minimum group size"), validators=[MinValueValidator(1)])
    max_size = models.PositiveSmallIntegerField(_("maximum group size"), validators=[MinValueValidator(1)])
    small_group_max_size = models.PositiveSmallIntegerField(
        _("maximum size of the small-group variant"), null=True, blank=True
    )
    is_evening = models.BooleanField(_("in the evening"), default=False)
    is_continuous = models.BooleanField(
        _("continuous intake"), default=False, help_text=_("Newcomers can join at any session (doorlopende groep).")
    )
    offers_blended = models.BooleanField(_("blended variant (partly at home)"), default=False)
    offers_small_group = models.BooleanField(_("small-group variant"), default=False)
    offers_language_support = models.BooleanField(_("variant with extra language support"), default=False)
    is_mandatory = models.BooleanField(_("mandatory"), default=False)
    mandatory_reason = models.TextField(
        _("why it is mandatory"), blank=True, help_text=_("Stated in plain words in every invitation.")
    )
    deadline_weeks = models.PositiveSmallIntegerField(
        _("start within (weeks of the application)"),
        null=True,
        blank=True,
        help_text=_("For mandatory programmes: the client must start within this many weeks of the referral."),
    )
    what_to_bring = models.TextField(_("what to bring"), blank=True)
    evaluation_plan = models.TextField(
        _("evaluation plan"), blank=True, help_text=_("Moments and perspectives, fixed before the first run.")
    )
    # Trainer time model: hours of work around one 8-hour training day (seed table; see timemodel.py).
    prep_hours = models.DecimalField(
        _("preparing content and protocol (hours)"), max_digits=4, decimal_places=2, default=Decimal("1.50")
    )
    materials_hours = models.DecimalField(
        _("materials (hours)"), max_digits=4, decimal_places=2, default=Decimal("0.50")
    )
    arrangements_hours = models.DecimalField(
        _("practical arrangements (hours)"), max_digits=4, decimal_places=2, default=Decimal("0.50")
    )
    setup_hours = models.DecimalField(
        _("arriving early and setting up (hours)"), max_digits=4, decimal_places=2, default=Decimal("0.75")
    )
    clearing_hours = models.DecimalField(
        _("clearing up (hours)"), max_digits=4, decimal_places=2, default=Decimal("0.25")
    )
    report_hours = models.DecimalField(
        _("report and evaluation (hours)"), max_digits=4, decimal_places=2, default=Decimal("0.50")
    )
    is_published = models.BooleanField(
        _("published for network partners"), default=True, help_text=_("Shown on the public programme page.")
    )
    is_active = models.BooleanField(_("in use"), default=True)

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

    def time_model(self) -> TimeModel:
        return TimeModel(
            prep=self.prep_hours,
            materials=self.materials_hours,
            arrangements=self.arrangements_hours,
            setup=self.setup_hours,
            clearing=self.clearing_hours,
            report=self.report_hours,
        )

    def offered_variants(self) -> list[str]:
        offered = [Variant.STANDARD]
        offered += [Variant.SMALL_GROUP] if self.offers_small_group else []
        offered += [Variant.LANGUAGE_SUPPORT] if self.offers_language_support else []
        offered += [Variant.BLENDED] if self.offers_blended else []
        return [str(v) for v in offered]


class ProgrammeSession(models.Model):
    """The protocol: what one session of the programme is about. Trainers may deviate, with an argument."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="protocol")
    number = models.PositiveSmallIntegerField(_("session"), validators=[MinValueValidator(1)])
    title = models.CharField(_("title"), max_length=200)
    content = models.TextField(_("content and working methods"), blank=True)

    class Meta:
        verbose_name = _("protocol session")
        verbose_name_plural = _("protocol")
        ordering = ["programme", "number"]
        constraints = [models.UniqueConstraint(fields=["programme", "number"], name="unique_protocol_session")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Room(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="rooms")
    name = models.CharField(_("name"), max_length=120)
    location = models.CharField(_("location"), max_length=200)
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    has_daylight = models.BooleanField(_("daylight"), default=True)
    has_ventilation = models.BooleanField(_("good ventilation"), default=True)
    accessible_without_escort = models.BooleanField(_("accessible without security escort"), default=True)
    door_can_stay_open = models.BooleanField(_("door can stay open for reception"), default=False)
    has_av = models.BooleanField(_("audio-visual equipment"), default=False)
    is_active = models.BooleanField(_("in use"), default=True)

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
    switching_minutes = models.PositiveSmallIntegerField(
        _("switching time per session (minutes)"),
        default=0,
        help_text=_("For consultants who train beside a caseload: time lost switching between the two."),
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
        Municipality,
        on_delete=models.PROTECT,
        related_name="group_runs",
        null=True,
        blank=True,
        verbose_name=_("municipality"),
        help_text=_("Empty: open to clients of every municipality the organisation serves."),
    )
    variant = models.CharField(_("variant"), max_length=20, choices=Variant.choices, default=Variant.STANDARD)
    room = models.ForeignKey(
        Room, on_delete=models.PROTECT, related_name="runs", null=True, blank=True, verbose_name=_("room")
    )
    trainers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="group_runs", blank=True)
    start_date = models.DateField(_("start date"))
    start_time = models.TimeField(_("start time"), default=datetime.time(9, 30))
    status = models.CharField(_("status"), max_length=16, choices=RunStatus.choices, default=RunStatus.PLANNED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("group run")
        verbose_name_plural = _("group runs")
        ordering = ["start_date", "id"]
        indexes = [models.Index(fields=["start_date"], name="run_start")]

    def __str__(self) -> str:
        return f"{self.programme} {self.start_date:%d-%m-%Y}"


class Session(models.Model):
    """One meeting of a run, with the trainer's session log."""

    group_run = models.ForeignKey(GroupRun, on_delete=models.CASCADE, related_name="sessions")
    number = models.PositiveSmallIntegerField(_("session"))
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("start time"))
    ends_at = models.TimeField(_("end time"))
    room = models.ForeignKey(
        Room, on_delete=models.PROTECT, related_name="sessions", null=True, blank=True, verbose_name=_("room")
    )
    is_cancelled = models.BooleanField(_("cancelled"), default=False)
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)
    # Session log (verslag) by the trainer.
    log_done = models.TextField(_("what was done"), blank=True)
    group_phase = models.CharField(
        _("group phase"),
        max_length=16,
        blank=True,
        choices=[
            ("forming", _("Forming")),
            ("storming", _("Storming")),
            ("norming", _("Norming")),
            ("performing", _("Performing")),
            ("adjourning", _("Adjourning")),
        ],
    )
    norms_and_roles = models.TextField(_("norms and roles observed"), blank=True)
    protocol_deviation = models.TextField(
        _("deviation from the protocol and why"), blank=True, help_text=_("The trainer's professional space.")
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    logged_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["date", "starts_at", "id"]
        constraints = [models.UniqueConstraint(fields=["group_run", "number"], name="unique_session_number")]
        indexes = [models.Index(fields=["date", "room"], name="session_date_room")]

    def __str__(self) -> str:
        return f"{self.group_run} #{self.number} {self.date:%d-%m-%Y}"


class ReferralStatus(models.TextChoices):
    SCREENING = "screening", _("Screening")
    WAITING = "waiting", _("Waiting")
    PLACED = "placed", _("Placed")
    STARTED = "started", _("Started")
    COMPLETED = "completed", _("Completed")
    DROPPED_OUT = "dropped_out", _("Dropped out")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    DECLINED = "declined", _("Declined")


OPEN_REFERRAL_STATUSES = (
    ReferralStatus.SCREENING,
    ReferralStatus.WAITING,
    ReferralStatus.PLACED,
    ReferralStatus.STARTED,
)


class Referral(models.Model):
    """A consultant's referral (aanmelding) of a client to a programme, from an instrument in the client's plan."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="referrals")
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("programme")
    )
    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("instrument")
    )
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("goal"))
    added_value = models.TextField(
        _("added value of the group for this client"),
        help_text=_("Why this group, for this client, now? Never “to fill the group”."),
    )
    needed_variant = models.CharField(
        _("variant the client needs"), max_length=20, choices=Variant.choices, default=Variant.STANDARD
    )
    support_note = models.TextField(
        _("extra support beside the group"),
        blank=True,
        help_text=_(
            "What the group and trainer need to know (no diagnosis): e.g. a coach checks in after each session."
        ),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ReferralStatus.choices, default=ReferralStatus.SCREENING
    )
    status_reason = models.CharField(_("reason"), max_length=500, blank=True)
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    referred_on = models.DateField(_("referred on"), default=timezone.localdate)
    deadline = models.DateField(_("start at the latest"), null=True, blank=True)
    screened_on = models.DateField(_("screened on"), null=True, blank=True)
    placed_on = models.DateField(_("placed on"), null=True, blank=True)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    group_run = models.ForeignKey(
        GroupRun, on_delete=models.PROTECT, related_name="referrals", null=True, blank=True, verbose_name=_("group run")
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["referred_on", "id"]
        indexes = [
            models.Index(fields=["programme", "status"], name="referral_programme_status"),
            models.Index(fields=["status", "deadline"], name="referral_status_deadline"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "programme"],
                condition=models.Q(status__in=["screening", "waiting", "placed", "started"]),
                name="one_open_referral_per_programme",
            )
        ]

    def __str__(self) -> str:
        return f"{self.client_id} → {self.programme}"


class ReferralEvent(models.Model):
    """Each status change of a referral with its date and reason: waiting time and drop-out are reported from it."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("status"), max_length=16, choices=ReferralStatus.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.referral_id}: {self.status} {self.at:%d-%m-%Y}"


class Participation(models.Model):
    """A client's place in a group run, from a referral."""

    group_run = models.ForeignKey(GroupRun, on_delete=models.CASCADE, related_name="participations")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="participations")
    referral = models.OneToOneField(
        Referral, on_delete=models.PROTECT, related_name="participation", null=True, blank=True
    )
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [models.UniqueConstraint(fields=["group_run", "client"], name="unique_participation")]

    def __str__(self) -> str:
        return f"{self.client_id} in {self.group_run_id}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    LATE = "late", _("Late")
    EXCUSED = "excused", _("Absent with notice")
    UNEXCUSED = "unexcused", _("Absent without notice")


ABSENT_STATUSES = (AttendanceStatus.EXCUSED, AttendanceStatus.UNEXCUSED)


class Attendance(models.Model):
    """Attendance of one participant at one session. An absence is a signal for the consultant until seen."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="attendances")
    status = models.CharField(_("attendance"), max_length=16, choices=AttendanceStatus.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["session", "participation"], name="unique_attendance")]
        indexes = [models.Index(fields=["status", "acknowledged_at"], name="attendance_signal")]

    def __str__(self) -> str:
        return f"{self.participation_id} @ {self.session_id}: {self.status}"


class InvitationKind(models.TextChoices):
    INVITATION = "invitation", _("Invitation")
    REMINDER = "reminder", _("Reminder")


class InvitationChannel(models.TextChoices):
    LETTER = "letter", _("Letter")
    EMAIL = "email", _("E-mail")


class Invitation(models.Model):
    """That an invitation or reminder went out, by which channel (the text itself follows from the run)."""

    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="invitations")
    kind = models.CharField(max_length=16, choices=InvitationKind.choices)
    channel = models.CharField(max_length=16, choices=InvitationChannel.choices)
    sent_at = models.DateTimeField(default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["sent_at", "id"]
        indexes = [models.Index(fields=["participation", "kind"], name="invitation_kind")]

    def __str__(self) -> str:
        return f"{self.kind} by {self.channel} for {self.participation_id}"


class HandOff(models.Model):
    """The trainer's short signal (kort signaal) at the end of a run: observations per IGM factor and advice."""

    participation = models.OneToOneField(Participation, on_delete=models.CASCADE, related_name="hand_off")
    advice = models.TextField(_("advice to the consultant"))
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("hand-off signal")
        verbose_name_plural = _("hand-off signals")
        indexes = [models.Index(fields=["acknowledged_at"], name="handoff_open")]

    def __str__(self) -> str:
        return f"hand-off for {self.participation_id}"


class HandOffObservation(models.Model):
    hand_off = models.ForeignKey(HandOff, on_delete=models.CASCADE, related_name="observations")
    factor = models.CharField(_("factor"), max_length=16, choices=IgmFactor.choices)
    observation = models.TextField(_("observation"), blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["hand_off", "factor"], name="unique_handoff_factor")]

    def __str__(self) -> str:
        return f"{self.hand_off_id}: {self.factor}"


class Perspective(models.TextChoices):
    PARTICIPANT = "participant", _("Participant")
    TRAINER = "trainer", _("Trainer")
    CONSULTANT = "consultant", _("Consultant")


class Questionnaire(models.Model):
    """An evaluation questionnaire of a programme's evaluation plan, for one perspective."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="questionnaires")
    perspective = models.CharField(_("who answers"), max_length=16, choices=Perspective.choices)
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)

    class Meta:
        verbose_name = _("evaluation questionnaire")
        verbose_name_plural = _("evaluation questionnaires")
        ordering = ["programme", "perspective"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "perspective"], name="unique_questionnaire_perspective")
        ]

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    SCALE = "scale", _("Scale 1 to 5")
    TEXT = "text", _("Open answer")


class Question(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("kind"), max_length=8, choices=QuestionKind.choices, default=QuestionKind.SCALE)

    class Meta:
        ordering = ["questionnaire", "position"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "position"], name="unique_question_position")]

    def __str__(self) -> str:
        return self.text


class EvaluationInvite(models.Model):
    """A personal, single-use, expiring link to one questionnaire for one respondent.

    Only the SHA-256 of the random token is stored, so a database copy opens no questionnaire. A participant's
    invite points at the participation; a trainer's or consultant's at the user (who answers logged in).
    """

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="invites")
    group_run = models.ForeignKey(GroupRun, on_delete=models.CASCADE, related_name="evaluation_invites")
    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, null=True, blank=True, related_name="evaluation_invites"
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="evaluation_invites"
    )
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(participation__isnull=False) | models.Q(respondent__isnull=False),
                name="invite_has_respondent",
            )
        ]

    def __str__(self) -> str:
        return f"invite {self.pk} to {self.questionnaire_id}"


class EvaluationResponse(models.Model):
    """Answers, kept apart from who gave them: results are reported per run and programme only."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="responses")
    group_run = models.ForeignKey(GroupRun, on_delete=models.CASCADE, related_name="evaluation_responses")
    perspective = models.CharField(max_length=16, choices=Perspective.choices)
    submitted_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"response {self.pk} to {self.questionnaire_id}"


class Answer(models.Model):
    response = models.ForeignKey(EvaluationResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    text = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="unique_answer")]

    def __str__(self) -> str:
        return f"{self.response_id}/{self.question_id}"
