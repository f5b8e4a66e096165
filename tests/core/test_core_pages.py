import time

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_health_check_reports_ok_after_asking_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_health_check_refuses_other_methods(client):
    assert client.post("/healthz").status_code == 405


def test_pages_carry_a_strict_content_security_policy_and_frame_denial(client):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.parametrize(
    "page", ["person_detail", "caseload", "subject_access"], ids=["record", "caseload", "export"]
)
def test_nothing_sent_to_a_signed_in_user_may_be_kept_by_a_browser_or_proxy(world, as_staff, page):
    client = as_staff(world.manager if page == "subject_access" else world.es_a)
    if page == "subject_access":
        response = client.post(reverse(page, args=[world.person_a.pk]))
    elif page == "person_detail":
        response = client.get(reverse(page, args=[world.person_a.pk]))
    else:
        response = client.get(reverse(page))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_public_pages_need_no_such_header_but_static_files_stay_cacheable(client):
    assert "no-store" not in client.get(reverse("accessibility")).get("Cache-Control", "")


def test_pages_have_no_inline_script_or_style(world, as_staff):
    page = (
        as_staff(world.es_a)
        .get(reverse("person_detail", args=[world.person_a.pk]))
        .content.decode()
    )
    assert "<script>" not in page
    assert "<style" not in page
    assert ' style="' not in page
    assert " onclick=" not in page


def test_sign_in_with_a_wrong_password_says_so(world, client):
    response = client.post(
        reverse("login"), {"username": world.es_a.user.username, "password": "wrong"}
    )
    assert "Enter a correct username and password" in response.content.decode()


def test_sign_in_takes_each_role_to_their_own_start_page(world, client):
    client.post(
        reverse("login"), {"username": world.es_a.user.username, "password": "a-long-test-password"}
    )
    assert client.get(reverse("home"))["Location"] == reverse("caseload")


@pytest.mark.parametrize(
    ("persona", "page"),
    [
        ("manager", "service_overview"),
        ("clinician", "team_people"),
        ("commissioner", "outcomes_overview"),
        ("admin", "staff_list"),
    ],
)
def test_home_sends_each_role_to_their_page(world, as_staff, persona, page):
    assert as_staff(getattr(world, persona)).get(reverse("home"))["Location"] == reverse(page)


def test_sign_out_needs_a_post_and_ends_the_session(world, as_staff):
    client = as_staff(world.es_a)
    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert client.get(reverse("caseload")).status_code == 302


def test_a_session_ends_after_thirty_minutes_idle(world, as_staff, settings):
    client = as_staff(world.es_a)
    assert client.get(reverse("caseload")).status_code == 200
    session = client.session
    session["ips_last_seen"] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT - 5
    session.save()
    response = client.get(reverse("caseload"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_user_without_a_staff_role_sees_no_data(db, client):
    from tests.factories import UserFactory

    user = UserFactory()
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 403
    assert client.get(reverse("caseload")).status_code == 403


def test_public_pages_need_no_sign_in(client):
    assert client.get(reverse("privacy")).status_code == 200
    assert client.get(reverse("accessibility")).status_code == 200


def test_unknown_pages_use_the_nhs_style_not_found_page(world, as_staff):
    response = as_staff(world.es_a).get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
