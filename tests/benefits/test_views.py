"""The better-off page: who may see it, who may save, and what it shows."""

import pytest
from django.conf import settings
from django.urls import reverse

from ipsworks.access.models import AccessLogEntry
from ipsworks.benefits import presenters
from ipsworks.benefits.models import BetterOffCalculation
from ipsworks.benefits.queries import first_calculation_dates
from ipsworks.benefits.schema import parse_household

pytestmark = pytest.mark.django_db

FORM = {
    "tax_year": "2026-27",
    "country": "england",
    "couple": "single",
    "age": "35",
    "children_ages": "4",
    "rent_monthly": "650",
    "lcwra": "lcwra",
    "pip_weekly": "0",
    "childcare_monthly": "0",
    "savings": "0",
    "hours": "16",
    "hourly_pay": "12.71",
}


def _url(person):
    return reverse("person_better_off", args=[person.pk])


def test_specialist_sees_the_answer_in_plain_english_and_the_read_is_logged(world, as_staff):
    response = as_staff(world.es_a).get(_url(world.person_a))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Working 16 hours a week at £12.71 an hour, you would be" in page
    assert "<svg" in page
    assert "numbers as a table" in page
    assert "data-print" in page
    assert AccessLogEntry.objects.filter(action="view_person", person_id=world.person_a.pk).exists()


def test_saving_keeps_inputs_year_and_engine_version(world, as_staff):
    response = as_staff(world.es_a).post(_url(world.person_a), {**FORM, "action": "save"})
    assert response.status_code == 302
    saved = BetterOffCalculation.objects.get()
    assert (saved.person, saved.recorded_by, saved.tax_year) == (
        world.person_a,
        world.es_a,
        "2026-27",
    )
    assert saved.referral == world.referral_a
    assert saved.engine_version
    assert saved.inputs["job"]["hours_per_week"] == "16"
    assert saved.results["better_off_weekly"] > 0
    assert first_calculation_dates([world.service.pk]) == {
        world.person_a.pk: saved.recorded_at.date()
    }


def test_htmx_returns_only_the_recalculated_answer(world, as_staff):
    client = as_staff(world.es_a)
    response = client.post(_url(world.person_a), {**FORM, "hours": "30"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert "Working 30 hours a week at £12.71 an hour" in page
    assert BetterOffCalculation.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"hours": "-2"}, "Hours cannot be negative"),
        ({"hourly_pay": "lots"}, "Pay an hour must be an amount in pounds"),
        ({"age": "12"}, "aged 18 to 65"),
        ({"children_ages": "4, twenty"}, "Enter children&#39;s ages as whole numbers"),
        ({"couple": "couple"}, "Enter the partner&#39;s age"),
        ({"children_ages": "", "childcare_monthly": "300"}, "Childcare costs count only"),
    ],
)
def test_bad_input_shows_the_error_summary_and_saves_nothing(world, as_staff, change, message):
    response = as_staff(world.es_a).post(_url(world.person_a), {**FORM, **change, "action": "save"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert message in page
    assert BetterOffCalculation.objects.count() == 0


def test_anonymous_visitors_are_sent_to_sign_in(world, client):
    response = client.get(_url(world.person_a))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.parametrize("persona", ["es_b", "outsider"])
def test_people_out_of_scope_are_not_found(world, as_staff, persona):
    assert as_staff(getattr(world, persona)).get(_url(world.person_a)).status_code == 404


@pytest.mark.parametrize("persona", ["commissioner", "admin", "clinician"])
def test_roles_without_the_full_record_are_forbidden(world, as_staff, persona):
    response = as_staff(getattr(world, persona)).get(_url(world.person_a))
    assert response.status_code == 403
    assert world.person_a.family_name not in response.content.decode()


def test_a_colleague_may_calculate_but_not_save(world, as_staff):
    client = as_staff(world.colleague_a)
    page = client.get(_url(world.person_a)).content.decode()
    assert "Save on the record" not in page
    response = client.post(_url(world.person_a), {**FORM, "action": "save"})
    assert response.status_code == 403
    assert BetterOffCalculation.objects.count() == 0


def test_manager_may_save(world, as_staff):
    response = as_staff(world.manager).post(_url(world.person_a), {**FORM, "action": "save"})
    assert response.status_code == 302


def test_other_methods_are_not_allowed(world, as_staff):
    assert as_staff(world.es_a).put(_url(world.person_a)).status_code == 405


def test_a_live_update_with_a_wrong_answer_marks_the_field_and_says_why(world, as_staff):
    client = as_staff(world.es_a)
    response = client.post(_url(world.person_a), {**FORM, "hours": "-3"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert "Correct the answers marked in the form" in page
    # The error summary and the form's questions come back out of band, with the message on
    # the hours field itself.
    assert 'id="better-off-errors" hx-swap-oob="true"' in page
    assert "There is a problem" in page
    assert 'href="#hours"' in page
    assert 'id="better-off-fields" hx-swap-oob="true"' in page
    assert "nhsuk-form-group--error" in page
    assert 'id="hours-error"' in page
    assert "Hours cannot be negative" in page
    assert 'name="errors_shown"' in page
    assert "<script" not in page
    assert "style=" not in page


def test_a_live_update_after_the_answer_is_corrected_clears_the_marks(world, as_staff):
    client = as_staff(world.es_a)
    response = client.post(
        _url(world.person_a), {**FORM, "errors_shown": "1"}, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert "Working 16 hours a week at £12.71 an hour" in page
    assert 'id="better-off-fields" hx-swap-oob="true"' in page
    assert "There is a problem" not in page
    assert "nhsuk-form-group--error" not in page
    assert 'name="errors_shown"' not in page


def test_a_live_update_of_a_good_answer_leaves_the_questions_alone(world, as_staff):
    client = as_staff(world.es_a)
    page = client.post(_url(world.person_a), FORM, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="better-off-errors" hx-swap-oob="true"' in page
    assert "better-off-fields" not in page
    assert "There is a problem" not in page


def test_current_benefits_are_asked_and_each_left_out_one_is_flagged(world, as_staff):
    client = as_staff(world.es_a)
    page = client.get(_url(world.person_a)).content.decode()
    assert "Benefits they get now" in page
    assert 'name="current_benefits" type="checkbox" value="income_support"' in page
    response = client.post(
        _url(world.person_a),
        {**FORM, "lcwra": "none", "current_benefits": ["new_style_esa", "income_support"]},
    )
    page = response.content.decode()
    assert "New-style ESA is not included" in page
    assert "Income Support is not included" in page


def test_the_partners_pip_and_new_claimant_lcwra_reach_the_calculation(world, as_staff):
    form = {
        **FORM,
        "lcwra": "none",
        "couple": "couple",
        "partner_age": "40",
        "partner_lcwra": "lcwra_new",
        "partner_pip_weekly": "80",
        "current_benefits": ["carers_allowance"],
        "action": "save",
    }
    assert as_staff(world.es_a).post(_url(world.person_a), form).status_code == 302
    saved = BetterOffCalculation.objects.get()
    partner = saved.inputs["adults"][1]
    assert (partner["lcwra"], partner["lcwra_new_claimant"]) == (True, True)
    assert partner["pip_annual"] == "4160.00"
    assert saved.inputs["current_benefits"] == ["carers_allowance"]
    assert saved.results["out_of_work"]["universal_credit_elements"]["lcwra"] == 2607.12


def test_partners_pip_without_a_partner_is_refused(world, as_staff):
    response = as_staff(world.es_a).post(
        _url(world.person_a), {**FORM, "partner_pip_weekly": "50", "action": "save"}
    )
    assert "Partner&#39;s PIP is only for someone with a partner" in response.content.decode()
    assert BetterOffCalculation.objects.count() == 0


def test_the_printout_has_the_charts_table_and_what_the_answer_is_based_on(world, as_staff):
    client = as_staff(world.es_a)
    form = {**FORM, "couple": "couple", "partner_age": "40", "current_benefits": ["tax_credits"]}
    page = client.post(_url(world.person_a), form).content.decode()
    # A closed <details> does not print: the table is also in a print-only block outside it.
    details = page[page.index('<details class="nhsuk-details ips-no-print">') :]
    details = details[: details.index("</details>")]
    assert "Weekly amounts by hours worked" in details
    printed = page[page.index('<div class="ips-print-only" id="better-off-print-table">') :]
    printed = printed[: printed.index("</table>")]
    assert "<details" not in printed
    assert "Weekly amounts by hours worked" in printed
    assert printed.count('<tr class="nhsuk-table__row">') == 1 + 41  # header and 0 to 40 hours
    # What the answer is based on, as an NHS.UK summary list (printed, as it is not hidden).
    based_on = page[page.index("What this is based on") :]
    based_on = based_on[: based_on.index("</dl>")]
    assert 'class="nhsuk-summary-list ips-assumptions"' in based_on
    for words in [
        "Tax year",
        "2026 to 2027",
        "England",
        "A couple, aged 35 and 40",
        "Aged 4",
        "£650.00 a month",
        "16 hours a week at £12.71 an hour (£203.36 a week before tax)",
        "Yes, assessed before 6 April 2026",
        "Child Tax Credit or Working Tax Credit",
    ]:
        assert words in based_on


def test_the_print_stylesheet_shows_the_print_only_table():
    css = (settings.BASE_DIR / "ipsworks/static/ipsworks/better-off.css").read_text()
    screen, _, paper = css.partition("@media print")
    assert ".ips-print-only {\n  display: none;" in screen
    assert ".ips-print-only {\n    display: block;" in paper


def test_what_this_is_based_on_reads_plainly_for_a_partners_job_in_london():
    household = parse_household(
        {
            "tax_year": "2025-26",
            "country": "england",
            "greater_london": True,
            "adults": [{"age": 30, "pip_annual": 5200}, {"age": 28, "carer": True}],
            "job": {"adult": 1, "hours_per_week": 22.5, "hourly_pay": 12.5},
        }
    )
    rows = {r["key"]["text"]: r["value"]["text"] for r in presenters.assumptions(household)}
    assert rows["Tax year"] == "2025 to 2026"
    assert rows["Where they live"] == "England, in Greater London"
    assert rows["Children"] == "None"
    assert rows["Eligible rent"] == "None"
    assert rows["The job"] == (
        "22.5 hours a week at £12.50 an hour (£281.25 a week before tax), for their partner"
    )
    assert rows["PIP"] == "£100.00 a week"
    assert rows["Partner is a carer"] == "Yes"
    assert rows["Benefits they get now"] == "None entered"
