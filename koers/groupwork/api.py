"""Group work over the API: programmes, runs, sessions, referrals, attendance and hand-off signals.

The same scoping as the pages (``access.scoping.scope``; an object out of scope in the URL is 404, a record out of
scope named in the body is 400 "does not exist", alike for missing and forbidden), a role gate per action (403), and
the same services for writes: referral (refer, withdraw, decline), placement, attendance and the hand-off signal.
The services write the audit events of a change; every read of client data writes its own. What a role sees of a
referral follows its data categories: the argued added value, the instrument and the goal are dossier content and go
only to the consultant. A hand-off signal carries a ``version``: responses send it as ``ETag``, a PUT or PATCH must
send it back in ``If-Match`` (428 without, 412 when someone saved in between).

A method an endpoint does not offer is 405 for every role (e.g. a GET on a POST-only action), before the role gate.
"""

from collections.abc import Mapping
from typing import Any, ClassVar, cast

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import MethodNotAllowed, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter
from rest_framework.settings import api_settings

from koers.access.scoping import scope
from koers.accounts.models import User
from koers.accounts.roles import Role
from koers.api.filters import choice_filter, id_filter
from koers.api.schema import FORBIDDEN, NOT_FOUND, ErrorDocumentingSchema, ErrorSerializer, LocalTimeField
from koers.audit.services import record_client_reads
from koers.clients.models import Client
from koers.clients.selectors import visible_clients
from koers.groupwork import access, referral_services
from koers.groupwork.attendance_selectors import session_participants
from koers.groupwork.attendance_services import AttendanceRefusedError, record_attendance
from koers.groupwork.handoff_services import HandOffAcknowledgedError, acknowledge_hand_off, write_hand_off
from koers.groupwork.models import (
    Attendance,
    AttendanceStatus,
    GroupRun,
    HandOff,
    Participation,
    Programme,
    Referral,
    ReferralStatus,
    Session,
    Variant,
)
from koers.groupwork.placement_services import PlacementRefusedError, PlacementWarnings, place_referral
from koers.groupwork.referral_states import TransitionError
from koers.groupwork.selectors import visible_runs
from koers.trajectories.api import (
    CONDITIONAL_ERRORS,
    ETAG_HEADER,
    IF_MATCH,
    Conflict,
    PreconditionFailed,
    etag,
    expected_version,
)
from koers.trajectories.models import Goal, IgmFactor, Instrument
from koers.trajectories.selectors import visible_trajectories
from koers.trajectories.services import StaleEditError

STAFF_ROLES = tuple(Role.values)


class RoleGate(viewsets.GenericViewSet):
    """405 for a method the endpoint does not offer, then 403 for roles the action is not meant for; object
    scoping is the queryset's (404)."""

    allowed_roles: ClassVar[tuple[str, ...]] = ()
    # Roles per action where they differ from ``allowed_roles`` (the writes).
    action_roles: ClassVar[Mapping[str, tuple[str, ...]]] = {}
    lookup_value_regex = r"\d+"
    schema = ErrorDocumentingSchema()

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if self.action is None:  # the route has no handler for this method: the same answer for every role
            raise MethodNotAllowed(request.method or "")
        if not self.user.has_role(*self.action_roles.get(self.action, self.allowed_roles)):
            raise PermissionDenied

    @property
    def user(self) -> User:
        return cast(User, self.request.user)

    def fake(self) -> bool:
        return getattr(self, "swagger_fake_view", False)


def _context_user(serializer: serializers.Serializer) -> Any:
    """The requesting user of an input serializer; None for the schema, which then offers nothing to choose."""
    request = serializer.context.get("request")
    return request.user if request is not None else None


def _limit(serializer: serializers.Serializer, name: str, queryset: QuerySet[Any]) -> None:
    field = serializer.fields[name]
    assert isinstance(field, serializers.PrimaryKeyRelatedField)
    field.queryset = queryset


def _refusal(error: DjangoValidationError) -> ValidationError:
    """A service's refusal (messages per field, or for the whole request) as a 400 in DRF's shape."""
    if not hasattr(error, "error_dict"):
        return ValidationError({api_settings.NON_FIELD_ERRORS_KEY: error.messages})
    return ValidationError(
        {
            (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): messages
            for field, messages in error.message_dict.items()
        }
    )


# Programmes and runs (read only)


class ProgrammeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Programme
        fields = [
            "id",
            "name",
            "description",
            "goal_type",
            "learning_goals",
            "target_group",
            "selection_criteria",
            "contra_indications",
            "session_count",
            "session_minutes",
            "min_size",
            "max_size",
            "is_evening",
            "is_continuous",
            "offers_blended",
            "offers_small_group",
            "offers_language_support",
            "is_mandatory",
            "mandatory_reason",
            "deadline_weeks",
            "what_to_bring",
            "evaluation_plan",
        ]
        read_only_fields = fields


class ProgrammeViewSet(RoleGate, viewsets.ReadOnlyModelViewSet):
    """The organisation's programme catalogue (no personal data)."""

    serializer_class = ProgrammeSerializer
    allowed_roles = STAFF_ROLES

    def get_queryset(self) -> QuerySet[Programme]:
        if self.fake():
            return Programme.objects.none()
        return Programme.objects.filter(organisation=self.user.organisation_id, is_active=True)


class GroupRunSerializer(serializers.ModelSerializer):
    programme_name = serializers.CharField(source="programme.name", read_only=True)
    room = serializers.CharField(source="room.name", allow_null=True, default=None)
    participant_count = serializers.IntegerField(read_only=True)
    start_time = LocalTimeField(read_only=True)

    class Meta:
        model = GroupRun
        fields = [
            "id",
            "programme",
            "programme_name",
            "municipality",
            "variant",
            "start_date",
            "start_time",
            "status",
            "room",
            "participant_count",
            "version",
        ]
        read_only_fields = fields


class GroupRunViewSet(RoleGate, viewsets.ReadOnlyModelViewSet):
    serializer_class = GroupRunSerializer
    allowed_roles = (Role.TRAINER, Role.PLANNER)

    def get_queryset(self) -> QuerySet[GroupRun]:
        if self.fake():
            return GroupRun.objects.none()
        return visible_runs(self.user).order_by("start_date", "id")


# Attendance


class AttendanceSerializer(serializers.ModelSerializer):
    client = serializers.IntegerField(source="participation.client_id", read_only=True)

    class Meta:
        model = Attendance
        fields = ["id", "session", "participation", "client", "status", "recorded_at", "acknowledged_at"]
        read_only_fields = fields


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {"type": "string", "enum": list(AttendanceStatus.values)},
        "minProperties": 1,
        "example": {"12": AttendanceStatus.PRESENT, "13": AttendanceStatus.EXCUSED},
    }
)
class AttendanceStatusesField(serializers.DictField):
    """Participation id → attendance status."""


class AttendanceRecordSerializer(serializers.Serializer):
    statuses = AttendanceStatusesField(
        child=serializers.ChoiceField(choices=AttendanceStatus.choices),
        allow_empty=False,
        help_text="Per participation id (a participant expected at this session): present, late, excused (absent "
        "with notice) or unexcused (absent without notice). Participants left out keep what was recorded before.",
    )

    def validate_statuses(self, value: dict[str, str]) -> dict[int, str]:
        expected: set[int] = self.context["participants"]
        unknown = sorted(str(key) for key in value if not str(key).isdigit() or int(key) not in expected)
        if unknown:
            raise ValidationError(
                _("Not a participant of this session: %(ids)s. Read the participants again and send once more.")
                % {"ids": ", ".join(unknown)}
            )
        return {int(key): status for key, status in value.items()}


class AuditedClientReads:
    """Writes one read event per client in a list or detail answer (rows carry the client's id in ``client``)."""

    audit_subject: ClassVar[str]

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)  # type: ignore[misc]
        results = response.data["results"] if isinstance(response.data, dict) else response.data
        _audit_clients(request, [row["client"] for row in results], f"API {self.audit_subject} list")
        return response

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().retrieve(request, *args, **kwargs)  # type: ignore[misc]
        _audit_clients(request, [response.data["client"]], f"API {self.audit_subject} detail")
        return response


class AttendanceViewSet(AuditedClientReads, RoleGate, viewsets.ReadOnlyModelViewSet):
    """Attendance the user may see; filter with ``?session=<id>``."""

    serializer_class = AttendanceSerializer
    allowed_roles = (Role.CONSULTANT, Role.TRAINER, Role.PLANNER)
    audit_subject = "attendance"

    def get_queryset(self) -> QuerySet[Attendance]:
        if self.fake():
            return Attendance.objects.none()
        rows = scope(Attendance.objects.all(), self.user).select_related("participation")
        session = id_filter(self, "session")
        rows = rows if session is None else rows.filter(session=session)
        return rows.order_by("session_id", "id")


# Sessions


class SessionSerializer(serializers.ModelSerializer):
    room_name = serializers.CharField(source="room.name", allow_null=True, default=None)
    starts_at = LocalTimeField(read_only=True)
    ends_at = LocalTimeField(read_only=True)
    # Blank until the trainer logs the session; a read-only model field would drop the blank from the schema's enum.
    group_phase = serializers.ChoiceField(
        choices=Session._meta.get_field("group_phase").choices or (), allow_blank=True, read_only=True
    )

    class Meta:
        model = Session
        fields = [
            "id",
            "group_run",
            "number",
            "date",
            "starts_at",
            "ends_at",
            "room",
            "room_name",
            "is_cancelled",
            "attendance_recorded_at",
            "group_phase",
            "version",
        ]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(
        summary="Sessions of the group runs you train or plan",
        parameters=[OpenApiParameter("group_run", int, description="Only the sessions of this run.")],
    ),
    retrieve=extend_schema(summary="One session"),
    attendance=extend_schema(
        summary="Record attendance at a session (trainer of the run, planner)",
        request=AttendanceRecordSerializer,
        responses={
            200: OpenApiResponse(
                AttendanceSerializer(many=True), description="The session's attendance rows that you may see."
            ),
            400: OpenApiResponse(description="An unknown status, or someone who is not a participant of the session."),
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: OpenApiResponse(ErrorSerializer, description="The session was cancelled or is still to come."),
        },
    ),
)
class SessionViewSet(RoleGate, viewsets.ReadOnlyModelViewSet):
    """Sessions of visible runs; filter with ``?group_run=<id>``. Trainer and planner record attendance."""

    serializer_class = SessionSerializer
    allowed_roles = (Role.TRAINER, Role.PLANNER)

    def get_queryset(self) -> QuerySet[Session]:
        if self.fake():
            return Session.objects.none()
        sessions = scope(Session.objects.all(), self.user).select_related("room")
        run = id_filter(self, "group_run")
        return sessions.order_by("date", "starts_at", "id") if run is None else sessions.filter(group_run=run)

    @action(detail=True, methods=["post"], pagination_class=None)
    def attendance(self, request: Request, pk: str | None = None) -> Response:
        """Attendance per participant in one save; an absence becomes a signal to the participant's consultant."""
        session = self.get_object()
        participants = set(session_participants(session, self.user).values_list("pk", flat=True))
        serializer = AttendanceRecordSerializer(data=request.data, context={"participants": participants})
        serializer.is_valid(raise_exception=True)
        try:
            record_attendance(self.user, session, serializer.validated_data["statuses"])
        except AttendanceRefusedError as error:
            raise Conflict(str(error)) from error
        rows = (
            scope(Attendance.objects.all(), self.user)
            .filter(session=session)
            .select_related("participation")
            .order_by("id")
        )
        data = AttendanceSerializer(rows, many=True).data
        _audit_clients(request, [row["client"] for row in data], "API attendance list")
        return Response(data)


# Referrals


# Dossier content of a referral: only for a relation that opens the dossier (the consultant's own clients).
REFERRAL_DOSSIER_FIELDS = ("added_value", "instrument", "goal", "status_reason")


class ReferralSerializer(serializers.ModelSerializer):
    """The dossier fields (added value, instrument, goal, status reason) are dropped per referral unless the
    user's relation opens the dossier: the planner and the trainer never get them."""

    client_name = serializers.SerializerMethodField()
    programme_name = serializers.CharField(source="programme.name", read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "client",
            "client_name",
            "programme",
            "programme_name",
            "instrument",
            "goal",
            "added_value",
            "needed_variant",
            "support_note",
            "status",
            "status_reason",
            "referred_on",
            "deadline",
            "screened_on",
            "placed_on",
            "started_on",
            "ended_on",
            "group_run",
            "version",
        ]
        # Not read-only so the schema can list the dossier fields as optional (they are left out per referral, as
        # ClientDetailSerializer leaves out fields); the serializer only ever renders, it never saves.
        read_only_fields = [name for name in fields if name not in REFERRAL_DOSSIER_FIELDS]
        extra_kwargs = {name: {"required": False} for name in REFERRAL_DOSSIER_FIELDS}

    def get_client_name(self, referral: Referral) -> str:
        return f"{referral.client.first_name} {referral.client.last_name}"

    def to_representation(self, instance: Referral) -> dict[str, Any]:
        data = super().to_representation(instance)
        if instance.pk not in self.context["dossier_pks"]:
            for name in REFERRAL_DOSSIER_FIELDS:
                data.pop(name, None)
        return data


class ReferralCreateSerializer(serializers.Serializer):
    """A referral from an instrument in the client's plan; the records are chosen from what you may see."""

    instrument = serializers.PrimaryKeyRelatedField(
        queryset=Instrument.objects.none(), help_text="The instrument in the client's plan that the group serves."
    )
    programme = serializers.PrimaryKeyRelatedField(
        queryset=Programme.objects.none(), help_text="A programme your organisation offers now."
    )
    goal = serializers.PrimaryKeyRelatedField(queryset=Goal.objects.none(), help_text="A goal of the same plan.")
    added_value = serializers.CharField(
        max_length=4000,
        allow_blank=True,
        help_text="Why this group, for this client, now: what working with others brings that individual guidance "
        "does not, and for which goal. Never to fill the group.",
    )
    needed_variant = serializers.ChoiceField(choices=Variant.choices, default=Variant.STANDARD)
    support_note = serializers.CharField(
        max_length=2000,
        allow_blank=True,
        default="",
        help_text="Extra support beside the group, when no fitting variant is chosen. Planner and trainer read it: "
        "no diagnosis.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = _context_user(self)
        trajectories = visible_trajectories(user)
        _limit(self, "instrument", Instrument.objects.filter(trajectory__in=trajectories))
        _limit(self, "goal", Goal.objects.filter(trajectory__in=trajectories))
        _limit(self, "programme", Programme.objects.filter(organisation=getattr(user, "organisation_id", None)))


class ReferralWithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=500,
        allow_blank=True,
        default="",
        help_text="Written in the referral's history; the planner reads it. No diagnosis.",
    )


class ReferralDeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=500,
        allow_blank=True,
        help_text="Required: written in the referral's history; the consultant reads it. No diagnosis.",
    )


class ReferralPlacementSerializer(serializers.Serializer):
    group_run = serializers.PrimaryKeyRelatedField(
        queryset=GroupRun.objects.none(), help_text="A run of the referral's programme."
    )
    accept_warnings = serializers.BooleanField(
        default=False,
        help_text="Place despite the warnings of a poor fit. Send true only after reading the warnings of an "
        "earlier 409 with code placement_warnings.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "group_run", scope(GroupRun.objects.all(), _context_user(self)))


PLACEMENT_REFUSED = "placement_refused"
PLACEMENT_WARNINGS = "placement_warnings"


class PlacementConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.ChoiceField(
        choices=[PLACEMENT_REFUSED, PLACEMENT_WARNINGS],
        help_text="placement_refused: this run is not possible (see reasons). placement_warnings: possible but a "
        "poor fit (see warnings); send the request again with accept_warnings=true to place anyway.",
    )
    reasons = serializers.ListField(child=serializers.CharField(), required=False)
    warnings = serializers.ListField(child=serializers.CharField(), required=False)
    warning_codes = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="variant, availability, municipality, deadline"
    )


REFERRAL_CONFLICT = OpenApiResponse(
    ErrorSerializer, description="The referral's status does not allow this step (e.g. it has ended)."
)


@extend_schema_view(
    list=extend_schema(
        summary="Referrals you may see",
        parameters=[
            OpenApiParameter("status", str, enum=ReferralStatus.values, description="Only referrals with this status."),
            OpenApiParameter("programme", int, description="Only referrals to this programme."),
        ],
    ),
    retrieve=extend_schema(summary="One referral"),
    create=extend_schema(
        summary="Refer a client to a programme (consultant)",
        description="Screened at once: a contra-indication, a need without a fitting variant or note, or an added "
        "value that is no argument refuses the referral (400, with the reasons per field); otherwise it waits.",
        request=ReferralCreateSerializer,
        responses={
            201: ReferralSerializer,
            400: OpenApiResponse(description="Refused, with the reasons per field (non_field_errors: the whole)."),
            403: FORBIDDEN,
        },
    ),
    withdraw=extend_schema(
        summary="Withdraw a referral of your client (consultant)",
        request=ReferralWithdrawSerializer,
        responses={200: ReferralSerializer, 403: FORBIDDEN, 404: NOT_FOUND, 409: REFERRAL_CONFLICT},
    ),
    decline=extend_schema(
        summary="Decline a referral, with a reason (planner)",
        request=ReferralDeclineSerializer,
        responses={
            200: ReferralSerializer,
            400: OpenApiResponse(description="The reason is missing."),
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: REFERRAL_CONFLICT,
        },
    ),
    place=extend_schema(
        summary="Place a waiting referral in a group run (planner)",
        request=ReferralPlacementSerializer,
        responses={
            200: ReferralSerializer,
            400: OpenApiResponse(description="No such run among those you may see."),
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: OpenApiResponse(
                PlacementConflictSerializer,
                description="Refused (code placement_refused, with reasons), or a poor fit that needs "
                "accept_warnings=true (code placement_warnings, with the warnings). Nothing was changed.",
            ),
        },
    ),
)
class ReferralViewSet(AuditedClientReads, RoleGate, viewsets.ReadOnlyModelViewSet):
    """Consultant: own clients' referrals in full; refers and withdraws. Planner: the organisation's, without
    dossier content; declines and places. Trainer: those in own current runs. Filter with ``?status=`` and
    ``?programme=``."""

    serializer_class = ReferralSerializer
    allowed_roles = (Role.CONSULTANT, Role.PLANNER, Role.TRAINER)
    audit_subject = "referral"
    action_roles = {
        "create": (Role.CONSULTANT,),
        "withdraw": (Role.CONSULTANT,),
        "decline": (Role.PLANNER,),
        "place": (Role.PLANNER,),
    }

    def get_queryset(self) -> QuerySet[Referral]:
        if self.fake():
            return Referral.objects.none()
        referrals = scope(Referral.objects.all(), self.user).select_related("client", "programme")
        status = choice_filter(self, "status", ReferralStatus.values)
        programme = id_filter(self, "programme")
        if status is not None:
            referrals = referrals.filter(status=status)
        if programme is not None:
            referrals = referrals.filter(programme=programme)
        return referrals.order_by("referred_on", "id")

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["dossier_pks"] = self._dossier_pks()
        return context

    def _dossier_pks(self) -> set[int]:
        user = self.user
        if self.fake() or not user.has_role(Role.CONSULTANT):
            return set()
        own = Referral.objects.filter(access.referrals_of_own_clients(user))
        return set(own.values_list("pk", flat=True))

    def _output(self, referral: Referral, status_code: int = status.HTTP_200_OK) -> Response:
        """The referral after a write, as the user may see it (the write's own audit event covers the read).

        A decline or withdrawal can end the user's relation to the referral; the answer then shows the written
        state once, with the same fields hidden as before."""
        current = self.get_queryset().filter(pk=referral.pk).first() or referral
        return Response(self.get_serializer(current).data, status=status_code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = ReferralCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            referral = referral_services.refer(
                self.user,
                data["instrument"],
                data["programme"],
                data["goal"],
                data["added_value"],
                data["needed_variant"],
                data["support_note"],
            )
        except DjangoValidationError as error:
            raise _refusal(error) from error
        return self._output(referral, status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        """Ends the referral with the reason in its history; a place in a run is freed."""
        referral = self.get_object()
        serializer = ReferralWithdrawSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            referral_services.withdraw(self.user, referral, serializer.validated_data["reason"])
        except TransitionError as error:
            raise Conflict(str(error)) from error
        return self._output(referral)

    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str | None = None) -> Response:
        """Ends the referral with the reason in its history (the consultant reads it); a place in a run is freed."""
        referral = self.get_object()
        serializer = ReferralDeclineSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            referral_services.decline(self.user, referral, serializer.validated_data["reason"])
        except DjangoValidationError as error:
            raise _refusal(error) from error
        except TransitionError as error:
            raise Conflict(str(error)) from error
        return self._output(referral)

    @action(detail=True, methods=["post"])
    def place(self, request: Request, pk: str | None = None) -> Response:
        """The client joins the run at its next session, with the fit checked as on the placement page."""
        referral = self.get_object()
        serializer = ReferralPlacementSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            place_referral(referral, data["group_run"], self.user, accept_warnings=data["accept_warnings"])
        except PlacementWarnings as warning:
            return Response(
                {
                    "detail": _(
                        "This group is a poor fit: %(warnings)s Send the request again with accept_warnings=true "
                        "to place the client anyway."
                    )
                    % {"warnings": " ".join(warning.warnings)},
                    "code": PLACEMENT_WARNINGS,
                    "warnings": warning.warnings,
                    "warning_codes": list(warning.codes),
                },
                status=status.HTTP_409_CONFLICT,
            )
        except (PlacementRefusedError, TransitionError) as refusal:
            reasons = refusal.reasons if isinstance(refusal, PlacementRefusedError) else [str(refusal)]
            return Response(
                {"detail": " ".join(reasons), "code": PLACEMENT_REFUSED, "reasons": reasons},
                status=status.HTTP_409_CONFLICT,
            )
        return self._output(referral)


# Hand-off signals


class HandOffSerializer(serializers.ModelSerializer):
    client = serializers.IntegerField(source="participation.client_id", read_only=True)
    group_run = serializers.IntegerField(source="participation.group_run_id", read_only=True)
    observations = serializers.SerializerMethodField()

    class Meta:
        model = HandOff
        fields = [
            "id",
            "participation",
            "client",
            "group_run",
            "advice",
            "observations",
            "written_at",
            "acknowledged_at",
            "version",
        ]
        read_only_fields = fields

    def get_observations(self, hand_off: HandOff) -> dict[str, str]:
        return {obs.factor: obs.observation for obs in hand_off.observations.all()}


@extend_schema_field(
    {
        "type": "object",
        "properties": {factor: {"type": "string"} for factor in IgmFactor.values},
        "additionalProperties": False,
        "description": "The trainer's observation per IGM factor (willen: attitude, perceived_norm, self_efficacy, "
        "intention; kunnen: skills, barriers). A factor left out is empty.",
    }
)
class ObservationsField(serializers.DictField):
    def to_internal_value(self, data: Any) -> dict[str, str]:
        value = super().to_internal_value(data)
        unknown = sorted(str(key) for key in value if key not in IgmFactor.values)
        if unknown:
            raise ValidationError(
                _("Unknown IGM factors: %(unknown)s. Use %(known)s.")
                % {"unknown": ", ".join(unknown), "known": ", ".join(IgmFactor.values)}
            )
        return value


class HandOffUpdateSerializer(serializers.Serializer):
    advice = serializers.CharField(max_length=4000, help_text="The advice to the consultant; required.")
    observations = ObservationsField(child=serializers.CharField(allow_blank=True, max_length=4000), default=dict)


class HandOffCreateSerializer(HandOffUpdateSerializer):
    participation = serializers.PrimaryKeyRelatedField(
        queryset=Participation.objects.none(), help_text="A participant of a group run you train."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = _context_user(self)
        own = (
            Participation.objects.filter(
                group_run__in=access.own_current_runs(user), client__in=visible_clients(user).values("pk")
            )
            if user is not None
            else Participation.objects.none()
        )
        _limit(self, "participation", own)


HAND_OFF_CONFLICT = OpenApiResponse(
    ErrorSerializer,
    description="The consultant has acknowledged the signal (it is a record now), or a signal for this "
    "participant exists already (change it with PATCH and If-Match).",
)
HAND_OFF_CHANGE_RESPONSES = {
    200: HandOffSerializer,
    403: FORBIDDEN,
    404: NOT_FOUND,
    409: HAND_OFF_CONFLICT,
    **CONDITIONAL_ERRORS,
}


@extend_schema_view(
    list=extend_schema(
        summary="Hand-off signals you may see",
        parameters=[OpenApiParameter("open", int, enum=[1], description="1: only those not yet acknowledged.")],
    ),
    retrieve=extend_schema(summary="One hand-off signal", parameters=[ETAG_HEADER], responses=HandOffSerializer),
    create=extend_schema(
        summary="Write the hand-off signal for a participant (trainer of the run)",
        request=HandOffCreateSerializer,
        parameters=[ETAG_HEADER],
        responses={
            201: HandOffSerializer,
            400: OpenApiResponse(description="Invalid input, e.g. a participant of a run you do not train."),
            403: FORBIDDEN,
            409: HAND_OFF_CONFLICT,
        },
    ),
    update=extend_schema(
        summary="Replace an unacknowledged hand-off signal (trainer; conditional: If-Match)",
        request=HandOffUpdateSerializer,
        parameters=[IF_MATCH, ETAG_HEADER],
        responses=HAND_OFF_CHANGE_RESPONSES,
    ),
    partial_update=extend_schema(
        summary="Change an unacknowledged hand-off signal (trainer; conditional: If-Match)",
        description="Observations sent are merged into the stored ones; an observation sent empty is cleared.",
        request=HandOffUpdateSerializer,
        parameters=[IF_MATCH, ETAG_HEADER],
        responses=HAND_OFF_CHANGE_RESPONSES,
    ),
    acknowledge=extend_schema(
        summary="Acknowledge a hand-off signal about your client (consultant)",
        description="You have read the signal and take over. Acknowledging twice changes nothing.",
        request=None,
        parameters=[ETAG_HEADER],
        responses={200: HandOffSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    ),
)
class HandOffViewSet(AuditedClientReads, RoleGate, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Hand-off signals: the consultant's about own clients, the trainer's for own runs. ``?open=1``: not yet seen.
    The trainer writes and changes a signal until the consultant acknowledges it."""

    serializer_class = HandOffSerializer
    allowed_roles = (Role.CONSULTANT, Role.TRAINER)
    audit_subject = "hand-off"
    action_roles = {
        "create": (Role.TRAINER,),
        "update": (Role.TRAINER,),
        "partial_update": (Role.TRAINER,),
        "acknowledge": (Role.CONSULTANT,),
    }

    def get_queryset(self) -> QuerySet[HandOff]:
        if self.fake():
            return HandOff.objects.none()
        rows = scope(HandOff.objects.all(), self.user).select_related("participation").prefetch_related("observations")
        if choice_filter(self, "open", ["1"]):
            rows = rows.filter(acknowledged_at__isnull=True)
        return rows.order_by("-written_at", "id")

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = etag(response.data["version"])
        return response

    def _output(self, hand_off: HandOff, status_code: int = status.HTTP_200_OK) -> Response:
        current = scope(HandOff.objects.all(), self.user).prefetch_related("observations").get(pk=hand_off.pk)
        response = Response(self.get_serializer(current).data, status=status_code)
        response["ETag"] = etag(current.version)
        return response

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = HandOffCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            hand_off = write_hand_off(self.user, data["participation"], data["advice"], _factors(data["observations"]))
        except StaleEditError as error:
            raise Conflict(
                _(
                    "A hand-off signal for this participant exists already. Read it and change it with PATCH and "
                    "If-Match."
                )
            ) from error
        except HandOffAcknowledgedError as error:
            raise Conflict(_acknowledged()) from error
        return self._output(hand_off, status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        hand_off = self.get_object()
        version = expected_version(request, hand_off.version)
        partial = kwargs.get("partial", False)
        serializer = HandOffUpdateSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        observations = dict(data.get("observations", {}))
        if partial:
            stored = {obs.factor: obs.observation for obs in hand_off.observations.all()}
            observations = {**stored, **observations}
        try:
            write_hand_off(
                self.user,
                hand_off.participation,
                data.get("advice", hand_off.advice),
                _factors(observations),
                version=version,
            )
        except StaleEditError as error:
            raise PreconditionFailed(
                _("Someone else saved this record while your change was being saved. Nothing was changed.")
            ) from error
        except HandOffAcknowledgedError as error:
            raise Conflict(_acknowledged()) from error
        return self._output(hand_off)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)

    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: str | None = None) -> Response:
        """The consultant has read the signal and takes over; from then on it is a record."""
        hand_off = self.get_object()
        seen_before = hand_off.acknowledged_at is not None
        acknowledge_hand_off(self.user, hand_off)
        if seen_before:  # nothing changed, so no write event covers this answer
            _audit_clients(request, [hand_off.participation.client_id], "API hand-off detail")
        return self._output(hand_off)


def _factors(observations: Mapping[str, str]) -> dict[IgmFactor, str]:
    return {IgmFactor(factor): text for factor, text in observations.items()}


def _acknowledged() -> str:
    return _("The consultant has already seen this signal, so it can no longer be changed.")


def _audit_clients(request: Request, client_ids: list[int], reason: str) -> None:
    record_client_reads(request.user, [Client(pk=pk) for pk in dict.fromkeys(client_ids)], reason=reason)


def register(router: BaseRouter) -> None:
    """The group-work endpoints under /api/v1/ (called from koers/api/urls.py)."""
    router.register("programmes", ProgrammeViewSet, basename="programme")
    router.register("group-runs", GroupRunViewSet, basename="grouprun")
    router.register("sessions", SessionViewSet, basename="session")
    router.register("referrals", ReferralViewSet, basename="referral")
    router.register("attendance", AttendanceViewSet, basename="attendance")
    router.register("hand-offs", HandOffViewSet, basename="handoff")
