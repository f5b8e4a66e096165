import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from ipsworks.access.models import AccessLogEntry
from ipsworks.activity.models import Contact
from ipsworks.activity.services import ContactDetails, record_contact
from ipsworks.core.models import AppendOnlyError
from ipsworks.people import services
from ipsworks.people.models import (
    Episode,
    Person,
    Referral,
    ReferralStatus,
    ReferralStatusChange,
    VocationalProfile,
)
from tests import factories as f

pytestmark = pytest.mark.django_db


def _new_referral(world, received_on=None, **kwargs):
    return services.NewReferral(
        team=world.team_a,
        source=Referral.Source.INTERNAL,
        received_on=received_on or dt.date.today() - dt.timedelta(days=3),
        **kwargs,
    )


def _details(nhs, family_name="Testcase", **more):
    return {"given_name": "Robin", "family_name": family_name, "nhs_number": nhs, **more}


def _contact(on, **overrides):
    values = {
        "contact_date": on,
        "with_whom": Contact.With.PERSON,
        "mode": Contact.Mode.FACE_TO_FACE,
        "outcome": Contact.Outcome.COMPLETED,
        "place": Contact.Place.COMMUNITY,
        "duration_minutes": 40,
    }
    values.update(overrides)
    return ContactDetails(**values)


def test_a_referral_creates_the_person_and_its_first_history_row(world):
    nhs = f.synthetic_nhs_number()
    referral = services.create_referral(
        service=world.service,
        person_details=_details(nhs),
        referral=_new_referral(world),
        by=world.clinician,
    )
    assert referral.person.nhs_number == nhs
    assert referral.status == ReferralStatus.RECEIVED
    assert list(referral.status_changes.values_list("status", flat=True)) == ["received"]
    assert AccessLogEntry.objects.filter(action="create", person_id=referral.person_id).exists()


def test_a_person_with_an_open_referral_is_refused_neutrally_and_the_duty_team_told(world):
    from ipsworks.access.models import ReferralCheck
    from ipsworks.public.models import DutyInboxNotice

    nhs = world.person_a.nhs_number
    with pytest.raises(services.ReferralNeedsCheck) as caught:
        services.create_referral(
            service=world.service,
            person_details=_details(
                nhs, world.person_a.family_name, date_of_birth=world.person_a.date_of_birth
            ),
            referral=_new_referral(world),
            by=world.es_b,
        )
    # Nothing about the person held: not "open", not a date, not a name.
    assert caught.value.messages == [services.rules.REFERRAL_NEEDS_CHECK]
    assert Referral.objects.filter(person=world.person_a).count() == 1
    check = ReferralCheck.objects.get()
    assert (check.reason, check.person_id, check.made_by) == (
        "already_open",
        world.person_a.pk,
        world.es_b,
    )
    assert DutyInboxNotice.objects.filter(service=world.service, kind="referral_needs_check")


def test_support_that_ended_well_closes_as_settled_in_work(world, today):
    # Before, someone who moved on in work could only be closed as "does not want help".
    f.EpisodeFactory(referral=world.referral_a, access_date=world.referral_a.received_on)
    with pytest.raises(ValidationError) as refused:
        services.close_referral(
            referral=world.referral_a,
            reason="settled_in_work",
            on=today,
            by=world.manager,
            employment_status_at_discharge="02",
        )
    assert "Settled in work is for someone who is working" in refused.value.messages[0]
    closed = services.close_referral(
        referral=world.referral_a,
        reason="settled_in_work",
        on=today,
        by=world.manager,
        employment_status_at_discharge="01",
        weekly_hours_at_discharge="02",
    )
    assert (closed.status, closed.get_closure_reason_display()) == (
        "closed",
        "Settled in work and no longer needs support",
    )


def test_a_person_can_be_re_referred_after_closure(world, today):
    services.close_referral(
        referral=world.referral_a, reason="moved_away", on=today, by=world.manager
    )
    again = services.create_referral(
        service=world.service,
        person_details=_details(
            world.person_a.nhs_number,
            f" {world.person_a.family_name.upper()}",
            date_of_birth=world.person_a.date_of_birth,
        ),
        referral=_new_referral(world, received_on=today),
        by=world.clinician,
    )
    assert again.person_id == world.person_a.pk
    assert Person.objects.filter(nhs_number=world.person_a.nhs_number).count() == 1
    assert Referral.objects.filter(person=world.person_a).count() == 2


@pytest.mark.parametrize(
    "typed",
    [
        {"family_name": "Someoneelse"},
        {"date_of_birth": dt.date(1970, 1, 1)},
        {"date_of_birth": None},  # a number and a family name alone are not a match
        {"family_name": ""},
    ],
)
def test_a_known_nhs_number_without_the_same_name_and_birth_date_is_refused(world, today, typed):
    from ipsworks.access.models import ReferralCheck

    services.close_referral(
        referral=world.referral_a, reason="moved_away", on=today, by=world.manager
    )
    details = {
        **_details(
            world.person_a.nhs_number,
            world.person_a.family_name,
            date_of_birth=world.person_a.date_of_birth,
        ),
        **typed,
    }
    with pytest.raises(ValidationError) as caught:
        services.create_referral(
            service=world.service,
            person_details=details,
            referral=_new_referral(world, received_on=today),
            by=world.clinician,
        )
    assert caught.value.messages == [services.rules.REFERRAL_NEEDS_CHECK]
    assert Referral.objects.filter(person=world.person_a).count() == 1
    assert ReferralCheck.objects.get().reason == "details_differ"
    world.person_a.refresh_from_db()
    assert world.person_a.family_name != "Someoneelse"


def test_the_neutral_message_is_the_same_whatever_the_reason(world, today):
    """Open referral, other name, unknown birth date: one answer, so no oracle."""
    answers = set()
    for details in (
        _details(
            world.person_a.nhs_number,
            world.person_a.family_name,
            date_of_birth=world.person_a.date_of_birth,
        ),
        _details(world.person_a.nhs_number, "Someoneelse"),
        _details(world.person_b.nhs_number, world.person_b.family_name),
    ):
        with pytest.raises(ValidationError) as caught:
            services.create_referral(
                service=world.service,
                person_details=details,
                referral=_new_referral(world, received_on=today),
                by=world.clinician,
            )
        answers.add((tuple(caught.value.messages), tuple(caught.value.message_dict)))
    assert answers == {((services.rules.REFERRAL_NEEDS_CHECK,), ("__all__",))}


def test_the_same_nhs_number_in_another_service_is_another_person(world):
    referral = services.create_referral(
        service=world.other_service,
        person_details=_details(world.person_a.nhs_number),
        referral=services.NewReferral(team=world.team_x, source="B1", received_on=dt.date.today()),
        by=None,
    )
    assert referral.person_id != world.person_a.pk


def test_a_referral_to_another_services_team_is_refused_and_nothing_is_saved(world):
    people_before = Person.objects.count()
    with pytest.raises(ValidationError):
        services.create_referral(
            service=world.service,
            person_details=_details(f.synthetic_nhs_number()),
            referral=services.NewReferral(
                team=world.team_x, source="A1", received_on=dt.date.today()
            ),
            by=world.manager,
        )
    assert Person.objects.count() == people_before


def test_access_is_the_first_direct_contact_and_starts_the_episode(world, today):
    referral = world.referral_a
    record_contact(
        referral=referral,
        details=_contact(
            today - dt.timedelta(days=5),
            outcome="attempted",
            place="",
            duration_minutes=None,
            mode="phone",
        ),
        by=world.es_a,
    )
    record_contact(
        referral=referral,
        details=_contact(
            today - dt.timedelta(days=4), mode="text_email", place="", duration_minutes=None
        ),
        by=world.es_a,
    )
    record_contact(
        referral=referral,
        details=_contact(today - dt.timedelta(days=3), with_whom="family"),
        by=world.es_a,
    )
    assert not Episode.objects.filter(referral=referral).exists()

    record_contact(
        referral=referral,
        details=_contact(today - dt.timedelta(days=2), mode="video", place="remote"),
        by=world.es_a,
    )
    referral.refresh_from_db()
    assert referral.episode.access_date == today - dt.timedelta(days=2)
    assert referral.status == ReferralStatus.FIRST_CONTACT

    # A direct contact entered late, dated earlier, moves access earlier; a later one does not.
    record_contact(referral=referral, details=_contact(today - dt.timedelta(days=6)), by=world.es_a)
    record_contact(referral=referral, details=_contact(today), by=world.es_a)
    referral.episode.refresh_from_db()
    assert referral.episode.access_date == today - dt.timedelta(days=6)
    assert list(referral.status_changes.values_list("status", flat=True)) == [
        "received",
        "first_contact",
    ]


def test_a_contact_before_the_referral_or_in_the_future_is_refused(world, today):
    with pytest.raises(ValidationError, match="before the referral"):
        record_contact(
            referral=world.referral_a,
            details=_contact(world.referral_a.received_on - dt.timedelta(days=1)),
            by=world.es_a,
        )
    with pytest.raises(ValidationError, match="today or in the past"):
        record_contact(
            referral=world.referral_a, details=_contact(today + dt.timedelta(days=1)), by=world.es_a
        )
    assert not Contact.objects.exists()


def test_a_closed_referral_takes_no_more_contacts(world, today):
    services.close_referral(referral=world.referral_a, reason="died", on=today, by=world.manager)
    with pytest.raises(ValidationError, match="closed"):
        record_contact(referral=world.referral_a, details=_contact(today), by=world.es_a)


def test_closing_after_access_records_employment_status_at_discharge(world, today):
    record_contact(
        referral=world.referral_a, details=_contact(today - dt.timedelta(days=3)), by=world.es_a
    )
    with pytest.raises(ValidationError) as error:
        services.close_referral(
            referral=world.referral_a, reason="does_not_want_work", on=today, by=world.es_a
        )
    assert "employment_status_at_discharge" in error.value.message_dict
    assert Referral.objects.get(pk=world.referral_a.pk).status == ReferralStatus.FIRST_CONTACT

    services.close_referral(
        referral=world.referral_a,
        reason="does_not_want_work",
        on=today,
        by=world.es_a,
        employment_status_at_discharge="01",
        weekly_hours_at_discharge="02",
    )
    referral = Referral.objects.get(pk=world.referral_a.pk)
    assert (referral.status, referral.closed_on, referral.closure_reason) == (
        "closed",
        today,
        "does_not_want_work",
    )
    assert referral.episode.employment_status_at_discharge == "01"
    latest = referral.status_changes.last()
    assert (latest.status, latest.reason, latest.recorded_by) == (
        "closed",
        "does_not_want_work",
        world.es_a,
    )


def test_closing_for_not_being_ready_is_refused_and_changes_nothing(world, today):
    with pytest.raises(ValidationError) as error:
        services.close_referral(
            referral=world.referral_a, reason="not_ready", on=today, by=world.es_a
        )
    assert "not ready" in error.value.message_dict["reason"][0]
    assert Referral.objects.get(pk=world.referral_a.pk).status == "accepted"
    assert (
        ReferralStatusChange.objects.filter(referral=world.referral_a, status="closed").count() == 0
    )


def test_closing_as_not_contactable_counts_the_recorded_attempts(world, today):
    for days in (3, 2):
        record_contact(
            referral=world.referral_a,
            details=_contact(
                today - dt.timedelta(days=days),
                outcome="attempted",
                mode="phone",
                place="",
                duration_minutes=None,
            ),
            by=world.es_a,
        )
    with pytest.raises(ValidationError, match="2 recorded"):
        services.close_referral(
            referral=world.referral_a, reason="not_contactable", on=today, by=world.es_a
        )
    record_contact(referral=world.referral_a, details=_contact(today, outcome="dna"), by=world.es_a)
    services.close_referral(
        referral=world.referral_a, reason="not_contactable", on=today, by=world.es_a
    )


def test_allocation_is_only_to_a_specialist_of_the_same_service(world, today):
    with pytest.raises(ValidationError):
        services.accept_referral(
            referral=world.referral_a, allocate_to=world.outsider, on=today, by=world.manager
        )
    with pytest.raises(ValidationError):
        services.allocate_referral(referral=world.referral_a, to=world.clinician, by=world.manager)
    services.allocate_referral(referral=world.referral_a, to=world.es_b, by=world.manager)
    assert Referral.objects.get(pk=world.referral_a.pk).allocated_to == world.es_b


def test_profile_versions_accumulate_and_earlier_versions_are_kept(world):
    first = services.save_vocational_profile(
        person=world.person_a, fields={"kinds_of_work": "Gardening"}, by=world.es_a
    )
    second = services.save_vocational_profile(
        person=world.person_a,
        fields={"kinds_of_work": "Retail"},
        change_reason="After the first job",
        by=world.es_a,
    )
    assert (first.version, second.version) == (1, 2)
    assert VocationalProfile.objects.get(pk=first.pk).kinds_of_work == "Gardening"


def test_history_rows_cannot_be_changed_or_deleted(world):
    change = ReferralStatusChange.objects.filter(referral=world.referral_a).first()
    change.note = "rewritten"
    with pytest.raises(AppendOnlyError):
        change.save()
    with pytest.raises(AppendOnlyError):
        change.delete()
    with pytest.raises(AppendOnlyError):
        ReferralStatusChange.objects.filter(referral=world.referral_a).update(note="x")
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.all().delete()
