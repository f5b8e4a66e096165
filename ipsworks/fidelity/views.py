"""Fidelity review pages: list, start, the review, each item with its evidence and records,
finish (lock), new version, action plan, history and exports (IPS-25 fidelity scale)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ipsworks.access import scoping
from ipsworks.access.audit import log_access
from ipsworks.access.decorators import staff_required
from ipsworks.access.models import AccessLogEntry
from ipsworks.access.roles import Permission
from ipsworks.access.rules import has_role_permission
from ipsworks.fidelity import evidence, exports, presenters, queries, services
from ipsworks.fidelity import scale as scales
from ipsworks.fidelity.forms import ActionForm, ActionStatusForm, ItemRatingForm, StartReviewForm

_GET_POST = require_http_methods(["GET", "POST"])
RECORDS_PER_PAGE = 100


def _posted(request):
    """The posted data, bound even when empty, so an empty post shows its errors."""
    return request.POST if request.method == "POST" else None


def _may_score(request) -> bool:
    return has_role_permission(request.staff, Permission.SCORE_FIDELITY_REVIEW)


def _require_score(request) -> None:
    if not _may_score(request):
        raise PermissionDenied


@require_GET
@staff_required(Permission.VIEW_FIDELITY)
def review_list(request):
    staff = request.staff
    return render(
        request,
        "fidelity/review_list.jinja",
        {
            "reviews": queries.reviews_for(staff),
            "can_start": has_role_permission(staff, Permission.START_FIDELITY_REVIEW),
        },
    )


@_GET_POST
@staff_required(Permission.START_FIDELITY_REVIEW)
def review_new(request):
    staff = request.staff
    form = StartReviewForm(
        _posted(request),
        teams=staff.service.teams.filter(is_active=True),
        reviewers=scoping.fidelity_reviewer_choices(staff).select_related("user", "service"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            review = services.start_review(
                service=staff.service,
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
                kind=form.cleaned_data["kind"],
                teams=list(form.cleaned_data["teams"]),
                reviewers=list(form.cleaned_data["reviewers"]),
                by=staff,
            )
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, "Review started. The evidence has been computed")
            return redirect("fidelity_review", pk=review.pk)
    return render(request, "fidelity/review_new.jinja", {"form": form})


@require_GET
@staff_required(Permission.VIEW_FIDELITY)
def review_detail(request, pk: int):
    review = queries.review_for(request.staff, pk)
    return render(
        request,
        "fidelity/review_detail.jinja",
        {
            "review": review,
            "summary": presenters.summary(review, queries.ratings_of(review)),
            "can_score": _may_score(request),
        },
    )


def _item(review, item: int) -> scales.Item:
    if not 1 <= item <= scales.ITEM_COUNT:
        raise Http404("There is no such item")
    return scales.load(review.scale_version).item(item)


@_GET_POST
@staff_required(Permission.VIEW_FIDELITY)
def item_detail(request, pk: int, item: int):
    review = queries.review_for(request.staff, pk)
    spec = _item(review, item)
    page = presenters.item_page(request.staff, review, spec, queries.rating_of(review, item))
    form = ItemRatingForm(
        _posted(request), item=spec, proposed=page.rating.proposed_rating, initial=page.initial
    )
    error = None
    if request.method == "POST":
        _require_score(request)
        saved, error = _save_rating(request, review, item, form)
        if saved:
            messages.success(request, f"Item {item} saved")
            if "next" in request.POST and item < scales.ITEM_COUNT:
                return redirect("fidelity_item", pk=review.pk, item=item + 1)
            return redirect("fidelity_review", pk=review.pk)
    return render(
        request,
        "fidelity/item_detail.jinja",
        {**page.context(), "form": form, "error": error},
        status=409 if error else 200,
    )


def _save_rating(request, review, item: int, form) -> tuple[bool, str | None]:
    """Whether the rating was saved, and otherwise the refusal to show when the review is
    locked (a 409: someone finished it meanwhile). Other problems are the form's errors."""
    if review.is_locked:
        return False, services.LOCKED_MESSAGE
    if not form.is_valid():
        return False, None
    try:
        services.rate_item(review=review, item=item, by=request.staff, **form.rating())
    except ValidationError as problem:
        if getattr(problem, "code", None) == "locked":
            return False, problem.messages[0]
        form.apply_errors(problem)
        return False, None
    return True, None


@require_GET
@staff_required(Permission.VIEW_FIDELITY)
def item_records(request, pk: int, item: int):
    """The records behind an item's figures, for the review's period only; de-identified
    unless the viewer's own scope includes the person."""
    staff = request.staff
    review = queries.review_for(staff, pk)
    spec = _item(review, item)
    rating = queries.rating_of(review, item)
    found = evidence.compute_item(evidence.scope_of(review), item)
    tables = presenters.drilldown(found.tables, review, staff)
    longest = max((len(t.rows) for t in tables), default=0)
    page = Paginator(range(longest), RECORDS_PER_PAGE).get_page(request.GET.get("page"))
    start, end = (page.start_index() - 1, page.end_index()) if longest else (0, 0)
    for table in tables:
        table.total = len(table.rows)
        table.rows, table.counted = table.rows[start:end], table.counted[start:end]
    if presenters.sees_names(staff) and any(t.columns[:2] == ["Reference", "Name"] for t in tables):
        log_access(
            request,
            AccessLogEntry.Action.VIEW_PERSON_SUMMARY,
            obj=review,
            reason=f"fidelity item {item} records",
        )
    stored = (rating.evidence or {}).get("value")
    now = None if found.value is None else str(found.value)
    return render(
        request,
        "fidelity/item_records.jinja",
        {
            "review": review,
            "item": spec,
            "found": found,
            "tables": tables,
            "page": page,
            "paginated": longest > RECORDS_PER_PAGE,
            "changed": stored != now,
            "identified": presenters.sees_names(staff),
        },
    )


@require_POST
@staff_required(Permission.SCORE_FIDELITY_REVIEW)
def review_refresh(request, pk: int):
    review = queries.review_for(request.staff, pk)
    try:
        cleared = services.refresh_evidence(review=review, by=request.staff)
    except ValidationError as problem:
        messages.error(request, problem.messages[0])
    else:
        note = (
            f". {cleared} final ratings now differ from the proposal without a reason: rate "
            "them again"
            if cleared
            else ""
        )
        messages.success(request, f"Evidence computed again from the records{note}")
    return redirect("fidelity_review", pk=review.pk)


@_GET_POST
@staff_required(Permission.SCORE_FIDELITY_REVIEW)
def review_finish(request, pk: int):
    review = queries.review_for(request.staff, pk)
    summary = presenters.summary(review, queries.ratings_of(review))
    error = None
    if request.method == "POST":
        try:
            services.finish_review(review=review, by=request.staff)
        except ValidationError as problem:
            error = problem.messages[0]
        else:
            messages.success(request, "Review finished and locked")
            return redirect("fidelity_review", pk=review.pk)
    return render(
        request,
        "fidelity/review_finish.jinja",
        {"review": review, "summary": summary, "error": error},
        status=409 if error and review.is_locked else 200,
    )


@require_POST
@staff_required(Permission.SCORE_FIDELITY_REVIEW)
def review_new_version(request, pk: int):
    review = queries.review_for(request.staff, pk)
    try:
        copy = services.new_version(review=review, by=request.staff)
    except ValidationError as problem:
        messages.error(request, problem.messages[0])
        return redirect("fidelity_review", pk=review.pk)
    messages.success(request, f"Version {copy.version} made: change it, then finish it")
    return redirect("fidelity_review", pk=copy.pk)


@_GET_POST
@staff_required(Permission.VIEW_FIDELITY)
def action_plan(request, pk: int):
    staff = request.staff
    review = queries.review_for(staff, pk)
    form = ActionForm(_posted(request))
    if request.method == "POST":
        _require_score(request)
        if form.is_valid():
            try:
                services.add_action(
                    review=review,
                    item=form.cleaned_data["item"] or None,
                    action=form.cleaned_data["action"],
                    owner=form.cleaned_data["owner"],
                    due_on=form.cleaned_data["due_on"],
                    by=staff,
                )
            except ValidationError as problem:
                form.apply_errors(problem)
            else:
                messages.success(request, "Action added to the plan")
                return redirect("fidelity_actions", pk=review.pk)
    actions = queries.actions_of(review)
    names = {i.number: i.short_name for i in scales.load(review.scale_version).items}
    return render(
        request,
        "fidelity/action_plan.jinja",
        {
            "review": review,
            "form": form,
            "rows": [
                (action, names.get(action.item or 0, "General"), _status_form(action))
                for action in actions
            ],
            "can_score": _may_score(request),
        },
    )


def _status_form(action) -> ActionStatusForm:
    return ActionStatusForm(initial={"status": action.status})


@require_POST
@staff_required(Permission.SCORE_FIDELITY_REVIEW)
def action_status(request, pk: int, action_pk: int):
    review = queries.review_for(request.staff, pk)
    action = queries.action_for(review, action_pk)
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        services.set_action_status(
            action=action, status=form.cleaned_data["status"], by=request.staff
        )
        messages.success(request, "Progress saved")
    else:
        messages.error(request, "Select how far the action has got")
    return redirect("fidelity_actions", pk=review.pk)


@require_GET
@staff_required(Permission.VIEW_FIDELITY)
def history(request, pk: int):
    review = queries.review_for(request.staff, pk)
    reviews, ratings = queries.history_for(request.staff, review)
    scale = scales.load(review.scale_version)
    return render(
        request,
        "fidelity/history.jinja",
        {
            "review": review,
            "reviews": reviews,
            "items": [(i, [ratings.get((r.pk, i.number)) for r in reviews]) for i in scale.items],
            "totals": presenters.totals_of(reviews, ratings),
            "chart": presenters.history_chart(reviews, ratings),
            "labels": [presenters.review_label(r) for r in reviews],
        },
    )


def _download(request, review, content: bytes, name: str, mime: str) -> HttpResponse:
    log_access(request, AccessLogEntry.Action.EXPORT, obj=review, reason=name)
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@staff_required(Permission.VIEW_FIDELITY)
def export_xlsx(request, pk: int):
    review = queries.review_for(request.staff, pk)
    summary = presenters.summary(review, queries.ratings_of(review))
    content = exports.to_xlsx(review, summary, queries.actions_of(review))
    return _download(request, review, content, exports.filename(review, "xlsx"), exports.XLSX)


@require_GET
@staff_required(Permission.VIEW_FIDELITY)
def export_pdf(request, pk: int):
    review = queries.review_for(request.staff, pk)
    summary = presenters.summary(review, queries.ratings_of(review))
    content = exports.to_pdf(review, summary, queries.actions_of(review))
    return _download(request, review, content, exports.filename(review, "pdf"), "application/pdf")
