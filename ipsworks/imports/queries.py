"""Scoped reads of imports: a manager sees their own service's imports only."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from ipsworks.imports.models import ImportRun
from ipsworks.organisations.models import StaffMember
from ipsworks.people.models import Referral


def imports_for(staff: StaffMember) -> QuerySet[ImportRun]:
    if staff.service_id is None:
        return ImportRun.objects.none()
    return (
        ImportRun.objects.filter(service_id=staff.service_id)
        .select_related("uploaded_by__user")
        .defer("content")
    )


def import_for(staff: StaffMember, pk: int) -> ImportRun:
    return get_object_or_404(imports_for(staff), pk=pk)


def referrals_of(run: ImportRun, limit: int = 50) -> list[Referral]:
    """The first referrals an import created (the run is already in scope)."""
    return list(
        Referral.objects.filter(service_id=run.service_id, pk__in=run.referrals.values("referral"))
        .select_related("person", "team")
        .order_by("pk")[:limit]
    )
