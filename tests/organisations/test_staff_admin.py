import re
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from ipsworks.organisations.models import StaffMember, Team

pytestmark = pytest.mark.django_db


def _staff_post(world, **overrides):
    data = {
        "first_name": "Jordan",
        "last_name": "Testnew",
        "email": "jordan.testnew@example.com",
        "username": "j.testnew",
        "role": "es",
        "teams": [str(world.team_a.pk)],
        "fte": "0.8",
    }
    data.update(overrides)
    return data


def test_administrator_adds_a_specialist_who_sets_a_password_from_the_invitation(
    world, as_staff, client
):
    response = as_staff(world.admin).post(reverse("staff_new"), _staff_post(world))
    assert response.status_code == 302
    member = StaffMember.objects.get(user__username="j.testnew")
    assert (member.service, member.role, member.fte) == (world.service, "es", Decimal("0.80"))
    assert list(member.teams.all()) == [world.team_a]
    assert not member.user.has_usable_password()

    link = re.search(r"http://testserver(/sign-in/set-password/\S+)", mail.outbox[0].body).group(1)
    page = client.get(link, follow=True)
    assert "Set your password" in page.content.decode()
    response = client.post(
        page.redirect_chain[-1][0],
        {"new_password1": "correct horse battery", "new_password2": "correct horse battery"},
    )
    assert response.status_code == 302
    signed_in = client.post(
        reverse("login"), {"username": "j.testnew", "password": "correct horse battery"}
    )
    assert signed_in.status_code == 302
    member.user.refresh_from_db()
    assert member.user.check_password("correct horse battery")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"teams": []}, "Select at least one team"),
        ({"fte": "1.5"}, "Full-time equivalent must be 1.0 or less"),
        ({"fte": "0"}, "Full-time equivalent must be more than 0"),
        ({"username": "Bad Name!"}, "Use 3 to 40 lower-case letters"),
        ({"role": "commissioner"}, "Select a valid choice"),
        ({"email": "nope"}, "Enter an email address like name@nhs.net"),
    ],
)
def test_bad_staff_details_are_refused_and_nothing_is_saved(world, as_staff, overrides, message):
    count = StaffMember.objects.count()
    response = as_staff(world.admin).post(reverse("staff_new"), _staff_post(world, **overrides))
    assert message in response.content.decode()
    assert StaffMember.objects.count() == count
    assert not mail.outbox


def test_a_specialist_cannot_be_put_in_another_services_team(world, as_staff):
    response = as_staff(world.admin).post(
        reverse("staff_new"), _staff_post(world, teams=[str(world.team_x.pk)])
    )
    assert "Select a valid choice" in response.content.decode()
    assert not StaffMember.objects.filter(user__username="j.testnew").exists()


def test_a_taken_username_is_refused(world, as_staff):
    response = as_staff(world.admin).post(
        reverse("staff_new"), _staff_post(world, username=world.es_a.user.username)
    )
    assert "That username is taken" in response.content.decode()


def test_setting_a_leaving_date_stops_sign_in(world, as_staff, today):
    data = _staff_post(
        world,
        **{
            "left_on[day]": str(today.day),
            "left_on[month]": str(today.month),
            "left_on[year]": str(today.year),
        },
    )
    data.pop("username")
    response = as_staff(world.admin).post(reverse("staff_edit", args=[world.es_b.pk]), data)
    assert response.status_code == 302
    world.es_b.refresh_from_db()
    world.es_b.user.refresh_from_db()
    assert world.es_b.left_on == today
    assert world.es_b.user.is_active is False


def test_the_teams_hint_reads_as_words_not_code(world, as_staff):
    page = as_staff(world.admin).get(reverse("staff_edit", args=[world.es_a.pk])).content.decode()
    assert "Employment specialists and clinicians see the people referred from these teams" in page
    assert "{&#39;text&#39;" not in page
    assert "{'text'" not in page


def test_administrator_cannot_change_their_own_role(world, as_staff):
    data = _staff_post(world, role="manager", teams=[])
    data.pop("username")
    response = as_staff(world.admin).post(reverse("staff_edit", args=[world.admin.pk]), data)
    assert "You cannot change your own role" in response.content.decode()
    world.admin.refresh_from_db()
    assert world.admin.role == "admin"


def test_administrator_cannot_open_staff_of_another_service(world, as_staff):
    assert (
        as_staff(world.admin).get(reverse("staff_edit", args=[world.outsider.pk])).status_code
        == 404
    )


@pytest.mark.parametrize("persona", ["es_a", "manager", "clinician", "commissioner", "outsider"])
def test_only_administrators_manage_staff(world, as_staff, persona):
    client = as_staff(getattr(world, persona))
    for url in (
        reverse("staff_new"),
        reverse("staff_edit", args=[world.es_a.pk]),
        reverse("team_new"),
    ):
        assert client.get(url).status_code == 403


def test_administrator_adds_a_team_and_duplicate_names_are_refused(world, as_staff):
    client = as_staff(world.admin)
    assert (
        client.post(
            reverse("team_new"), {"name": "Early Intervention East", "kind": "eip"}
        ).status_code
        == 302
    )
    response = client.post(reverse("team_new"), {"name": "early intervention east", "kind": "eip"})
    assert "already has a team with that name" in response.content.decode()
    assert (
        Team.objects.filter(service=world.service, name__iexact="early intervention east").count()
        == 1
    )


def test_staff_list_shows_no_case_data(world, as_staff):
    page = as_staff(world.admin).get(reverse("staff_list")).content.decode()
    assert world.es_a.display_name in page
    assert world.person_a.family_name not in page
    assert world.outsider.display_name not in page
