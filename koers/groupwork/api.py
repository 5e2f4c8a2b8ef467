from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request

from koers.accounts.roles import Role
from koers.groupwork.models import GroupRun
from koers.groupwork.selectors import visible_runs


class GroupRunSerializer(serializers.ModelSerializer):
    programme = serializers.CharField(source="programme.name")
    room = serializers.CharField(source="room.name", allow_null=True, default=None)
    participant_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = GroupRun
        fields = ["id", "programme", "start_date", "status", "room", "participant_count"]


class GroupRunViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = GroupRunSerializer
    lookup_value_regex = r"\d+"

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if not request.user.has_role(Role.TRAINER, Role.PLANNER):  # type: ignore[union-attr]
            raise PermissionDenied

    def get_queryset(self) -> QuerySet[GroupRun]:
        if getattr(self, "swagger_fake_view", False):
            return GroupRun.objects.none()
        return visible_runs(self.request.user).order_by("start_date", "id")
