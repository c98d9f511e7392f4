from base64 import b32encode

import segno
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from .forms import CODE_WRONG, SET_UP_CODE_WRONG, TOO_MANY_CODES, SecondFactorForm, SetUpForm, SignInForm
from .services import (
    mfa_enrolment_confirm,
    mfa_enrolment_start,
    mfa_recovery_codes_renew,
    recovery_codes_left,
    totp_device_for,
    user_locked_out,
    user_second_factor_verify,
    user_sign_in,
    user_sign_in_failed,
    user_sign_out,
)

NEXT_AFTER_SECOND_FACTOR = "earlyhelp_next"
SIGN_IN_NOTICE = "earlyhelp_sign_in_notice"


def _safe_next(request, url: str | None) -> str:
    allowed = {request.get_host()}
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts=allowed, require_https=request.is_secure()):
        return url
    return settings.LOGIN_REDIRECT_URL


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user_sign_in(request=self.request, user=form.get_user())
        if settings.EARLY_HELP_MFA_REQUIRED:
            self.request.session[NEXT_AFTER_SECOND_FACTOR] = self.get_success_url()
            return redirect("accounts:verify")
        return redirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["notice"] = self.request.session.pop(SIGN_IN_NOTICE, None)
        context["oidc_enabled"] = settings.EARLY_HELP_OIDC_ENABLED
        return context

    def form_invalid(self, form):
        user_sign_in_failed(username=form.data.get("username", "")[:150])
        return super().form_invalid(form)


@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    """The second step of signing in: a code from the authenticator app or a recovery code."""
    if request.user.is_verified():
        return redirect(settings.LOGIN_REDIRECT_URL)
    if totp_device_for(request.user) is None:
        return redirect("accounts:two-factor-set-up")
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if user_second_factor_verify(request=request, code=form.cleaned_data["code"]):
            return redirect(_safe_next(request, request.session.pop(NEXT_AFTER_SECOND_FACTOR, None)))
        if not request.user.is_authenticated:
            request.session[SIGN_IN_NOTICE] = TOO_MANY_CODES
            return redirect("accounts:sign-in")
        form.add_error("code", CODE_WRONG)
    return render(request, "accounts/verify.html", {"form": form})


def _qr_data_uri(url: str) -> str:
    return segno.make(url, error="m", micro=False).svg_data_uri(scale=5, border=4, dark="#0b0c0c")


def _grouped(key: bytes) -> str:
    text = b32encode(key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@login_required
@require_http_methods(["GET", "POST"])
def set_up(request):
    """Set up an authenticator app: scan the QR code (or type the key), then enter a code it shows."""
    if totp_device_for(request.user) is not None:
        # Someone who has only given a password must not replace the authenticator.
        return redirect("accounts:verify" if not request.user.is_verified() else "accounts:recovery-codes")
    device = mfa_enrolment_start(actor=request.user)
    form = SetUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = mfa_enrolment_confirm(request=request, device=device, code=form.cleaned_data["code"])
        if codes is not None:
            request.session.pop(NEXT_AFTER_SECOND_FACTOR, None)
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "new_set_up": True})
        form.add_error("code", SET_UP_CODE_WRONG)
    context = {"form": form, "qr": _qr_data_uri(device.config_url), "key": _grouped(device.bin_key)}
    return render(request, "accounts/set_up.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request):
    """How many recovery codes are left, and a button for a new set (which replaces the old)."""
    if request.method == "POST":
        codes = mfa_recovery_codes_renew(actor=request.user)
        return render(request, "accounts/recovery_codes.html", {"codes": codes})
    return render(request, "accounts/recovery_codes.html", {"left": recovery_codes_left(request.user)})


@require_POST
def sign_out(request):
    user_sign_out(request=request)
    return redirect("accounts:sign-in")


def locked_out(request, original_response=None, credentials=None):
    """django-axes' lockout answer: the same page whether or not the username is an account."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    user_locked_out(username=str(username)[:150])
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)
