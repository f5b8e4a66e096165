"""Pages for API tokens: each staff member makes and revokes their own; administrators can
revoke any token in their service."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from ipsworks.apitokens import queries, services
from ipsworks.apitokens.forms import NewTokenForm


def _any_staff(view):
    """Every staff member may manage their own tokens; the pages need no role permission."""

    def wrapper(request, *args, **kwargs):
        if request.staff is None:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.__wrapped__ = view
    wrapper.__name__ = view.__name__
    wrapper.required_permission = None
    return wrapper


@never_cache
@require_http_methods(["GET", "POST"])
@_any_staff
def token_list(request):
    staff = request.staff
    form = NewTokenForm(request.POST if request.method == "POST" else None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            created = services.create_token(
                staff=staff, name=form.cleaned_data["name"], valid_days=form.valid_days()
            )
        except ValidationError as error:
            form.apply_errors(error)
        else:
            form = NewTokenForm()
    return render(
        request,
        "apitokens/token_list.jinja",
        {
            "form": form,
            "created": created,
            "tokens": queries.own_tokens(staff),
            "service_tokens": queries.service_tokens(staff),
        },
    )


@require_POST
@_any_staff
def token_revoke(request, pk: int):
    token = queries.token_for(request.staff, pk)
    services.revoke_token(token=token, by=request.staff)
    messages.success(request, f"The token ‘{token.name}’ has been revoked")
    return redirect("api_tokens")
