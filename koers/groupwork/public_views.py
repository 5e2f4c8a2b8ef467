"""Public programme pages for network partners (DOMAIN.md §2): no login, no personal data.

The browser may keep a page for five minutes; shared caches may not, because the page sets a CSRF cookie (the
language switch is a form).

A signed-in user gets the same page; PrivacyHeadersMiddleware then replaces the cache header by no-store, because
the page header shows the user's name.
"""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from koers.groupwork.public_selectors import (
    catalogue,
    contra_indication_labels,
    group_starts,
    public_programme,
    variant_labels,
)
from koers.pagination import query_prefix


@require_safe
@cache_control(private=True, max_age=300)
def catalogue_page(request: HttpRequest) -> HttpResponse:
    page = Paginator(catalogue(), 50).get_page(request.GET.get("pagina"))
    return render(request, "groupwork/public/catalogue.html", {"page": page, "query_prefix": query_prefix(request)})


@require_safe
@cache_control(private=True, max_age=300)
def programme_page(request: HttpRequest, pk: int) -> HttpResponse:
    programme = public_programme(pk)
    if programme is None:
        raise Http404
    return render(
        request,
        "groupwork/public/programme.html",
        {
            "programme": programme,
            "starts": group_starts(programme),
            "contra_indications": contra_indication_labels(programme),
            "variants": variant_labels(programme),
        },
    )
