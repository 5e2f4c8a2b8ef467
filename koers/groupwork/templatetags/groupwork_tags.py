"""The group-work section of the client page, so that the client app needs no knowledge of group work."""

from typing import Any

from django import template

from koers.clients.models import Client
from koers.groupwork.referral_selectors import referrals_for_client

register = template.Library()


@register.inclusion_tag("groupwork/referrals/_client_referrals.html", takes_context=True)
def client_referrals_section(context: dict[str, Any], client: Client) -> dict[str, Any]:
    """The client's referrals to group programmes that the user may see: one query."""
    return {"referrals": list(referrals_for_client(context["request"].user, client)), "client": client}
