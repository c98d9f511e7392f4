"""Single sign-on through OpenID Connect (e.g. Microsoft Entra ID), used only when
EARLY_HELP_OIDC_ENABLED is set. The identity provider vouches for the person; the partnership's
own account (role, agency) decides what they may see, and the second factor is still asked for."""

from django.http import HttpResponseRedirect
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView

from .services import user_sign_in


class PartnershipOIDCBackend(OIDCAuthenticationBackend):
    def filter_users_by_claims(self, claims):
        """Active accounts whose email is the verified email the identity provider sent."""
        email = claims.get("email") or claims.get("preferred_username")
        if not email:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email, is_active=True)


class SignInCallbackView(OIDCAuthenticationCallbackView):
    def login_success(self):
        self.user.backend = "earlyhelp.accounts.oidc.PartnershipOIDCBackend"
        user_sign_in(request=self.request, user=self.user)
        return HttpResponseRedirect(self.success_url)
