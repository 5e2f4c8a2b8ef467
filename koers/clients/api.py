"""Clients over the API: the same scoping as the pages, and per client only the data categories the user may see."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from koers.access.categories import DataCategory
from koers.access.scoping import categories_for
from koers.accounts.roles import Role
from koers.api.schema import ErrorDocumentingSchema
from koers.audit.models import Action
from koers.audit.services import record_client_reads, record_event
from koers.clients.models import Client
from koers.clients.selectors import search_clients, visible_clients

CLIENT_ROLES = (Role.CONSULTANT, Role.TEAM_MANAGER, Role.TRAINER, Role.PLANNER)


class ClientListSerializer(serializers.ModelSerializer):
    municipality = serializers.CharField(source="municipality.name")

    class Meta:
        model = Client
        fields = ["id", "first_name", "last_name", "municipality"]


class FlagSerializer(serializers.Serializer):
    kind = serializers.CharField()
    description = serializers.CharField(source="get_kind_display")
    recorded_at = serializers.DateTimeField()


class ClientDetailSerializer(serializers.ModelSerializer):
    """Fields outside the user's categories are left out of the answer, not blanked."""

    municipality = serializers.CharField(source="municipality.name")
    flags = serializers.SerializerMethodField()

    CATEGORY_FIELDS = {
        DataCategory.CONTACT: ["email", "phone", "street", "postal_code", "city", "availability"],
        DataCategory.GROUP_NEEDS: ["language_level"],
        DataCategory.BSN: ["bsn"],
        DataCategory.DOSSIER: ["date_of_birth"],
    }

    class Meta:
        model = Client
        fields = [
            "id",
            "first_name",
            "last_name",
            "municipality",
            "email",
            "phone",
            "street",
            "postal_code",
            "city",
            "bsn",
            "date_of_birth",
            "language_level",
            "availability",
            "version",
            "flags",
        ]
        extra_kwargs = {name: {"required": False} for name in fields}

    def get_flags(self, client: Client) -> list[dict[str, Any]]:
        categories = self.context["categories"]
        shown = [flag for flag in client.flags.all() if flag.category in categories]
        return FlagSerializer(shown, many=True).data  # type: ignore[return-value]

    def to_representation(self, instance: Client) -> dict[str, Any]:
        data = super().to_representation(instance)
        categories = self.context["categories"]
        for category, names in self.CATEGORY_FIELDS.items():
            if category not in categories:
                for name in names:
                    data.pop(name, None)
        return data


@extend_schema_view(
    list=extend_schema(summary="Clients the user may see", responses=ClientListSerializer(many=True)),
    retrieve=extend_schema(
        summary="One client, limited to the data categories of the user's relation",
        responses=ClientDetailSerializer,
    ),
)
class ClientViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ClientListSerializer
    lookup_value_regex = r"\d+"
    schema = ErrorDocumentingSchema()

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if not request.user.has_role(*CLIENT_ROLES):  # type: ignore[union-attr]
            raise PermissionDenied

    def get_queryset(self) -> QuerySet[Client]:
        if getattr(self, "swagger_fake_view", False):
            return Client.objects.none()
        return search_clients(self.request.user, self.request.query_params.get("q", ""))

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None
        record_client_reads(request.user, page, reason="API client list")
        return self.get_paginated_response(ClientListSerializer(page, many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        client = visible_clients(request.user).filter(pk=kwargs["pk"]).prefetch_related("flags").first()
        if client is None:
            from django.http import Http404

            raise Http404
        categories = categories_for(request.user, client)
        record_event(request.user, Action.READ, client, client_id=client.pk, reason="API client detail")
        return Response(ClientDetailSerializer(client, context={"categories": categories}).data)
