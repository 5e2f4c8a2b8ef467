import base64
import math

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from koers.accounts.forms import LoginForm, TokenForm
from koers.accounts.mfa import confirmed_device, demo_exempt, second_factor_done
from koers.audit.models import Action
from koers.audit.services import record_event


class KoersLoginView(LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def get_success_url(self) -> str:
        if demo_exempt(self.request.user):
            return super().get_success_url()
        step = "accounts:mfa_verify" if confirmed_device(self.request.user) else "accounts:mfa_enrol"
        next_url = self.get_redirect_url()
        url = reverse(step)
        return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return str(redirect(settings.LOGIN_REDIRECT_URL).url)


def _complete_login(request: HttpRequest, device: TOTPDevice, reason: str) -> None:
    """Marks the session as verified under a new session key, so a key seen before the second step is worthless."""
    request.session.cycle_key()
    otp_login(request, device)
    record_event(request.user, Action.MFA, device, reason=reason)


def _code_accepted(device: TOTPDevice, form: TokenForm, wrong_code_message: str) -> bool:
    """Checks the code; after wrong codes django-otp refuses any code for a growing delay, and we say so."""
    allowed, details = device.verify_is_allowed()
    if not allowed:
        locked_until = (details or {}).get("locked_until")
        seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds())) if locked_until else 1
        form.add_error(
            "token",
            ngettext(
                "Too many attempts. Wait %(seconds)s second and enter the new code.",
                "Too many attempts. Wait %(seconds)s seconds and enter the new code.",
                seconds,
            )
            % {"seconds": seconds},
        )
        return False
    if device.verify_token(form.cleaned_data["token"]):
        return True
    form.add_error("token", wrong_code_message)
    return False


@login_required
def mfa_verify(request: HttpRequest) -> HttpResponse:
    """The second step of every login: a code from the authenticator app."""
    if second_factor_done(request):
        return redirect(_next_url(request))
    device = confirmed_device(request.user)
    if device is None:
        return redirect("accounts:mfa_enrol")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wrong = _("This code is not correct or has expired. Enter the current code.")
        if _code_accepted(device, form, wrong):
            _complete_login(request, device, reason="verified")
            return redirect(_next_url(request))
        record_event(request.user, Action.MFA, device, reason="failed")
    return render(request, "accounts/mfa_verify.html", {"form": form, "next": request.GET.get("next", "")})


@login_required
def mfa_enrol(request: HttpRequest) -> HttpResponse:
    """First login: link an authenticator app by scanning a QR code, then confirm with a code."""
    if confirmed_device(request.user) is not None:
        return redirect("accounts:mfa_verify")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="Authenticator", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wrong = _("This code is not correct. Check the time on your phone and try again.")
        if _code_accepted(device, form, wrong):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                _complete_login(request, device, reason="enrolled")
            messages.success(request, _("Your authenticator app is linked. From now on you log in with a code."))
            return redirect(_next_url(request))
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=5, border=2, title=_("QR code for Koers"))
    secret = base64.b32encode(device.bin_key).decode()
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return render(request, "accounts/mfa_enrol.html", {"form": form, "qr_svg": qr_svg, "secret": grouped})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    response = redirect(settings.LOGOUT_REDIRECT_URL)
    response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response


@require_POST
def extend_session(request: HttpRequest) -> JsonResponse:
    """Called from the inactivity warning: any request saves the session, so this just answers."""
    if not request.user.is_authenticated:
        return JsonResponse({"detail": _("Not logged in.")}, status=401)
    return JsonResponse({"idle_seconds": settings.SESSION_IDLE_SECONDS})
