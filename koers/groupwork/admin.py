from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from koers.accounts.admin import OrganisationScopedAdmin, register_organisation_path
from koers.accounts.roles import Role
from koers.groupwork.models import GroupRun, Programme, Room, TrainerProfile

register_organisation_path(Programme, "organisation")
register_organisation_path(Room, "organisation")
register_organisation_path(TrainerProfile, "user__organisation")
register_organisation_path(GroupRun, "programme__organisation")


@admin.register(Programme)
class ProgrammeAdmin(OrganisationScopedAdmin):
    list_display = ["name", "goal_type", "session_count", "min_size", "max_size", "is_mandatory"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Room)
class RoomAdmin(OrganisationScopedAdmin):
    list_display = ["name", "location", "capacity", "has_daylight", "accessible_without_escort", "has_av"]


@admin.register(TrainerProfile)
class TrainerProfileAdmin(OrganisationScopedAdmin):
    list_display = ["user", "hours_per_week", "competences"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


@admin.register(GroupRun)
class GroupRunAdmin(OrganisationScopedAdmin):
    """Only the planning fields: participants are client data and stay out of the admin."""

    list_display = ["programme", "start_date", "room", "status"]
    list_select_related = ["programme", "room"]
    fields = ["programme", "municipality", "room", "trainers", "start_date", "status"]
    filter_horizontal = ["trainers"]

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "trainers" and field is not None:
            # Trainers only, and never oneself: a trainer sees the participants of their runs.
            field.queryset = field.queryset.filter(role_assignments__role=Role.TRAINER).exclude(pk=request.user.pk)
        return field
