import pytest

from ipsworks.access import scoping
from ipsworks.activity.models import Contact
from ipsworks.people.models import Person, Referral

pytestmark = pytest.mark.django_db


def _names(queryset):
    return set(queryset.values_list("pk", flat=True))


def test_specialist_sees_own_caseload_and_team_but_not_other_teams_or_services(world):
    seen = _names(Person.objects.visible_to(world.es_a))
    assert seen == {world.person_a.pk, world.person_a2.pk}


def test_specialist_keeps_their_own_caseload_when_the_person_is_in_another_team(world):
    world.referral_b.allocated_to = world.es_a
    world.referral_b.save()
    assert world.person_b.pk in _names(Person.objects.visible_to(world.es_a))


def test_manager_sees_the_whole_service_and_nothing_else(world):
    assert _names(Person.objects.visible_to(world.manager)) == {
        world.person_a.pk,
        world.person_a2.pk,
        world.person_b.pk,
    }


def test_clinician_sees_their_team_only(world):
    assert _names(Person.objects.visible_to(world.clinician)) == {
        world.person_a.pk,
        world.person_a2.pk,
    }


@pytest.mark.parametrize("persona", ["commissioner", "admin"])
def test_roles_without_person_access_see_nobody(world, persona):
    staff = getattr(world, persona)
    assert not Person.objects.visible_to(staff).exists()
    assert not Referral.objects.visible_to(staff).exists()
    assert not Contact.objects.visible_to(staff).exists()


def test_outsider_sees_only_their_own_service(world):
    assert _names(Person.objects.visible_to(world.outsider)) == {world.person_other.pk}


def test_people_are_listed_once_even_with_several_referrals(world):
    from tests import factories as f

    f.ReferralFactory(
        person=world.person_a,
        team=world.team_a,
        status="closed",
        closed_on=world.referral_a.received_on,
        closure_reason="moved_away",
    )
    assert Person.objects.visible_to(world.manager).filter(pk=world.person_a.pk).count() == 1
    assert Person.objects.count() == 4


def test_commissioner_aggregates_only_for_commissioned_services(world):
    assert list(scoping.services_for_aggregates(world.commissioner)) == [world.service]
    assert list(scoping.services_for_aggregates(world.manager)) == [world.service]
    assert not scoping.services_for_aggregates(world.es_a).exists()
