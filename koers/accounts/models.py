"""Organisation, municipalities, teams and staff accounts."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from koers.accounts.roles import Role


class Organisation(models.Model):
    """A municipal department or regional re-integration organisation that runs Koers."""

    name = models.CharField(_("name"), max_length=200, unique=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    """A gemeente served by the organisation; it finances the work for its own residents."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="municipalities")
    name = models.CharField(_("name"), max_length=120)
    cbs_code = models.CharField(_("CBS code"), max_length=6, blank=True, help_text=_("For example GM0307."))

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="unique_municipality_name")]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="unique_team_name")]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A staff member. Clients never get an account; they use personal links."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="staff", null=True, blank=True
    )
    teams = models.ManyToManyField(Team, related_name="members", blank=True, verbose_name=_("teams"))
    is_demo_account = models.BooleanField(
        _("demo account"),
        default=False,
        help_text=_("Seeded demo account; may skip the second factor, but only while demo mode is on."),
    )

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")

    @cached_property
    def roles(self) -> frozenset[str]:
        """The user's roles, read once per request."""
        if not self.pk:
            return frozenset()
        return frozenset(self.role_assignments.values_list("role", flat=True))

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="unique_role_per_user")]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"
