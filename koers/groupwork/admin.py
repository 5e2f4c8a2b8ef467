from django.contrib import admin

from koers.groupwork.models import GroupRun, Programme, Room, TrainerProfile


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "goal_type", "session_count", "min_size", "max_size", "is_mandatory"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["name", "location", "capacity", "has_daylight", "accessible_without_escort", "has_av"]


@admin.register(TrainerProfile)
class TrainerProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "hours_per_week", "competences"]
    raw_id_fields = ["user"]


@admin.register(GroupRun)
class GroupRunAdmin(admin.ModelAdmin):
    """Only the planning fields: participants are client data and stay out of the admin."""

    list_display = ["programme", "start_date", "room", "status"]
    fields = ["programme", "municipality", "room", "trainers", "start_date", "status"]
    filter_horizontal = ["trainers"]
