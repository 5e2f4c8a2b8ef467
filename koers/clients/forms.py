import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.nl import bsn as bsn_number

from koers.accounts.models import Municipality, User
from koers.accounts.roles import Role
from koers.clients.models import (
    AVAILABILITY_SLOTS,
    CONTRA_INDICATION_KINDS,
    DAY_PARTS,
    NEED_KINDS,
    RECTIFIABLE_FIELDS,
    WEEKDAYS,
    Client,
    FlagKind,
    LanguageLevel,
)


class ClientSearchForm(forms.Form):
    q = forms.CharField(label=_("Search by name or client number"), required=False, max_length=100)
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=_("All municipalities"),
    )

    def __init__(self, *args: object, organisation_id: int | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["municipality"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Municipality.objects.filter(organisation_id=organisation_id or 0)


class AccessLogLookupForm(forms.Form):
    """The privacy officer asks about one client, by client number or BSN."""

    client = forms.CharField(
        label=_("Client number or BSN"),
        max_length=12,
        help_text=_("A BSN has nine digits; a client number is shorter."),
    )

    def clean_client(self) -> str:
        value = self.cleaned_data["client"].strip().replace(" ", "").replace(".", "")
        if not value.isdigit():
            raise forms.ValidationError(_("Enter digits only: a client number or a BSN."))
        if len(value) == 9 and not bsn_number.is_valid(value):
            raise forms.ValidationError(_("This BSN does not pass the eleven test. Check the number."))
        return value


class OpenDossierForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need the full dossier?"),
        max_length=500,
        help_text=_("For example: case discussion, complaint, or replacing the consultant. This is logged."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _postal_code(value: str) -> str:
    """A Dutch postal code in its written form (``3811 AB``), or empty."""
    value = value.replace(" ", "").upper()
    if value and not (len(value) == 6 and value[:4].isdigit() and value[4:].isalpha()):
        raise forms.ValidationError(_("Enter a Dutch postal code, for example 3811 AB."))
    return f"{value[:4]} {value[4:]}" if value else ""


def _availability_choices() -> list[tuple[str, str]]:
    return [
        (f"{day}_{part}", f"{day_label} {part_label}") for day, day_label in WEEKDAYS for part, part_label in DAY_PARTS
    ]


class ClientForm(forms.ModelForm):
    """Registration and edit of a client's registry data, needs and contra-indications."""

    availability = forms.MultipleChoiceField(
        label=_("Available for group sessions"),
        choices=_availability_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Tick every day part the client can attend."),
    )
    needs = forms.MultipleChoiceField(
        label=_("Needs in a group"),
        choices=[(kind.value, kind.label) for kind in FlagKind if kind in NEED_KINDS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("No exclusion: the client needs a fitting variant or extra support."),
    )
    contra_indications = forms.MultipleChoiceField(
        label=_("Contra-indications for groups"),
        choices=[(kind.value, kind.label) for kind in FlagKind if kind in CONTRA_INDICATION_KINDS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("A contra-indication blocks referral to a group until it is removed."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Client
        fields = [
            "bsn",
            "first_name",
            "last_name",
            "date_of_birth",
            "municipality",
            "email",
            "phone",
            "street",
            "postal_code",
            "city",
            "language_level",
        ]
        widgets = {"date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation_id = organisation_id
        self.existing: Client | None = None
        municipality = self.fields["municipality"]
        assert isinstance(municipality, forms.ModelChoiceField)
        municipality.queryset = Municipality.objects.filter(organisation_id=organisation_id)
        municipality.empty_label = _("Choose a municipality")
        language = self.fields["language_level"]
        assert isinstance(language, forms.ChoiceField)
        language.choices = [("", _("Not known")), *LanguageLevel.choices]
        self.fields["bsn"].help_text = _("Nine digits; checked with the eleven test.")
        if self.instance.pk:
            kinds = set(self.instance.flags.values_list("kind", flat=True))
            self.initial.setdefault("needs", sorted(kinds & NEED_KINDS))
            self.initial.setdefault("contra_indications", sorted(kinds & CONTRA_INDICATION_KINDS))
            self.initial.setdefault("availability", self.instance.availability)
            self.initial.setdefault("version", self.instance.version)

    def clean_bsn(self) -> str:
        value = self.cleaned_data["bsn"].strip().replace(" ", "").replace(".", "")
        if not value.isdigit() or len(value) != 9:
            raise forms.ValidationError(_("A BSN has exactly nine digits."))
        if not bsn_number.is_valid(value):
            raise forms.ValidationError(_("This BSN does not pass the eleven test. Check the number."))
        duplicate = Client.objects.filter(organisation_id=self.organisation_id, bsn=value).exclude(pk=self.instance.pk)
        self.existing = duplicate.first()
        if self.existing is not None:
            raise forms.ValidationError(_("A client with this BSN is already registered."))
        return value

    def clean_postal_code(self) -> str:
        return _postal_code(self.cleaned_data["postal_code"])

    def flag_kinds(self) -> set[str]:
        return set(self.cleaned_data["needs"]) | set(self.cleaned_data["contra_indications"])

    def client_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["availability"] = [slot for slot in AVAILABILITY_SLOTS if slot in self.cleaned_data["availability"]]
        return data


def _consultants(organisation_id: int) -> QuerySet[User]:
    return User.objects.filter(
        organisation_id=organisation_id, is_active=True, role_assignments__role=Role.CONSULTANT
    ).order_by("last_name", "first_name")


class ConsultantChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.get_username()


class TransferForm(forms.Form):
    to_consultant = ConsultantChoiceField(label=_("New consultant"), queryset=User.objects.none())
    reason = forms.CharField(label=_("Reason for the transfer"), max_length=500)

    def __init__(self, *args: Any, client: Client, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to_consultant"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = _consultants(client.organisation_id).exclude(pk__in=[client.consultant_id or 0])


class TemporaryAccessForm(forms.Form):
    colleague = ConsultantChoiceField(label=_("Replacing colleague"), queryset=User.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=500, help_text=_("For example: holiday, sick leave."))
    until = forms.DateField(
        label=_("Until and including"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    MAX_DAYS = 90

    def __init__(self, *args: Any, client: Client, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["colleague"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = _consultants(client.organisation_id).exclude(pk__in=[client.consultant_id, user.pk])

    def clean_until(self) -> datetime.date:
        until = self.cleaned_data["until"]
        today = timezone.localdate()
        if until < today:
            raise forms.ValidationError(_("Choose today or a later date."))
        if until > today + datetime.timedelta(days=self.MAX_DAYS):
            raise forms.ValidationError(_("Temporary access lasts at most 90 days."))
        return until

    def valid_until(self) -> datetime.datetime:
        """The end of the chosen day, in Koers's time zone."""
        end_of_day = datetime.datetime.combine(self.cleaned_data["until"], datetime.time(23, 59, 59))
        return timezone.make_aware(end_of_day)


class RectificationForm(forms.ModelForm):
    """Corrects identity and contact data at the client's request (AVG art. 16); the reason is required."""

    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=500,
        help_text=_("For example: the client showed a passport with a different date of birth. This is kept."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    client_view = forms.CharField(
        label=_("The client disagrees"),
        required=False,
        help_text=_("Only if the client does not agree with the data as it is now: their view, in their words."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Client
        fields = list(RECTIFIABLE_FIELDS)
        widgets = {"date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("version", self.instance.version)

    def clean_postal_code(self) -> str:
        return _postal_code(self.cleaned_data["postal_code"])

    def corrected(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in RECTIFIABLE_FIELDS}


class RestrictionForm(forms.Form):
    """The privacy officer's reason to restrict processing, or to lift the restriction.

    The form names what it does, so that a second click never undoes the first.
    """

    RESTRICT, LIFT = "restrict", "lift"

    action = forms.ChoiceField(choices=[(RESTRICT, RESTRICT), (LIFT, LIFT)], widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        help_text=_("For example: the client contests the accuracy of the data (GDPR art. 18(1)(a)). This is logged."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
