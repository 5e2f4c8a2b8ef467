"""Reads of client data, always scoped to what the user may see."""

from typing import Any

from django.db.models import Count, Q, QuerySet

from koers.access.scoping import scope
from koers.clients.models import CONTRA_INDICATION_KINDS, NEED_KINDS, Client, FlagKind, Rectification


def visible_clients(user: Any) -> QuerySet[Client]:
    return scope(Client.objects.all(), user).select_related("municipality", "consultant")


def organisation_client(user: Any, pk: int) -> Client | None:
    """A client of the user's organisation, for the privacy officer, who answers for all of them."""
    return (
        Client.objects.filter(organisation_id=user.organisation_id or 0, pk=pk)
        .select_related("organisation", "municipality")
        .first()
    )


def rectification_history(client: Client) -> list[Rectification]:
    return list(client.rectifications.select_related("by"))


def search_clients(user: Any, query: str = "", municipality_id: int | None = None) -> QuerySet[Client]:
    clients = visible_clients(user)
    query = query.strip()
    if query:
        condition = Q(last_name__icontains=query) | Q(first_name__icontains=query)
        if query.isdecimal() and query.isascii():
            condition |= Q(pk=int(query))
        clients = clients.filter(condition)
    if municipality_id:
        clients = clients.filter(municipality_id=municipality_id)
    return clients


def caseload_figures(user: Any) -> dict[str, int]:
    """Counts for a consultant's start page, in one aggregate query."""
    own = Client.objects.filter(consultant=user)
    return own.aggregate(
        clients=Count("pk", distinct=True),
        with_need=Count("pk", filter=Q(flags__kind__in=NEED_KINDS), distinct=True),
        with_contra_indication=Count("pk", filter=Q(flags__kind__in=CONTRA_INDICATION_KINDS), distinct=True),
        low_language=Count("pk", filter=Q(flags__kind=FlagKind.LOW_LANGUAGE), distinct=True),
    )
