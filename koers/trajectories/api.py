"""Trajectories over the API: the same scoping as the pages, an audit event per client read, and no lost updates.

Every queryset starts from ``visible_trajectories`` (out of scope: 404, alike for missing and forbidden); roles
other than consultant and team manager get 403. A list writes one read event per client on the page, in one
query; a detail read, a create and an update write their own event (writes in the transaction of the change,
through ``services``). Goals and instruments carry a ``version``: responses send it as ``ETag``, and a PUT or
PATCH must send it back in ``If-Match`` (428 without, 412 when someone saved in between; RFC 9110, RFC 6585).
"""

from typing import Any, ClassVar

from django.db.models import F, Model, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import APIException, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from koers.accounts.roles import Role
from koers.api.filters import id_filter
from koers.api.schema import ErrorDocumentingSchema, ErrorSerializer
from koers.audit.models import Action
from koers.audit.services import record_client_reads, record_event
from koers.clients.models import Client
from koers.trajectories.models import (
    Goal,
    IgmFactorScore,
    IgmProfile,
    Instrument,
    InstrumentType,
    LifeDomainAssessment,
    LifeDomainScore,
    OutflowReason,
    ProgressReport,
    ProgressReportFacet,
    Trajectory,
)
from koers.trajectories.selectors import visible_trajectories
from koers.trajectories.services import (
    StaleEditError,
    TrajectoryClosedError,
    create_goal,
    create_instrument,
    update_goal,
    update_instrument,
)

API_ROLES = (Role.CONSULTANT, Role.TEAM_MANAGER)


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"


class PreconditionRequired(APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_code = "precondition_required"


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def etag(version: int) -> str:
    return f'"{version}"'


def expected_version(request: Request, current: int) -> int:
    """The version the caller last read, from ``If-Match``; 428 without the header, 412 when it is not current."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise PreconditionRequired(
            _('Send the ETag of the version you read in the If-Match header, e.g. If-Match: "%(etag)s".')
            % {"etag": current}
        )
    tags = {tag.strip() for tag in header.split(",")}
    if "*" in tags or etag(current) in tags:
        return current
    raise PreconditionFailed(
        _(
            "Someone else saved this record after you read it (you sent If-Match: %(sent)s, the current ETag is "
            "%(current)s). Nothing was changed. Read it again, apply your change to the current version and send "
            "its ETag."
        )
        % {"sent": header, "current": etag(current)}
    )


# Output serializers


class TrajectorySerializer(serializers.ModelSerializer):
    # Blank while the trajectory runs; a read-only model field would drop the blank from the schema's enum.
    outflow_reason = serializers.ChoiceField(choices=OutflowReason.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Trajectory
        fields = [
            "id",
            "client",
            "started_on",
            "ended_on",
            "outflow_reason",
            "future_perspective",
            "strengths",
            "plan_agreed_on",
            "plan_agreement",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class GoalSerializer(serializers.ModelSerializer):
    class Meta:
        model = Goal
        fields = ["id", "trajectory", "parent", "text", "target_date", "status", "version", "created_at"]
        read_only_fields = fields


class InstrumentSerializer(serializers.ModelSerializer):
    instrument_type_name = serializers.CharField(source="instrument_type.name", read_only=True)

    class Meta:
        model = Instrument
        fields = [
            "id",
            "trajectory",
            "goal",
            "instrument_type",
            "instrument_type_name",
            "purpose",
            "expected_result",
            "started_on",
            "planned_weeks",
            "review_on",
            "status",
            "outcome",
            "ended_on",
            "stop_reason",
            "version",
            "created_at",
        ]
        read_only_fields = fields


class LifeDomainScoreSerializer(serializers.ModelSerializer):
    class Meta:
        model = LifeDomainScore
        fields = ["domain", "score", "note"]
        read_only_fields = fields


class LifeDomainAssessmentSerializer(serializers.ModelSerializer):
    scores = LifeDomainScoreSerializer(many=True, read_only=True)

    class Meta:
        model = LifeDomainAssessment
        fields = ["id", "trajectory", "assessed_on", "assessed_by", "created_at", "scores"]
        read_only_fields = fields


class IgmFactorScoreSerializer(serializers.ModelSerializer):
    class Meta:
        model = IgmFactorScore
        fields = ["factor", "score", "description"]
        read_only_fields = fields


class IgmProfileSerializer(serializers.ModelSerializer):
    factors = IgmFactorScoreSerializer(many=True, read_only=True)

    class Meta:
        model = IgmProfile
        fields = ["id", "trajectory", "target_behaviour", "assessed_on", "assessed_by", "created_at", "factors"]
        read_only_fields = fields


class ProgressReportFacetSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgressReportFacet
        fields = ["factor", "changed", "next_steps"]
        read_only_fields = fields


class ProgressReportSerializer(serializers.ModelSerializer):
    facets = ProgressReportFacetSerializer(many=True, read_only=True)

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "trajectory",
            "written_on",
            "author",
            "period_start",
            "period_end",
            "summary",
            "life_domain_assessment",
            "igm_profile",
            "created_at",
            "facets",
        ]
        read_only_fields = fields


# Input serializers: related records can only be chosen from what the user may see.


class _ScopedInputSerializer(serializers.ModelSerializer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        user = request.user if request is not None else None  # no request (the schema): nothing to choose
        trajectories = visible_trajectories(user)
        choices = {
            "trajectory": trajectories,
            "parent": Goal.objects.filter(trajectory__in=trajectories),
            "goal": Goal.objects.filter(trajectory__in=trajectories),
            "instrument_type": InstrumentType.objects.filter(organisation_id=getattr(user, "organisation_id", 0) or 0),
        }
        for name, queryset in choices.items():
            field = self.fields.get(name)
            if isinstance(field, serializers.PrimaryKeyRelatedField):
                field.queryset = queryset


class GoalUpdateSerializer(_ScopedInputSerializer):
    class Meta:
        model = Goal
        fields = ["parent", "text", "target_date", "status"]


class GoalCreateSerializer(_ScopedInputSerializer):
    class Meta:
        model = Goal
        fields = ["trajectory", "parent", "text", "target_date", "status"]


class InstrumentUpdateSerializer(_ScopedInputSerializer):
    class Meta:
        model = Instrument
        fields = [
            "goal",
            "instrument_type",
            "purpose",
            "expected_result",
            "started_on",
            "planned_weeks",
            "review_on",
            "status",
            "outcome",
            "stop_reason",
        ]


class InstrumentCreateSerializer(_ScopedInputSerializer):
    class Meta:
        model = Instrument
        fields = ["trajectory", *InstrumentUpdateSerializer.Meta.fields]


# Viewsets


class _TrajectoryRecordViewSet(viewsets.GenericViewSet):
    """Scoped list and detail of one kind of trajectory record, with the reads written to the audit trail."""

    lookup_value_regex = r"\d+"
    schema = ErrorDocumentingSchema()
    model: ClassVar[type[Model]]
    client_path: ClassVar[str] = "trajectory__client_id"
    trajectory_path: ClassVar[str] = "trajectory"
    record_name: ClassVar[str]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if not request.user.has_role(*API_ROLES):  # type: ignore[union-attr]
            raise PermissionDenied

    def scoped(self, trajectories: QuerySet[Trajectory]) -> QuerySet[Any]:
        return self.model._default_manager.filter(trajectory__in=trajectories)

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):
            return self.model._default_manager.none()
        records = self.scoped(visible_trajectories(self.request.user)).annotate(audit_client_id=F(self.client_path))
        trajectory = id_filter(self, "trajectory")
        if trajectory is not None:
            records = records.filter(**{self.trajectory_path: trajectory})
        return records

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None
        # One event per client on the page, naming the client as the client list does; the ids suffice.
        client_ids = sorted({record.audit_client_id for record in page})
        record_client_reads(request.user, [Client(pk=pk) for pk in client_ids], reason=f"API {self.record_name} list")
        serializer = self.get_serializer(page, many=True)
        return self.get_paginated_response(serializer.data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        record = self.get_object()
        record_event(
            request.user, Action.READ, record, client_id=record.audit_client_id, reason=f"API {self.record_name} detail"
        )
        response = Response(self.get_serializer(record).data)
        if hasattr(record, "version"):
            response["ETag"] = etag(record.version)
        return response


TRAJECTORY_FILTER = OpenApiParameter("trajectory", int, description="Only the records of this trajectory.")
ETAG_HEADER = OpenApiParameter(
    "ETag",
    str,
    OpenApiParameter.HEADER,
    response=[200, 201],
    description='The record\'s version, e.g. "3"; send it back in If-Match to change the record.',
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=True,
    description='The ETag of the version you read, e.g. "3". The change is refused (412) when the record was '
    "saved by someone else in between.",
)
WRITE_ERRORS = {
    400: OpenApiResponse(description="Invalid input, e.g. a goal of another trajectory."),
    404: OpenApiResponse(description="Not found, or outside what you may see."),
    409: OpenApiResponse(ErrorSerializer, description="The trajectory has ended; its plan is no longer changed."),
}
CONDITIONAL_ERRORS = {
    412: OpenApiResponse(
        ErrorSerializer,
        description="Precondition Failed: If-Match is not the current ETag (someone saved in between). "
        "Nothing was changed.",
    ),
    428: OpenApiResponse(ErrorSerializer, description="Precondition Required: the If-Match header is missing."),
}


def _list_and_detail(name: str, serializer: type[serializers.Serializer], *filters: OpenApiParameter) -> Any:
    return extend_schema_view(
        list=extend_schema(summary=f"{name} the user may see", parameters=list(filters), responses=serializer),
        retrieve=extend_schema(summary=f"One {name.lower().rstrip('s')}", responses=serializer),
    )


@_list_and_detail(
    "Trajectories", TrajectorySerializer, OpenApiParameter("client", int, description="Only this client's.")
)
class TrajectoryViewSet(_TrajectoryRecordViewSet):
    """Trajectories of the clients the user may see: perspective, plan agreement, start and end."""

    model = Trajectory
    serializer_class = TrajectorySerializer
    client_path = "client_id"
    trajectory_path = "pk"
    record_name = "trajectory"

    def scoped(self, trajectories: QuerySet[Trajectory]) -> QuerySet[Any]:
        records = trajectories.select_related(None)
        client = id_filter(self, "client")
        return records if client is None else records.filter(client_id=client)


@_list_and_detail("Life-domain assessments", LifeDomainAssessmentSerializer, TRAJECTORY_FILTER)
class LifeDomainAssessmentViewSet(_TrajectoryRecordViewSet):
    """The eight life domains scored at one moment (1 = acute problems, an urgent barrier; 5 = fully self-reliant)."""

    model = LifeDomainAssessment
    serializer_class = LifeDomainAssessmentSerializer
    record_name = "life-domain assessment"

    def scoped(self, trajectories: QuerySet[Trajectory]) -> QuerySet[Any]:
        return super().scoped(trajectories).prefetch_related("scores")


@_list_and_detail("IGM profiles", IgmProfileSerializer, TRAJECTORY_FILTER)
class IgmProfileViewSet(_TrajectoryRecordViewSet):
    """The IGM diagnosis for one target behaviour: each factor scored 1 (hinders) to 5 (supports) and described."""

    model = IgmProfile
    serializer_class = IgmProfileSerializer
    record_name = "IGM profile"

    def scoped(self, trajectories: QuerySet[Trajectory]) -> QuerySet[Any]:
        return super().scoped(trajectories).prefetch_related("factors")


@_list_and_detail("Progress reports", ProgressReportSerializer, TRAJECTORY_FILTER)
class ProgressReportViewSet(_TrajectoryRecordViewSet):
    """Progress reports with, per IGM facet, what changed and what is next."""

    model = ProgressReport
    serializer_class = ProgressReportSerializer
    record_name = "progress report"

    def scoped(self, trajectories: QuerySet[Trajectory]) -> QuerySet[Any]:
        return super().scoped(trajectories).prefetch_related("facets")


class _VersionedWriteMixin:
    """Create and conditional update (PUT/PATCH with If-Match) through the trajectory services."""

    output_serializer: ClassVar[type[serializers.Serializer]]
    create_serializer: ClassVar[type[serializers.Serializer]]
    update_serializer: ClassVar[type[serializers.Serializer]]

    def perform_write(self, trajectory: Trajectory, data: dict[str, Any], record: Any, version: int) -> Any:
        raise NotImplementedError

    def _respond(self, record: Any, status_code: int = status.HTTP_200_OK) -> Response:
        response = Response(self.output_serializer(record).data, status=status_code)
        response["ETag"] = etag(record.version)
        return response

    def _write(self, trajectory: Trajectory, data: dict[str, Any], record: Any = None, version: int = 0) -> Any:
        try:
            return self.perform_write(trajectory, data, record, version)
        except StaleEditError as error:
            raise PreconditionFailed(
                _("Someone else saved this record while your change was being saved. Nothing was changed.")
            ) from error
        except TrajectoryClosedError as error:
            raise Conflict(_("The trajectory has ended; its plan is no longer changed.")) from error
        except ValueError as error:
            raise ValidationError({"non_field_errors": [str(error)]}) from error

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.create_serializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        trajectory = data.pop("trajectory")
        return self._respond(self._write(trajectory, data), status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        record = self.get_object()  # type: ignore[attr-defined]
        version = expected_version(request, record.version)
        partial = kwargs.get("partial", False)
        serializer = self.update_serializer(record, data=request.data, partial=partial, context={"request": request})
        serializer.is_valid(raise_exception=True)
        return self._respond(self._write(record.trajectory, dict(serializer.validated_data), record, version))

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)


def _write_schema(name: str, output: type, create: type, update: type) -> Any:
    return extend_schema_view(
        create=extend_schema(
            summary=f"Add a {name}",
            request=create,
            parameters=[ETAG_HEADER],
            responses={201: output, **WRITE_ERRORS},
        ),
        update=extend_schema(
            summary=f"Replace a {name} (conditional: If-Match)",
            request=update,
            parameters=[IF_MATCH, ETAG_HEADER],
            responses={200: output, **WRITE_ERRORS, **CONDITIONAL_ERRORS},
        ),
        partial_update=extend_schema(
            summary=f"Change a {name} (conditional: If-Match)",
            request=update,
            parameters=[IF_MATCH, ETAG_HEADER],
            responses={200: output, **WRITE_ERRORS, **CONDITIONAL_ERRORS},
        ),
        retrieve=extend_schema(summary=f"One {name}", parameters=[ETAG_HEADER], responses=output),
        list=extend_schema(summary=f"{name.capitalize()}s the user may see", parameters=[TRAJECTORY_FILTER]),
    )


@_write_schema("goal", GoalSerializer, GoalCreateSerializer, GoalUpdateSerializer)
class GoalViewSet(_VersionedWriteMixin, _TrajectoryRecordViewSet):
    """Goals in the client's own words; a goal with a parent is an intermediate goal. Changes need If-Match."""

    model = Goal
    serializer_class = GoalSerializer
    output_serializer = GoalSerializer
    create_serializer = GoalCreateSerializer
    update_serializer = GoalUpdateSerializer
    record_name = "goal"
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def scoped(self, trajectories: QuerySet[Trajectory]) -> QuerySet[Any]:
        return super().scoped(trajectories).select_related("trajectory")

    def perform_write(self, trajectory: Trajectory, data: dict[str, Any], record: Any, version: int) -> Any:
        if record is None:
            return create_goal(self.request.user, trajectory, data)
        return update_goal(self.request.user, record, data, version=version)


@_write_schema("instrument", InstrumentSerializer, InstrumentCreateSerializer, InstrumentUpdateSerializer)
class InstrumentViewSet(_VersionedWriteMixin, _TrajectoryRecordViewSet):
    """Instruments for a goal, with planned duration and review date; stopping one needs a reason. Changes need
    If-Match."""

    model = Instrument
    serializer_class = InstrumentSerializer
    output_serializer = InstrumentSerializer
    create_serializer = InstrumentCreateSerializer
    update_serializer = InstrumentUpdateSerializer
    record_name = "instrument"
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def scoped(self, trajectories: QuerySet[Trajectory]) -> QuerySet[Any]:
        return super().scoped(trajectories).select_related("trajectory__client", "instrument_type", "goal")

    def perform_write(self, trajectory: Trajectory, data: dict[str, Any], record: Any, version: int) -> Any:
        if record is None:
            return create_instrument(self.request.user, trajectory, data)
        # A PATCH may leave out the catalogue entry and the goal; the checks need them.
        data = {"instrument_type": record.instrument_type, "goal": record.goal, **data}
        return update_instrument(self.request.user, record, data, version=version)


def register(router: BaseRouter) -> None:
    """The trajectory endpoints under /api/v1/ (called from koers/api/urls.py)."""
    router.register("trajectories", TrajectoryViewSet, basename="trajectory")
    router.register("goals", GoalViewSet, basename="goal")
    router.register("instruments", InstrumentViewSet, basename="instrument")
    router.register("life-domain-assessments", LifeDomainAssessmentViewSet, basename="lifedomainassessment")
    router.register("igm-profiles", IgmProfileViewSet, basename="igmprofile")
    router.register("progress-reports", ProgressReportViewSet, basename="progressreport")
