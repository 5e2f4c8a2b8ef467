"""The trajectory section of the client page, so that the client app needs no knowledge of trajectories."""

from typing import Any

from django import template

from koers.clients.models import Client

register = template.Library()


@register.inclusion_tag("trajectories/client_trajectory_section.html")
def client_trajectory_section(client: Client) -> dict[str, Any]:
    """The open trajectory or a link to start one, and earlier trajectories: one query."""
    trajectories = list(client.trajectories.all())
    return {
        "client": client,
        "open_trajectory": next((t for t in trajectories if t.is_open), None),
        "ended": [t for t in trajectories if not t.is_open],
    }
