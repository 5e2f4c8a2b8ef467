"""The group-work catalogue in the administrator's configuration screen: programmes with their protocol and
evaluation questionnaires, rooms, the trainer pool and the planning fields of group runs. Participants stay out.
"""

from decimal import Decimal
from typing import Any, ClassVar, cast

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from koers.accounts.admin import OrganisationScopedAdmin, register_organisation_path
from koers.accounts.roles import Role
from koers.audit.models import Action
from koers.audit.services import record_event
from koers.clients.models import FlagKind
from koers.groupwork.models import (
    GroupRun,
    Programme,
    ProgrammeSession,
    Question,
    Questionnaire,
    Room,
    TrainerProfile,
)
from koers.groupwork.timemodel import session_hours

register_organisation_path(Programme, "organisation")
register_organisation_path(Room, "organisation")
register_organisation_path(TrainerProfile, "user__organisation")
register_organisation_path(GroupRun, "programme__organisation")
register_organisation_path(Questionnaire, "programme__organisation")


class ProgrammeForm(forms.ModelForm):
    """The catalogue rules that a database constraint cannot state, worded for the administrator."""

    contra_indications = forms.MultipleChoiceField(
        label=_("contra-indications that block a referral"),
        choices=FlagKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A client with one of these screening flags cannot be referred to this programme."),
    )
    # Set by ProgrammeAdmin.get_form: the organisation the programme is saved in (None for a superuser, who picks).
    organisation_id: ClassVar[int | None] = None

    class Meta:
        model = Programme
        fields = [
            *("name", "slug", "organisation", "instrument_type", "goal_type", "description", "learning_goals"),
            *("target_group", "selection_criteria", "contra_indications", "contra_indication_notes"),
            *("session_count", "session_minutes", "min_size", "max_size", "small_group_max_size", "is_evening"),
            *("is_continuous", "offers_small_group", "offers_language_support", "offers_blended"),
            *("is_mandatory", "mandatory_reason", "deadline_weeks", "what_to_bring", "evaluation_plan"),
            *("prep_hours", "materials_hours", "arrangements_hours", "setup_hours", "clearing_hours", "report_hours"),
            *("is_published", "is_active"),
        ]

    def clean_contra_indications(self) -> list[str]:
        return sorted(set(self.cleaned_data["contra_indications"]))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        errors: dict[str, str] = {}
        min_size, max_size = cleaned.get("min_size"), cleaned.get("max_size")
        if min_size and max_size and max_size < min_size:
            errors["max_size"] = gettext("The maximum group size cannot be smaller than the minimum group size.")
        small = cleaned.get("small_group_max_size")
        if small is not None and max_size and small >= max_size:
            errors["small_group_max_size"] = gettext(
                "The small-group variant must be smaller than the maximum group size."
            )
        mandatory = cleaned.get("is_mandatory")
        if cleaned.get("deadline_weeks") is not None and not mandatory:
            errors["deadline_weeks"] = gettext("A start deadline applies only to a mandatory programme.")
        if mandatory and not (cleaned.get("mandatory_reason") or "").strip():
            errors["mandatory_reason"] = gettext(
                "Say why the programme is mandatory: every invitation states the reason."
            )
        if self._slug_taken(cleaned):
            errors["slug"] = gettext("Another programme of your organisation already has this short name.")
        if errors:
            raise ValidationError(errors)
        return cleaned

    def _slug_taken(self, cleaned: dict[str, Any]) -> bool:
        """The unique (organisation, slug) pair, checked here because the organisation is not a field of the form."""
        organisation = cleaned.get("organisation")
        organisation_id = self.organisation_id or getattr(organisation, "pk", None) or self.instance.organisation_id
        slug = cleaned.get("slug")
        if not organisation_id or not slug:
            return False
        others = Programme.objects.filter(organisation_id=organisation_id, slug=slug).exclude(pk=self.instance.pk)
        return others.exists()


class ProtocolFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        count = self.instance.session_count
        if not count:
            return
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            number = data.get("number")
            if data.get("DELETE") or not number or number <= count:
                continue
            form.add_error(
                "number",
                gettext("The programme has %(count)s sessions: there is no session %(number)s.")
                % {"count": count, "number": number},
            )


class ProtocolInline(admin.StackedInline):
    model = ProgrammeSession
    formset = ProtocolFormSet
    fields = ["number", "title", "content"]
    extra = 1


@admin.register(Programme)
class ProgrammeAdmin(OrganisationScopedAdmin):
    form = ProgrammeForm
    inlines = [ProtocolInline]
    list_display = ["name", "goal_type", "session_count", "min_size", "max_size", "is_mandatory", "is_published"]
    list_filter = ["goal_type", "is_mandatory", "is_published", "is_active"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["trainer_hours", "evaluation_questionnaires"]
    fieldsets = (
        (None, {"fields": ["name", "slug", "organisation", "instrument_type", "goal_type"]}),
        (_("Description and goals"), {"fields": ["description", "learning_goals"]}),
        (
            _("Who it is for"),
            {"fields": ["target_group", "selection_criteria", "contra_indications", "contra_indication_notes"]},
        ),
        (
            _("Format and variants"),
            {
                "fields": [
                    ("session_count", "session_minutes"),
                    ("min_size", "max_size"),
                    "is_evening",
                    "is_continuous",
                    "offers_small_group",
                    "small_group_max_size",
                    "offers_language_support",
                    "offers_blended",
                ]
            },
        ),
        (_("Mandatory or voluntary"), {"fields": ["is_mandatory", "mandatory_reason", "deadline_weeks"]}),
        (_("Invitation"), {"fields": ["what_to_bring"]}),
        (_("Evaluation"), {"fields": ["evaluation_plan", "evaluation_questionnaires"]}),
        (
            _("Trainer time model"),
            {
                "description": _(
                    "Hours of work around one training day of 8 hours (12 hours in all). For a shorter session "
                    "the preparation, materials, arrangements and report shrink in proportion; arriving early, "
                    "setting up and clearing up do not."
                ),
                "fields": [
                    ("prep_hours", "materials_hours", "arrangements_hours"),
                    ("setup_hours", "clearing_hours", "report_hours"),
                    "trainer_hours",
                ],
            },
        ),
        (_("Publication"), {"fields": ["is_published", "is_active"]}),
    )

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = cast(type[ProgrammeForm], super().get_form(request, obj, change, **kwargs))
        # A fresh class per request (modelform_factory), so this does not leak between administrators.
        form.organisation_id = None if request.user.is_superuser else request.user.organisation_id  # type: ignore[union-attr]
        return form

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if change and any(formset.has_changed() for formset in formsets):
            record_event(request.user, Action.UPDATE, form.instance, reason="changed in configuration: protocol")

    @admin.display(description=_("trainer hours per session"))
    def trainer_hours(self, obj: Programme | None) -> str:
        if obj is None or obj.pk is None:
            return gettext("Shown after saving.")
        per_session = session_hours(obj.time_model(), obj.session_minutes)
        whole_run = per_session * obj.session_count
        return gettext(
            "%(hours)s hours per session, including the time in the room; %(total)s hours per trainer for a whole "
            "run of %(count)s sessions (without switching time)."
        ) % {"hours": _hours(per_session), "total": _hours(whole_run), "count": obj.session_count}

    @admin.display(description=_("evaluation questionnaires"))
    def evaluation_questionnaires(self, obj: Programme | None) -> SafeString | str:
        if obj is None or obj.pk is None:
            return gettext("Shown after saving.")
        links = format_html_join(
            "",
            '<li><a href="{}">{}: {}</a></li>',
            (
                (reverse("admin:groupwork_questionnaire_change", args=[q.pk]), q.get_perspective_display(), q.title)
                for q in obj.questionnaires.all()
            ),
        )
        add_url = reverse("admin:groupwork_questionnaire_add") + f"?programme={obj.pk}"
        return format_html('<ul>{}</ul><a href="{}">{}</a>', links, add_url, gettext("Add an evaluation questionnaire"))


def _hours(value: Decimal) -> str:
    return number_format(value, decimal_pos=2)


class QuestionInline(admin.TabularInline):
    """Questions are fixed once answered, so the results keep meaning what was asked."""

    model = Question
    fields = ["position", "text", "kind"]
    extra = 1

    def _answered(self, obj: Questionnaire | None) -> bool:
        return obj is not None and obj.pk is not None and obj.responses.exists()

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self._answered(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self._answered(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self._answered(obj) and super().has_delete_permission(request, obj)


@admin.register(Questionnaire)
class QuestionnaireAdmin(OrganisationScopedAdmin):
    inlines = [QuestionInline]
    list_display = ["title", "programme", "perspective"]
    list_filter = ["perspective"]
    list_select_related = ["programme"]
    fields = ["programme", "perspective", "title", "introduction"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "programme"] if obj is not None else fields


@admin.register(Room)
class RoomAdmin(OrganisationScopedAdmin):
    list_display = ["name", "location", "capacity", "has_daylight", "accessible_without_escort", "has_av", "is_active"]
    list_filter = ["is_active", "location"]
    search_fields = ["name", "location"]
    fieldsets = (
        (None, {"fields": ["organisation", "name", "location", "capacity", "is_active"]}),
        (
            _("Suitability"),
            {
                "fields": [
                    "has_daylight",
                    "has_ventilation",
                    "accessible_without_escort",
                    "door_can_stay_open",
                    "has_av",
                ]
            },
        ),
    )


@admin.register(TrainerProfile)
class TrainerProfileAdmin(OrganisationScopedAdmin):
    list_display = ["user", "hours_per_week", "switching_minutes", "competences"]
    list_select_related = ["user"]
    fields = ["user", "hours_per_week", "switching_minutes", "competences"]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "user" and field is not None:
            field.queryset = field.queryset.filter(role_assignments__role=Role.TRAINER).distinct()
        return field


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
