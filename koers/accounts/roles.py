"""The staff roles of DOMAIN.md §2. A person can hold several."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CONSULTANT = "consultant", _("Consultant")
    TRAINER = "trainer", _("Trainer")
    PLANNER = "planner", _("Planner")
    TEAM_MANAGER = "team_manager", _("Team manager")
    POLICY = "policy", _("Policy and quality")
    ADMINISTRATOR = "administrator", _("Functional administrator")
    PRIVACY_OFFICER = "privacy_officer", _("Privacy officer")
