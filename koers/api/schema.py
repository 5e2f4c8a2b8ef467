"""Tell the OpenAPI schema how Koers's authentication classes work, and which error answers every endpoint gives."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import serializers


class VerifiedSessionScheme(OpenApiAuthenticationExtension):
    target_class = "koers.api.authentication.VerifiedSessionAuthentication"
    name = "session"

    def get_security_definition(self, auto_schema: object) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": "sessionid",
            "description": "Browser session after password and second factor.",
        }


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "koers.api.authentication.AuditedTokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema: object) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'Header "Authorization: Token <key>"; tokens come from manage.py api_token.',
        }


@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^\d{2}:\d{2}:\d{2}(\.\d+)?$",
        "example": "09:30:00",
        "description": "Local time in the Netherlands, without offset.",
    }
)
class LocalTimeField(serializers.TimeField):
    """A wall-clock time such as a session's start: OpenAPI's ``time`` format would demand a UTC offset."""


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


FORBIDDEN = OpenApiResponse(
    ErrorSerializer,
    description="Not signed in (a browser session needs the second factor; a token must be valid and not expired), "
    "or your role does not do this.",
)
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="Not found, or outside what you may see.")
NO_SUCH_PAGE = OpenApiResponse(ErrorSerializer, description="No such page: the page number is past the last page.")
INVALID = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="Invalid input: the messages per field (non_field_errors: the request as a whole), or a body that "
    "could not be read.",
)
INVALID_FILTER = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="A filter or page_size in the query string has a value it does not take (per parameter).",
)
THROTTLED = OpenApiResponse(
    ErrorSerializer, description="Too many requests; try again after the number of seconds in Retry-After."
)


class ErrorDocumentingSchema(AutoSchema):
    """Adds the error answers DRF gives on every endpoint (403, 404, 429, and 400 on writes and filtered lists) to
    the ones an operation declares itself, so the schema lists every status code a client can get."""

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        for code, response in self.error_responses().items():
            if code not in responses:
                responses[code] = self._get_response_for_code(response, code, direction=direction)
        return dict(sorted(responses.items()))

    def error_responses(self) -> dict[str, OpenApiResponse]:
        errors = {"403": FORBIDDEN, "429": THROTTLED}
        if "{" in self.path:
            errors["404"] = NOT_FOUND
        elif getattr(self.view, "action", None) == "list":
            errors["404"] = NO_SUCH_PAGE
            errors["400"] = INVALID_FILTER  # at least page_size, which every paginated list takes
        if self.method in ("POST", "PUT", "PATCH") and self.get_request_serializer() is not None:
            errors["400"] = INVALID
        return errors
