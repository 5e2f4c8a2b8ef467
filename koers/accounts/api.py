from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view, schema
from rest_framework.request import Request
from rest_framework.response import Response

from koers.api.schema import ErrorDocumentingSchema


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField()
    organisation = serializers.CharField(allow_null=True)
    roles = serializers.ListField(child=serializers.CharField())
    teams = serializers.ListField(child=serializers.CharField())


@extend_schema(responses=MeSerializer, summary="The signed-in staff member and their roles")
@api_view(["GET"])
@schema(ErrorDocumentingSchema())
def me(request: Request) -> Response:
    user = request.user
    data = {
        "username": user.get_username(),
        "full_name": user.get_full_name(),  # type: ignore[union-attr]
        "organisation": str(user.organisation) if user.organisation_id else None,  # type: ignore[union-attr]
        "roles": sorted(user.roles),  # type: ignore[union-attr]
        "teams": [team.name for team in user.teams.all()],  # type: ignore[union-attr]
    }
    return Response(MeSerializer(data).data)
