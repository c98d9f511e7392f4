from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from .forms import SignInForm
from .services import user_sign_in, user_sign_out


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user_sign_in(request=self.request, user=form.get_user())
        return redirect(self.get_success_url())


@require_POST
def sign_out(request):
    user_sign_out(request=request)
    return redirect("accounts:sign-in")
