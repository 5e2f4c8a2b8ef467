"""Effect measurement in the administrator's configuration screen: the organisation's questionnaires, their versions
with scales and items, and the measurement policy (moments, link validity). Measurements themselves stay out.

Only a draft version can be edited; publishing (an action) freezes it and retires the version before it, and "New
version from this one" starts the next draft as a copy. A published or used version is never deleted.
"""

from typing import Any, ClassVar, cast

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from koers.accounts.admin import OrganisationScopedAdmin, register_organisation_path
from koers.audit.models import Action
from koers.audit.services import record_event
from koers.measurement.models import (
    Item,
    MeasurementPolicy,
    Questionnaire,
    QuestionnaireVersion,
    Scale,
    VersionStatus,
)
from koers.measurement.services import (
    DraftExistsError,
    PublishError,
    VersionNotDraftError,
    ensure_draft,
    new_draft_from,
    publish_version,
)

register_organisation_path(Questionnaire, "organisation")
register_organisation_path(QuestionnaireVersion, "questionnaire__organisation")
register_organisation_path(Scale, "version__questionnaire__organisation")
register_organisation_path(MeasurementPolicy, "organisation")


def _is_draft(obj: QuestionnaireVersion | None) -> bool:
    return obj is None or obj.status == VersionStatus.DRAFT


class QuestionnaireForm(forms.ModelForm):
    # Set by QuestionnaireAdmin.get_form: the organisation the questionnaire is saved in (None for a superuser).
    organisation_id: ClassVar[int | None] = None

    class Meta:
        model = Questionnaire
        fields = ["organisation", "name", "description", "is_validated"]

    def clean_name(self) -> str:
        """The unique (organisation, name) pair, checked here because the organisation is not a field of the form."""
        name: str = self.cleaned_data["name"]
        organisation_id = self.organisation_id or self.instance.organisation_id
        if organisation_id and (
            Questionnaire.objects.filter(organisation_id=organisation_id, name=name)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            raise ValidationError(gettext("Your organisation already has a questionnaire with this name."))
        return name


@admin.register(Questionnaire)
class QuestionnaireAdmin(OrganisationScopedAdmin):
    form = QuestionnaireForm
    list_display = ["name", "is_validated", "created_at"]
    search_fields = ["name"]
    fields = ["organisation", "name", "description", "is_validated", "versions"]
    readonly_fields = ["versions"]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = cast(type[QuestionnaireForm], super().get_form(request, obj, change, **kwargs))
        # A fresh class per request (modelform_factory), so this does not leak between administrators.
        form.organisation_id = None if request.user.is_superuser else request.user.organisation_id  # type: ignore[union-attr]
        return form

    @admin.display(description=_("versions"))
    def versions(self, obj: Questionnaire | None) -> SafeString | str:
        if obj is None or obj.pk is None:
            return gettext("Shown after saving.")
        links = format_html_join(
            "",
            '<li><a href="{}">{} {}: {}</a></li>',
            (
                (
                    reverse("admin:measurement_questionnaireversion_change", args=[v.pk]),
                    gettext("Version"),
                    v.number,
                    v.get_status_display(),
                )
                for v in obj.versions.order_by("-number")
            ),
        )
        add_url = reverse("admin:measurement_questionnaireversion_add") + f"?questionnaire={obj.pk}"
        return format_html('<ul>{}</ul><a href="{}">{}</a>', links, add_url, gettext("Add a version"))


class AnswerLabelsField(forms.CharField):
    """The answer labels as lines of text, lowest answer first; stored as a list."""

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(str(label) for label in value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class VersionForm(forms.ModelForm):
    answer_labels = AnswerLabelsField(
        label=_("answer labels"),
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text=_("One label per answer, lowest answer first, e.g. “Helemaal niet mee eens” … “Helemaal mee eens”."),
    )

    class Meta:
        model = QuestionnaireVersion
        fields = ["questionnaire", "introduction", "answer_min", "answer_max", "answer_labels"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        low, high, labels = cleaned.get("answer_min"), cleaned.get("answer_max"), cleaned.get("answer_labels")
        if low is not None and high is not None:
            if high <= low:
                self.add_error("answer_max", gettext("The highest answer must be above the lowest."))
            elif labels is not None and len(labels) != high - low + 1:
                self.add_error(
                    "answer_labels",
                    gettext("The answers run from %(low)s to %(high)s: give exactly %(count)s labels, one per line.")
                    % {"low": low, "high": high, "count": high - low + 1},
                )
        return cleaned


class DraftOnlyInline(admin.TabularInline):
    """Editable only while the version is a draft; a published or retired version shows its content read-only."""

    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_draft(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_draft(obj) and super().has_delete_permission(request, obj)


class ScaleInline(DraftOnlyInline):
    model = Scale
    extra = 1
    fields = [
        *("position", "code", "name", "kind", "igm_factor", "life_domain"),
        *("reliability", "reference_mean", "reference_sd", "higher_is_better", "source"),
    ]


class ItemInline(DraftOnlyInline):
    """Items choose their scale among the version's own scales, so they can be added once the scales are saved."""

    model = Item
    fk_name = "version"
    fields = ["position", "text", "scale", "reverse_scored"]

    def get_extra(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> int:
        return 3 if obj is not None and _is_draft(obj) else 0

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        scale_field = formset.form.base_fields.get("scale")
        if scale_field is not None:
            scale_field.queryset = Scale.objects.filter(version=obj) if obj is not None else Scale.objects.none()  # type: ignore[attr-defined]
        return formset


@admin.action(description=_("Publish (the version freezes; the published version before it retires)"))
def publish(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[QuestionnaireVersion]) -> None:
    for version in queryset.select_related("questionnaire"):
        try:
            publish_version(request.user, version)
        except VersionNotDraftError:
            modeladmin.message_user(
                request,
                gettext("%(version)s is not a draft and was left as it is.") % {"version": version},
                messages.WARNING,
            )
        except PublishError as error:
            modeladmin.message_user(
                request,
                gettext("%(version)s was not published: %(problems)s")
                % {"version": version, "problems": " ".join(error.problems)},
                messages.ERROR,
            )
        else:
            modeladmin.message_user(
                request, gettext("%(version)s is published.") % {"version": version}, messages.SUCCESS
            )


@admin.action(description=_("New version from this one (a draft copy to edit)"))
def new_version(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[QuestionnaireVersion]) -> None:
    for version in queryset.select_related("questionnaire"):
        try:
            draft = new_draft_from(request.user, version)
        except DraftExistsError as error:
            modeladmin.message_user(
                request,
                gettext("%(questionnaire)s already has a draft, version %(number)s: edit that one.")
                % {"questionnaire": version.questionnaire, "number": error.draft.number},
                messages.WARNING,
            )
        else:
            modeladmin.message_user(
                request, gettext("%(version)s is a new draft.") % {"version": draft}, messages.SUCCESS
            )


@admin.register(QuestionnaireVersion)
class QuestionnaireVersionAdmin(OrganisationScopedAdmin):
    form = VersionForm
    inlines = [ScaleInline, ItemInline]
    actions = [publish, new_version]
    list_display = ["questionnaire", "number", "status", "published_at"]
    list_filter = ["status"]
    list_select_related = ["questionnaire"]
    frozen_fields = ["questionnaire", "number", "status", "published_at"]

    def get_inline_instances(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        """Items choose one of the version's scales, so they come after the version and its scales are saved."""
        inlines = super().get_inline_instances(request, obj)
        return inlines if obj is not None else [i for i in inlines if not isinstance(i, ItemInline)]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """A published or retired version is shown read-only; the actions still apply to it."""
        return _is_draft(obj) and super().has_change_permission(request, obj)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [*self.frozen_fields, "introduction", "answer_min", "answer_max", "answer_labels"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ["number", "status", "published_at"]
        if not _is_draft(obj):
            return self.get_fields(request, obj)
        return self.frozen_fields

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """An unused draft may go; a published, retired or answered version stays (answers refer to it)."""
        if obj is None or not _is_draft(obj) or obj.measurements.exists():
            return False
        return self.has_change_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            self._ensure_draft(obj)
        else:
            highest = obj.questionnaire.versions.order_by("-number").values_list("number", flat=True).first()
            obj.number = (highest or 0) + 1
            obj.status = VersionStatus.DRAFT
        super().save_model(request, obj, form, change)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.has_changed():
            self._ensure_draft(form.instance)
        super().save_formset(request, form, formset, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if change and any(formset.has_changed() for formset in formsets):
            record_event(
                request.user, Action.UPDATE, form.instance, reason="changed in configuration: scales and items"
            )

    @staticmethod
    def _ensure_draft(version: QuestionnaireVersion) -> None:
        try:
            ensure_draft(version)
        except VersionNotDraftError as error:
            raise PermissionDenied from error


class PolicyForm(forms.ModelForm):
    class Meta:
        model = MeasurementPolicy
        fields = [
            *("organisation", "questionnaire", "start_within_days", "interval_weeks", "measure_at_end"),
            *("link_valid_days", "group_window_days"),
        ]

    def clean_questionnaire(self) -> Questionnaire | None:
        questionnaire: Questionnaire | None = self.cleaned_data.get("questionnaire")
        if questionnaire is not None and not questionnaire.versions.filter(status=VersionStatus.PUBLISHED).exists():
            raise ValidationError(gettext("Publish a version of this questionnaire first: measurements use it."))
        return questionnaire

    def clean_link_valid_days(self) -> int:
        days: int = self.cleaned_data["link_valid_days"]
        if days < 1:
            raise ValidationError(gettext("A link must be valid for at least one day."))
        return days


@admin.register(MeasurementPolicy)
class MeasurementPolicyAdmin(OrganisationScopedAdmin):
    """One policy per organisation: the moments of measurement and the validity of the client's link."""

    form = PolicyForm
    list_display = ["organisation", "questionnaire", "start_within_days", "interval_weeks", "measure_at_end"]
    list_select_related = ["organisation", "questionnaire"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        if not super().has_add_permission(request):
            return False
        if request.user.is_superuser:
            return True
        organisation_id = getattr(request.user, "organisation_id", None) or 0
        return not MeasurementPolicy.objects.filter(organisation_id=organisation_id).exists()
