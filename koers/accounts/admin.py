"""Configuration of organisation, teams, staff and roles for the functional administrator."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from koers.accounts.models import Municipality, Organisation, RoleAssignment, Team, User
from koers.audit.models import Action
from koers.audit.services import record_event


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 1


@admin.action(description=_("Reset second factor (the user links a new authenticator app at the next login)"))
def reset_second_factor(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[User]) -> None:
    with transaction.atomic():
        for user in queryset:
            TOTPDevice.objects.filter(user=user).delete()
            record_event(request.user, Action.MFA, user, reason="second factor reset by administrator")
    modeladmin.message_user(request, _("The second factor has been reset."), messages.SUCCESS)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [RoleAssignmentInline]
    actions = [reset_second_factor]
    list_display = ["username", "first_name", "last_name", "organisation", "is_active", "last_login"]
    list_filter = ["is_active", "organisation", "teams", "role_assignments__role"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("first_name", "last_name", "email")}),
        (_("Organisation"), {"fields": ("organisation", "teams", "is_active", "is_demo_account")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = ["last_login", "date_joined", "is_demo_account"]
    filter_horizontal = ["teams"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "cbs_code", "organisation"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation"]
