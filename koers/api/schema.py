"""Tell the OpenAPI schema how Koers's authentication classes work."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


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
