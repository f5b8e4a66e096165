"""Source of referral becomes MHSDS SOURCE OF REFERRAL FOR MENTAL HEALTH.

The four local values map one way each (``people.codes.LEGACY_SOURCES``): a clinical team
is an internal referral (P1), self-referral B1, a GP practice A1, anything else M6 "other
service or agency". Going back maps the codes onto the nearest local value.
"""

from django.db import migrations, models

FORWARD = {"clinical_team": "P1", "self": "B1", "gp": "A1", "other": "M6"}
BACKWARD = {"P1": "clinical_team", "B1": "self", "B2": "self", "A1": "gp"}


def to_codes(apps, schema_editor):
    Referral = apps.get_model("people", "Referral")
    for local, code in FORWARD.items():
        Referral.objects.filter(source=local).update(source=code)


def to_local(apps, schema_editor):
    Referral = apps.get_model("people", "Referral")
    for code, local in BACKWARD.items():
        Referral.objects.filter(source=code).update(source=local)
    Referral.objects.exclude(source__in=set(BACKWARD.values())).update(source="other")


class Migration(migrations.Migration):
    dependencies = [("people", "0009_closure_reason_settled_in_work")]

    operations = [
        migrations.RunPython(to_codes, to_local),
        migrations.AlterField(
            model_name="referral",
            name="source",
            field=models.CharField(
                choices=[
                    ("P1", "Internal referral (a team in this trust, such as their clinical team)"),
                    ("A1", "Primary health care: general medical practitioner practice"),
                    ("B1", "Self referral: self"),
                    ("B2", "Self referral: carer or relative"),
                    ("M5", "Other: Jobcentre Plus"),
                    ("M6", "Other service or agency"),
                    ("A2", "Primary health care: health visitor"),
                    ("A3", "Other primary health care"),
                    ("A4", "Primary health care: maternity service"),
                    ("C1", "Local authority and other public services: social services"),
                    (
                        "C2",
                        "Local authority and other public services: education service or educational establishment",
                    ),
                    ("C3", "Local authority and other public services: housing service"),
                    ("D1", "Employer"),
                    ("D2", "Employer: occupational health"),
                    ("E1", "Justice system: police"),
                    ("E2", "Justice system: courts"),
                    ("E3", "Justice system: probation service"),
                    ("E4", "Justice system: prison"),
                    ("E5", "Justice system: court liaison and diversion service"),
                    ("E6", "Justice system: youth offending team"),
                    ("F1", "Child health: school nurse"),
                    ("F2", "Child health: hospital-based paediatrics"),
                    ("F3", "Child health: community-based paediatrics"),
                    ("G1", "Independent sector: medium secure inpatients"),
                    ("G2", "Independent sector: low secure inpatients"),
                    ("G3", "Other independent sector mental health services"),
                    ("G4", "Voluntary sector"),
                    ("H1", "Acute secondary care: emergency care department"),
                    ("H2", "Other secondary care specialty"),
                    ("I1", "Temporary transfer from another mental health NHS trust"),
                    ("I2", "Permanent transfer from another mental health NHS trust"),
                    ("M1", "Other: asylum services"),
                    ("M2", "Other: telephone or electronic access service"),
                    ("M3", "Other: out of area agency"),
                    ("M4", "Other: drug action team or drug misuse agency"),
                    ("M7", "Other: single point of access service"),
                    ("N3", "Improving access to psychological therapies"),
                    ("Q1", "Mental health drop in service"),
                ],
                max_length=2,
                verbose_name="source of referral (MHSDS SourceOfReferralMH)",
            ),
        ),
    ]
