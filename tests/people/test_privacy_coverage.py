"""Every record with a path to a person is in the subject access export, and its free text
is blanked by anonymisation, unless it is listed below with the reason it is not."""

import pytest
from django.apps import apps
from django.db import models

from ipsworks.people import privacy
from ipsworks.people.models import Person


def _models_with_a_path_to_person() -> dict[str, bool]:
    """Model label -> whether it points straight at Person, for every model that reaches it."""
    reach: dict[type, bool] = {Person: True}
    changed = True
    while changed:
        changed = False
        for model in apps.get_models():
            if model in reach:
                continue
            links = [
                f.related_model
                for f in model._meta.concrete_fields
                if f.is_relation and (f.many_to_one or f.one_to_one)
            ]
            if any(link in reach for link in links):
                reach[model] = Person in links
                changed = True
    return {model._meta.label: direct for model, direct in reach.items()}


# Models with a path to a person that the export leaves out on purpose, and why.
NOT_EXPORTED: dict[str, str] = {
    "outcomes.ReferralFacts": (
        "copies of dates and codes already exported from their own records (the referral, "
        "its episode, contacts and jobs), kept only to count outcomes quickly"
    ),
    "outcomes.ReferralYearAccess": (
        "the date of a referral's first direct contact in each financial year, a copy of the "
        "contacts already exported, kept only to count people accessing IPS quickly"
    ),
}


def test_every_model_with_a_path_to_a_person_is_in_the_subject_access_export():
    exported = {record.label for record in privacy.personal_records()}
    linked = set(_models_with_a_path_to_person())
    assert sorted(linked - exported - set(NOT_EXPORTED)) == []
    # Every model pointing straight at Person is exported: none may be excused.
    direct = {label for label, is_direct in _models_with_a_path_to_person().items() if is_direct}
    assert sorted(direct - exported) == []
    assert sorted(set(NOT_EXPORTED) - linked) == []  # no stale entries


# Text fields kept by anonymisation, each with the reason it cannot identify anyone or must
# stay for the figures. Fields with choices (codes) are kept without listing: they hold only
# their choices' values.
KEPT_TEXT: dict[str, str] = {
    "people.PersonChange.field": "the name of the field corrected, from a fixed list",
    "people.ReferralStatusChange.reason": "a closure reason code (ClosureReason)",
    "jobs.Job.job_title": (
        "the job-type diversity figure (metrics.job_type_key, fidelity evidence) counts "
        "distinct titles; a title alone does not identify anyone once the person is anonymised"
    ),
    "outcomes.OutcomeEvidence.claim_key": (
        "the same key as outcomes.ClaimItem.claim_key: event family and internal ids only"
    ),
    "outcomes.ClaimItem.claim_key": (
        "event family and internal job or referral id (outcomes.models.claim_key): no "
        "personal details, and it stops an outcome being paid twice"
    ),
    "benefits.BetterOffCalculation.tax_year": "a tax year such as 2026-27",
    "benefits.BetterOffCalculation.engine_version": "the benefits engine's version number",
    "benefits.BetterOffCalculation.inputs": (
        "cut down by anonymise() to the tax year and the job's hours and pay "
        "(benefits.privacy._kept_inputs); tested in test_privacy.py"
    ),
    "benefits.BetterOffCalculation.results": "the engine's figures, no personal details",
    "people.VocationalProfile.unsuitable_times": "times of day from a fixed list",
    "jobs.ReturnToWorkPlan.phased_hours": "hours a week, week by week: numbers only",
    "jobs.JobCorrection.changes": (
        "the job's own fields before and after (pay, hours, dates, employer, title), which "
        "the job row itself keeps; the free-text reason is blanked"
    ),
    "imports.ImportedReferral.nhs_number": (
        "replaced by a placeholder by anonymise() (imports.privacy)"
    ),
    "imports.ImportedReferral.source_reference": "cleared by anonymise() with the NHS number",
}


def _free_text_fields(model) -> list[str]:
    return [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField | models.JSONField) and not f.choices
    ]


def test_anonymisation_blanks_every_free_text_field_or_says_why_it_is_kept():
    blanked = {
        f"{record.label}.{name}"
        for record in privacy.personal_records()
        for name in record.anonymised
    }
    blanked |= {f"people.Person.{name}" for name in privacy.ANONYMISED_PERSON_FIELDS}
    text = {
        f"{label}.{name}"
        for label in _models_with_a_path_to_person()
        for name in _free_text_fields(apps.get_model(label))
    }
    assert sorted(text - blanked - set(KEPT_TEXT)) == []
    assert sorted(set(KEPT_TEXT) & blanked) == []  # listed once, in one place
    assert sorted(set(KEPT_TEXT) - text) == []  # no stale entries


def test_a_model_registered_twice_or_two_models_under_one_section_fail_loudly():
    from django.core.exceptions import ImproperlyConfigured

    held = privacy.personal_records()
    contacts = next(r for r in held if r.label == "activity.Contact")
    privacy.add_personal_records(contacts)  # the same again (ready() run twice): no change
    assert privacy.personal_records() == held
    for clash in (
        privacy.PersonalRecords("more_contacts", "activity.Contact", "person"),
        privacy.PersonalRecords("contacts", "activity.Other", "person"),
    ):
        with pytest.raises(ImproperlyConfigured, match="registered already"):
            privacy.add_personal_records(clash)
    assert privacy.personal_records() == held


def test_each_app_registers_its_own_records_in_installed_apps_order():
    sections = [record.section for record in privacy.personal_records()]
    assert sections[0] == "person"
    assert sections.index("contacts") < sections.index("jobs") < sections.index("job_applications")
