"""People and episodes: scoped, paginated reads. Each read of a person is in the access log.

Clinicians see a summary (no contact details), as on the pages; commissioners, reviewers
and administrators see no person (403).
"""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import F
from ninja import Query, Router, Schema
from pydantic import Field

from ipsworks.access.audit import log_access, log_people_listed
from ipsworks.access.models import AccessLogEntry
from ipsworks.access.roles import Permission
from ipsworks.access.rules import may, reason_needed
from ipsworks.api.auth import staff_with
from ipsworks.api.schemas import (
    ERRORS,
    Id,
    Page,
    PageNumber,
    PageSize,
    Text,
    known_query,
    paginate,
)
from ipsworks.people import queries
from ipsworks.people.models import Episode, Person

router = Router(tags=["people"])


class ReferralSummaryOut(Schema):
    id: int
    status: str
    received_on: date
    team_id: int | None
    allocated_to_id: int | None
    pathway: str
    closed_on: date | None
    closure_reason: str


class PersonOut(Schema):
    id: int
    nhs_number: str | None
    given_name: str
    family_name: str
    preferred_name: str
    date_of_birth: date | None
    postcode: str
    full_record: bool = Field(description="False: a summary only (the caller's role)")
    phone: str | None = Field(description="Only with the full record")
    email: str | None = Field(description="Only with the full record")
    gender_identity: str | None = Field(None, description="Only with the full record")
    ethnic_category: str | None = Field(None, description="Only with the full record")
    sexual_orientation: str | None = Field(None, description="Only with the full record")
    disability: str | None = Field(None, description="Only with the full record")
    religion_or_belief: str | None = Field(None, description="Only with the full record")
    current_referral: ReferralSummaryOut | None


class EpisodeOut(Schema):
    id: int
    person_id: int
    referral_id: int
    access_date: date
    employment_status_at_discharge: str
    weekly_hours_at_discharge: str


class PeopleFilter(Schema):
    page: PageNumber = 1
    page_size: PageSize = 50
    nhs_number: Text(14) | None = Field(None, description="Only the person with this number")


# Equality monitoring codes (people/codes.py): special category data, so full record only.
_EQUALITY = (
    "gender_identity",
    "ethnic_category",
    "sexual_orientation",
    "disability",
    "religion_or_belief",
)


def _person_out(staff, person, full: bool) -> dict:
    referral = queries.current_referral(person)
    return {
        **{name: getattr(person, name) if full else None for name in _EQUALITY},
        "id": person.pk,
        "nhs_number": person.nhs_number,
        "given_name": person.given_name,
        "family_name": person.family_name,
        "preferred_name": person.preferred_name,
        "date_of_birth": person.date_of_birth,
        "postcode": person.postcode,
        "full_record": full,
        "phone": person.phone if full else None,
        "email": person.email if full else None,
        "current_referral": referral,
    }


@router.get(
    "/people",
    response={200: Page[PersonOut], **ERRORS},
    url_name="api_people",
    summary="People in your scope, by family name (summary fields)",
    auth=staff_with(Permission.VIEW_PERSON_SUMMARY),
)
def list_people(request, filters: Query[PeopleFilter]):
    known_query(request, PeopleFilter)
    staff = request.staff
    people = Person.objects.visible_to(staff).order_by("family_name", "given_name", "pk")
    if filters.nhs_number:
        people = people.filter(nhs_number=filters.nhs_number.replace(" ", "").replace("-", ""))
    total, rows = paginate(people, filters.page, filters.page_size)
    log_people_listed(
        request,
        AccessLogEntry.Action.VIEW_PERSON_SUMMARY,
        [p.pk for p in rows],
        reason=f"api: people page {filters.page}"
        + (" by NHS number" if filters.nhs_number else ""),
    )
    return {
        "count": total,
        "page": filters.page,
        "page_size": filters.page_size,
        "results": [
            {
                "id": p.pk,
                "nhs_number": p.nhs_number,
                "given_name": p.given_name,
                "family_name": p.family_name,
                "preferred_name": p.preferred_name,
                "date_of_birth": p.date_of_birth,
                "postcode": p.postcode,
                "full_record": False,
                "phone": None,
                "email": None,
                "current_referral": None,
            }
            for p in rows
        ],
    }


_REASON = Query("", description="Why you are opening a record outside your own teams (managers)")


@router.get(
    "/people/{person_id}",
    response={200: PersonOut, **ERRORS},
    url_name="api_person",
    summary="One person: the full record, or a summary for clinicians. Logged",
    auth=staff_with(Permission.VIEW_PERSON_SUMMARY),
)
def get_person(
    request,
    person_id: Id,
    reason: Text(300) = _REASON,
):
    known_query(request, "reason")
    staff = request.staff
    person = queries.person_for(staff, person_id)
    if reason_needed(staff, person) and not reason:
        raise PermissionDenied(
            "This person is outside your teams: give a reason (the reason parameter) to open it"
        )
    full = may(staff, Permission.VIEW_PERSON_RECORD, person)
    actions = AccessLogEntry.Action
    action = actions.VIEW_PERSON if full else actions.VIEW_PERSON_SUMMARY
    log_access(request, action, obj=person, person_id=person.pk, reason=reason)
    return _person_out(staff, person, full)


class EpisodeFilter(Schema):
    page: PageNumber = 1
    page_size: PageSize = 50
    person_id: Id | None = None


@router.get(
    "/episodes",
    response={200: Page[EpisodeOut], **ERRORS},
    url_name="api_episodes",
    summary="Episodes (from access, the first direct contact) in your scope, newest first",
    auth=staff_with(Permission.VIEW_PERSON_SUMMARY),
)
def list_episodes(request, filters: Query[EpisodeFilter]):
    known_query(request, EpisodeFilter)
    episodes = Episode.objects.visible_to(request.staff).order_by(F("access_date").desc(), "-pk")
    if filters.person_id:
        episodes = episodes.filter(person_id=filters.person_id)
    total, rows = paginate(episodes, filters.page, filters.page_size)
    log_people_listed(
        request,
        AccessLogEntry.Action.VIEW_PERSON_SUMMARY,
        [episode.person_id for episode in rows],
        reason=f"api: episodes page {filters.page}",
    )
    return {"count": total, "page": filters.page, "page_size": filters.page_size, "results": rows}


@router.get(
    "/episodes/{episode_id}",
    response={200: EpisodeOut, **ERRORS},
    url_name="api_episode",
    summary="One episode",
    auth=staff_with(Permission.VIEW_PERSON_SUMMARY),
)
def get_episode(request, episode_id: Id):
    known_query(request)
    from django.shortcuts import get_object_or_404

    episode = get_object_or_404(Episode.objects.visible_to(request.staff), pk=episode_id)
    log_access(
        request,
        AccessLogEntry.Action.VIEW_PERSON_SUMMARY,
        obj=episode,
        person_id=episode.person_id,
    )
    return episode
