"""The client registry: who the organisation guides, for which municipality, by which consultant."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.access.categories import DataCategory
from koers.accounts.models import Municipality, Organisation


class LanguageLevel(models.TextChoices):
    """Dutch language proficiency on the CEFR scale; below A2 a group needs extra language support."""

    BELOW_A1 = "below_a1", _("Below A1 (little or no Dutch)")
    A1 = "A1", _("A1")
    A2 = "A2", _("A2")
    B1 = "B1", _("B1")
    B2 = "B2", _("B2 or higher")
    NATIVE = "native", _("Native speaker")


WEEKDAYS = (
    ("mon", _("Monday")),
    ("tue", _("Tuesday")),
    ("wed", _("Wednesday")),
    ("thu", _("Thursday")),
    ("fri", _("Friday")),
)
DAY_PARTS = (("morning", _("morning")), ("afternoon", _("afternoon")), ("evening", _("evening")))
AVAILABILITY_SLOTS = tuple(f"{day}_{part}" for day, _day in WEEKDAYS for part, _part in DAY_PARTS)


def availability_labels(slots: list[str]) -> list[str]:
    """Readable day parts, in week order, for the slot codes a client is available."""
    chosen = set(slots)
    return [
        f"{day_label} {part_label}"
        for day, day_label in WEEKDAYS
        for part, part_label in DAY_PARTS
        if f"{day}_{part}" in chosen
    ]


class Client(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="clients")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="clients", verbose_name=_("municipality")
    )
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="caseload",
        null=True,
        blank=True,
        verbose_name=_("consultant"),
    )
    bsn = models.CharField(_("BSN"), max_length=9)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=150)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=7, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    language_level = models.CharField(
        _("Dutch language level"), max_length=8, choices=LanguageLevel.choices, blank=True
    )
    availability = models.JSONField(
        _("availability"),
        default=list,
        blank=True,
        help_text=_("Day parts the client can attend, as codes such as mon_morning."),
    )
    is_demo = models.BooleanField(_("fictitious demo data"), default=False)
    processing_restricted_since = models.DateTimeField(_("processing restricted since"), null=True, blank=True)
    processing_restricted_reason = models.CharField(_("reason for restricting processing"), max_length=500, blank=True)
    processing_restricted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("processing restricted by"),
    )
    version = models.PositiveIntegerField(
        default=1, help_text=_("Raised on every change, so that a concurrent edit is detected instead of lost.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["last_name", "first_name", "id"]
        constraints = [models.UniqueConstraint(fields=["organisation", "bsn"], name="unique_client_bsn")]
        indexes = [
            models.Index(fields=["consultant", "last_name"], name="client_caseload"),
            models.Index(fields=["municipality"], name="client_municipality"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def masked_bsn(self) -> str:
        return f"*****{self.bsn[-4:]}"

    @property
    def processing_restricted(self) -> bool:
        return self.processing_restricted_since is not None


class ClientTransfer(models.Model):
    """A client moved to another consultant's caseload, with the reason."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="transfers")
    from_consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    to_consultant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=500)
    transferred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    transferred_at = models.DateTimeField(_("transferred at"), auto_now_add=True)

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["-transferred_at"]

    def __str__(self) -> str:
        return f"{self.client_id}: {self.from_consultant_id} → {self.to_consultant_id}"


class FlagKind(models.TextChoices):
    """Needs route a client to a fitting group variant; contra-indications block a group (DOMAIN.md §4)."""

    LOW_LANGUAGE = "low_language", _("Low language proficiency")
    COGNITIVE_LIMITATION = "cognitive_limitation", _("Cognitive limitation")
    PSYCHOLOGICAL_CONDITION = "psychological_condition", _("Psychological condition")
    ACUTE_CRISIS = "acute_crisis", _("Acute crisis")
    ACTIVE_ADDICTION = "active_addiction", _("Active addiction")
    NO_GOAL = "no_goal", _("Unable to formulate a goal")


NEED_KINDS = frozenset({FlagKind.LOW_LANGUAGE, FlagKind.COGNITIVE_LIMITATION, FlagKind.PSYCHOLOGICAL_CONDITION})
CONTRA_INDICATION_KINDS = frozenset({FlagKind.ACUTE_CRISIS, FlagKind.ACTIVE_ADDICTION, FlagKind.NO_GOAL})

# Health, addiction and psychological condition are special categories of personal data (AVG art. 9).
FLAG_CATEGORY: dict[str, DataCategory] = {
    FlagKind.LOW_LANGUAGE: DataCategory.GROUP_NEEDS,
    FlagKind.COGNITIVE_LIMITATION: DataCategory.SPECIAL,
    FlagKind.PSYCHOLOGICAL_CONDITION: DataCategory.SPECIAL,
    FlagKind.ACUTE_CRISIS: DataCategory.DOSSIER,
    FlagKind.ACTIVE_ADDICTION: DataCategory.SPECIAL,
    FlagKind.NO_GOAL: DataCategory.DOSSIER,
}


class ScreeningFlag(models.Model):
    """A need or contra-indication, with when and by whom it was recorded."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="flags")
    kind = models.CharField(_("kind"), max_length=32, choices=FlagKind.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("need or contra-indication")
        verbose_name_plural = _("needs and contra-indications")
        constraints = [models.UniqueConstraint(fields=["client", "kind"], name="unique_flag_per_client")]
        indexes = [models.Index(fields=["kind"], name="flag_kind")]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def category(self) -> DataCategory:
        return FLAG_CATEGORY[self.kind]


class AccessGrant(models.Model):
    """Temporary access to a dossier outside one's own caseload, always with a reason and an end."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="access_grants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_grants")
    reason = models.CharField(_("reason"), max_length=500)
    valid_until = models.DateTimeField(_("valid until"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("temporary access")
        verbose_name_plural = _("temporary access")
        indexes = [models.Index(fields=["user", "valid_until"], name="grant_user_valid")]

    def __str__(self) -> str:
        return f"{self.user} → {self.client_id} ({self.valid_until:%Y-%m-%d})"


# The identity and contact fields a client may have corrected (AVG art. 16), in the order of the form.
RECTIFIABLE_FIELDS = ("first_name", "last_name", "date_of_birth", "email", "phone", "street", "postal_code", "city")


class Rectification(models.Model):
    """One corrected field, kept so that who changed what, when and why stays answerable (AVG art. 16)."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="rectifications")
    field = models.CharField(
        _("field"),
        max_length=32,
        choices=[
            (field.name, field.verbose_name)
            for field in Client._meta.concrete_fields
            if field.name in RECTIFIABLE_FIELDS
        ],
    )
    old_value = models.CharField(_("old value"), max_length=254, blank=True)
    new_value = models.CharField(_("new value"), max_length=254, blank=True)
    reason = models.CharField(_("reason"), max_length=500)
    client_view = models.TextField(
        _("client's view"), blank=True, help_text=_("Filled in when the client disagrees with the correction.")
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.client_id}: {self.field} ({self.at:%Y-%m-%d})"
