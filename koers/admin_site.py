"""The Django admin as the functional administrator's configuration screen, behind the same login and MFA."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from koers.accounts.roles import Role


class KoersAdminSite(admin.AdminSite):
    site_header = _("Koers configuration")
    site_title = _("Koers configuration")
    index_title = _("Configuration")

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and (user.is_superuser or user.has_role(Role.ADMINISTRATOR)))

    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        next_url = request.GET.get("next", reverse("admin:index"))
        return redirect(f"{reverse('accounts:login')}?{urlencode({'next': next_url})}")


class KoersAdminConfig(AdminConfig):
    default_site = "koers.admin_site.KoersAdminSite"
