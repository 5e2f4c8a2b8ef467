"""Second-factor state of a login. Every staff account needs TOTP, except seeded demo accounts in demo mode."""

from django.conf import settings
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice


def demo_exempt(user: object) -> bool:
    return bool(settings.DEMO_MODE and getattr(user, "is_demo_account", False))


def second_factor_done(request: HttpRequest) -> bool:
    user = request.user
    if not user.is_authenticated:
        return False
    return demo_exempt(user) or bool(getattr(user, "is_verified", lambda: False)())


def confirmed_device(user: object) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()
