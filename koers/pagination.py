from django.http import HttpRequest


def query_prefix(request: HttpRequest) -> str:
    """The current filters as a query string for page links, ending in '&' when there are any."""
    params = request.GET.copy()
    params.pop("pagina", None)
    encoded = params.urlencode()
    return f"{encoded}&" if encoded else ""
