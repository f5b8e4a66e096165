"""Opening one person's record through a page: scope, permission, the manager's reason, the log.

Every page that shows or changes one person's data goes through here, so the four checks
cannot be forgotten one view at a time:

1. **Scope**: the person is loaded through ``Person.objects.visible_to(staff)``;
   out of scope is a 404, whether or not they exist.
2. **Reason**: a manager opening someone outside their own teams is sent to the reason
   page first (:func:`ipsworks.access.rules.reason_needed`, asked once a session per person
   by :mod:`ipsworks.access.reasons`). A GET returns to the page asked for afterwards (the
   ``next`` parameter, checked by the reason page). A POST is never carried out without a
   reason: nothing is written, and the reason page returns to the person's record.
3. **Access log**: one entry for each page that showed the record, written after the view
   has answered:

   * a page rendered (2xx) is logged with the page's action, usually ``VIEW_PERSON``;
   * a redirect is not logged: it showed nothing, and a write that led to it was already
     logged by its service (``CREATE``/``CHANGE``, in the same transaction);
   * an htmx fragment (``HX-Request`` without ``HX-Boosted``) is logged like the page: the
     header is the caller's to set, and a page asked for with it answers with the person's
     data all the same, so skipping it let anyone read records unlogged (security round
     two). Fragments that recompute as someone types are debounced in the browser;
   * a view whose service writes its own, more specific entry (the subject access export
     writes ``SUBJECT_ACCESS``) passes ``action=None``.

4. **Permission**: the role's permission (403 before anything is read) and the object rule
   for this person (:func:`ipsworks.access.rules.may`, 403), named once on the decorator
   (``person_page(Permission.EDIT_PERSON_RECORD)``) instead of checked by hand in each view.
   A view may still ask ``may`` for what it *offers* (an edit link, a save button).
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from ipsworks.access import reasons
from ipsworks.access.audit import log_access
from ipsworks.access.models import AccessLogEntry
from ipsworks.access.roles import Permission
from ipsworks.access.rules import has_role_permission, reason_needed, require
from ipsworks.people.models import Person

VIEW_PERSON = AccessLogEntry.Action.VIEW_PERSON


def is_fragment(request) -> bool:
    """An htmx partial update (not a boosted full page)."""
    return bool(request.headers.get("HX-Request")) and not request.headers.get("HX-Boosted")


def ask_for_reason(request, person, *, then: str | None = None) -> HttpResponse | None:
    """The redirect to the reason page if this staff member must say why first, else None.

    ``then``: where the reason page returns to. By default a GET comes back to itself and a
    POST to the person's record; a form that chooses the person among others (an application
    from the vacancy page) passes itself with that person chosen.
    """
    if not reason_needed(request.staff, person) or reasons.given(request, person):
        return None
    url = reverse("person_reason", args=[person.pk])
    here = request.get_full_path()
    if then is None and request.method in ("GET", "HEAD"):
        then = here
    if then is not None and then != reverse("person_detail", args=[person.pk]):
        url += "?" + urlencode({"next": then})
    if is_fragment(request):
        # htmx follows a plain redirect inside the fragment; this sends the whole page.
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def safe_next(request, default) -> str:
    """Where the reason page returns to: ``next`` if it is on this site, else ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(default)


def log_page(request, response, person, *, action=VIEW_PERSON, obj=None) -> HttpResponse:
    """Write the access-log entry for a page that showed ``person`` (see the module notes)."""
    if action is not None and 200 <= response.status_code < 300:
        log_access(request, action, obj=obj or person, person_id=person.pk)
    return response


def person_page(
    permission: Permission,
    action=VIEW_PERSON,
    *,
    via=None,
    post: Permission | None = None,
):
    """Decorator for a view of one person's data, named by the URL's ``pk``.

    ``permission`` is what the page needs, asked twice: of the role before anything is read
    (403, as :func:`ipsworks.access.decorators.staff_required` does, and declared on the view
    for the page guard), and of this person once they are found in scope, through
    :func:`ipsworks.access.rules.may` (403: a specialist may change only the people on their
    own caseload; a referral is decided by its team or the person it is allocated to).
    ``post``, if given, is asked the same way of a POST only: a page anyone in the team may
    read but only the person's specialist may change.

    Without ``via`` the ``pk`` is the person's, and the view is called as
    ``view(request, person, **other_kwargs)``. With ``via`` (a scoped loader such as
    ``jobs.queries.job_for(staff, pk)``, 404 out of scope) the ``pk`` is an object that
    belongs to one person (a job, an application, a referral), and the view is called with
    that object; the checks apply to its ``.person``, and to the object itself.

    Either way the person is in scope, allowed and the reason given before the view runs,
    and its answer is logged with ``action`` (None: the view's service logs for itself).
    The view itself never checks a permission it needs to be shown at all.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, pk, *args, **kwargs):
            staff = request.staff
            if not has_role_permission(staff, permission):
                raise PermissionDenied
            if via is None:
                obj = person = get_object_or_404(Person.objects.visible_to(staff), pk=pk)
            else:
                obj = via(staff, pk)
                person = obj.person
            targets = (person,) if obj is person else (person, obj)
            require(staff, permission, *targets)
            if post is not None and request.method == "POST":
                require(staff, post, *targets)
            refused = ask_for_reason(request, person)
            if refused is not None:
                return refused
            response = view(request, obj, *args, **kwargs)
            return log_page(request, response, person, action=action, obj=obj)

        wrapper.person_page = "person" if via is None else "object"
        wrapper.required_permission = permission
        return wrapper

    return decorator
