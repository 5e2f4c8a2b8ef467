"""Configuration of organisation, teams, staff and roles for the functional administrator.

A functional administrator configures only their own organisation, cannot change their own roles or teams, cannot
set other people's passwords, and deletes nothing (accounts are deactivated): delete pages would list client data.
"""

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from koers.accounts.models import Municipality, Organisation, RoleAssignment, Team, User
from koers.audit.models import Action
from koers.audit.services import record_event

# How to reach the organisation from each configurable model, for scoping lists and choices.
ORGANISATION_PATHS: dict[str, str] = {
    "accounts.organisation": "pk",
    "accounts.user": "organisation",
    "accounts.municipality": "organisation",
    "accounts.team": "organisation",
}


def register_organisation_path(model: type[models.Model], path: str) -> None:
    """Apps higher up (group work, trajectories) tell the admin how their models belong to an organisation."""
    ORGANISATION_PATHS[model._meta.label_lower] = path


def scoped_to_organisation(queryset: QuerySet[Any], request: HttpRequest) -> QuerySet[Any]:
    if request.user.is_superuser:
        return queryset
    path = ORGANISATION_PATHS.get(queryset.model._meta.label_lower)
    if path is None:
        return queryset.none()
    return queryset.filter(**{path: getattr(request.user, "organisation_id", None) or 0})


class OrganisationScopedAdmin(admin.ModelAdmin):
    """Lists, choices and saves limited to the administrator's own organisation; no deletes."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return scoped_to_organisation(super().get_queryset(request), request)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and field.queryset is not None:
            field.queryset = scoped_to_organisation(field.queryset, request)
        return field

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and field.queryset is not None:
            field.queryset = scoped_to_organisation(field.queryset, request)
        return field

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser and "organisation" in {f.name for f in self.model._meta.fields}:
            fields.append("organisation")
        return fields

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not request.user.is_superuser and hasattr(obj, "organisation_id"):
            obj.organisation_id = request.user.organisation_id  # type: ignore[union-attr]
        super().save_model(request, obj, form, change)
        if change and form.changed_data:
            record_event(
                request.user,
                Action.UPDATE,
                obj,
                reason="changed in configuration: " + ", ".join(sorted(form.changed_data)),
            )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class OnePerOrganisationAdmin(OrganisationScopedAdmin):
    """Settings an organisation has once (thresholds, cost assumptions): added once, then changed."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        if not super().has_add_permission(request):
            return False
        if request.user.is_superuser:
            return True
        organisation_id: Any = getattr(request.user, "organisation_id", None)
        return not self.model._default_manager.filter(organisation_id=organisation_id).exists()


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 1

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return True


@admin.action(description=_("Reset second factor (the user links a new authenticator app at the next login)"))
def reset_second_factor(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[User]) -> None:
    with transaction.atomic():
        for user in queryset:
            TOTPDevice.objects.filter(user=user).delete()
            Token.objects.filter(user=user).delete()
            record_event(request.user, Action.MFA, user, reason="second factor reset by administrator")
    modeladmin.message_user(request, _("The second factor has been reset."), messages.SUCCESS)


@admin.register(User)
class UserAdmin(OrganisationScopedAdmin, DjangoUserAdmin):
    inlines = [RoleAssignmentInline]
    actions = [reset_second_factor]
    list_display = ["username", "first_name", "last_name", "organisation", "is_active", "last_login"]
    list_filter = ["is_active", "teams", "role_assignments__role"]
    list_select_related = ["organisation"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("first_name", "last_name", "email")}),
        (_("Organisation"), {"fields": ("organisation", "teams", "is_active", "is_demo_account")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = ["last_login", "date_joined", "is_demo_account"]
    filter_horizontal = ["teams"]

    def get_inline_instances(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        if obj is not None and obj.pk == request.user.pk and not request.user.is_superuser:
            return []  # nobody grants themselves a role
        return super().get_inline_instances(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk == request.user.pk and not request.user.is_superuser:
            fields += ["teams", "is_active"]
        return fields

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        """An administrator who sets a colleague's password could log in as them: only a superuser may."""
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)


@admin.register(Organisation)
class OrganisationAdmin(OrganisationScopedAdmin):
    list_display = ["name"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)


@admin.register(Municipality)
class MunicipalityAdmin(OrganisationScopedAdmin):
    list_display = ["name", "cbs_code", "organisation"]
    list_select_related = ["organisation"]


@admin.register(Team)
class TeamAdmin(OrganisationScopedAdmin):
    list_display = ["name", "organisation"]
    list_select_related = ["organisation"]
