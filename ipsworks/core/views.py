"""Pages that belong to no one app: health check, sign-in, error pages, static information.

The signed-in home page, which depends on the role, is ``ipsworks.access.views.home``."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.db.utils import DatabaseError
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ipsworks.core.forms import NHSSetPasswordForm, SignInForm


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """200 with {"status": "ok"} when the database answers; 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


@login_not_required
@require_GET
def privacy(request):
    return render(request, "core/privacy.jinja")


@login_not_required
@require_GET
def accessibility(request):
    return render(request, "core/accessibility.jinja")


class SignInView(auth_views.LoginView):
    template_name = "core/sign_in.jinja"
    authentication_form = SignInForm
    redirect_authenticated_user = True


sign_in = login_not_required(SignInView.as_view())


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """The page an invitation links to: choose a password, then sign in."""

    template_name = "core/set_password.jinja"
    form_class = NHSSetPasswordForm
    post_reset_login = False

    def get_success_url(self):
        return reverse("login") + "?password-set=1"


set_password = login_not_required(SetPasswordView.as_view())
sign_out = auth_views.LogoutView.as_view()


def forbidden(request, exception=None):
    return render(request, "core/403.jinja", status=403)


def not_found(request, exception=None):
    return render(request, "core/404.jinja", status=404)


def server_error(request):
    return render(request, "core/500.jinja", status=500)


def locked_out(request, credentials=None, *args, **kwargs):
    """django-axes calls this when an account is locked after too many wrong passwords."""
    return render(request, "core/locked_out.jinja", status=429)
