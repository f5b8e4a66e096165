"""Scoped reads of export files, contracts and claims."""

from django.shortcuts import get_object_or_404

from ipsworks.organisations.models import StaffMember
from ipsworks.outcomes.models import Claim, Contract, ExportFile


def exports_for(staff: StaffMember, limit: int = 20) -> list[ExportFile]:
    """The staff member's own recent export files (the content itself is not loaded)."""
    return list(
        ExportFile.objects.filter(requested_by=staff)
        .defer("content")
        .order_by("-created_at")[:limit]
    )


def export_for(staff: StaffMember, pk: int) -> ExportFile:
    return get_object_or_404(ExportFile.objects.filter(requested_by=staff), pk=pk)


def contracts_for(staff: StaffMember) -> list[Contract]:
    return list(Contract.objects.filter(service_id=staff.service_id).prefetch_related("rules"))


def contract_for(staff: StaffMember, pk: int) -> Contract:
    return get_object_or_404(
        Contract.objects.filter(service_id=staff.service_id).prefetch_related("rules"), pk=pk
    )


def claims_of(contract: Contract) -> list[Claim]:
    return list(contract.claims.select_related("created_by__user").prefetch_related("items"))


def claim_for(staff: StaffMember, pk: int) -> Claim:
    return get_object_or_404(
        Claim.objects.filter(contract__service_id=staff.service_id).select_related("contract"),
        pk=pk,
    )
