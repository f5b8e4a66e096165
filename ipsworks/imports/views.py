"""Import pages: upload an export, watch it being checked and saved, see what it did."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from ipsworks.imports import queries, rules, services
from ipsworks.imports.forms import MappingForm, UploadForm
from ipsworks.imports.mapping import TARGETS, columns_for


def _allowed(rule, permission):
    """Refuse (403) unless ``rule(staff)``; declares ``permission`` for the access checks."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not rule(request.staff):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.required_permission = permission
        return wrapper

    return decorator


_importer = _allowed(rules.may_import, rules.IMPORT_PERMISSION)


@require_http_methods(["GET", "POST"])
@_importer
def import_list(request):
    staff = request.staff
    posted = request.method == "POST"
    form = UploadForm(request.POST if posted else None, request.FILES if posted else None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        run = services.request_import(filename=upload.name, data=upload.read(), by=staff)
        messages.success(request, "Your file is being checked. Its progress is shown below")
        return redirect("import_detail", pk=run.pk)
    return render(
        request,
        "imports/import_list.jinja",
        {
            "form": form,
            "runs": queries.imports_for(staff)[:50],
            "can_edit_mapping": rules.may_edit_mapping(staff),
        },
    )


@require_GET
@_importer
def import_detail(request, pk: int):
    run = queries.import_for(request.staff, pk)
    return render(
        request,
        "imports/import_detail.jinja",
        {"run": run, "referrals": queries.referrals_of(run) if run.status == "done" else []},
    )


@require_GET
@_importer
def import_status(request, pk: int):
    """The htmx fragment the import page polls while the file is checked and saved."""
    run = queries.import_for(request.staff, pk)
    referrals = queries.referrals_of(run) if run.status == "done" else []
    return render(request, "imports/_import_status.jinja", {"run": run, "referrals": referrals})


@require_http_methods(["GET", "POST"])
@_allowed(rules.may_edit_mapping, rules.IMPORT_PERMISSION)
def import_mapping(request):
    staff = request.staff
    current = columns_for(staff.service_id)
    form = MappingForm(request.POST if request.method == "POST" else None, current=current)
    if request.method == "POST" and form.is_valid():
        services.save_mapping(columns=form.cleaned_data, by=staff)
        messages.success(request, "The import columns have been saved")
        return redirect("import_mapping")
    return render(
        request,
        "imports/mapping.jinja",
        {"form": form, "targets": TARGETS, "can_import": rules.may_import(staff)},
    )
