"""The append-only log of who looked at or changed which record."""

from django.conf import settings
from django.db import models

from ipsworks.core.models import AppendOnlyModel


class AccessLogEntry(AppendOnlyModel):
    """One read or write of case data. No role can change or delete these rows in the app.

    Person ids are stored as plain integers, not foreign keys, so erasing a person later
    does not erase the record that somebody once looked at them.
    """

    class Action(models.TextChoices):
        VIEW_PERSON = "view_person", "Viewed a person's record"
        VIEW_PERSON_SUMMARY = "view_person_summary", "Viewed a person's summary"
        CREATE = "create", "Created a record"
        CHANGE = "change", "Changed a record"
        SEARCH = "search", "Searched for people"
        EXPORT = "export", "Exported data"
        REASON = "reason", "Gave a reason for opening a record"
        SIGN_OUT_EVERYWHERE = "sign_out_everywhere", "Signed out everywhere"
        UNLOCK = "unlock", "Unlocked an account"
        RESET_TWO_FACTOR = "reset_two_factor", "Reset a second sign-in factor"
        SUBJECT_ACCESS = "subject_access", "Exported everything held about a person"
        ANONYMISE = "anonymise", "Anonymised a person under the retention policy"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    service_id = models.BigIntegerField(null=True)
    action = models.CharField(max_length=30, choices=Action.choices)
    object_type = models.CharField(max_length=50, blank=True)
    object_id = models.BigIntegerField(null=True)
    person_id = models.BigIntegerField(null=True)
    path = models.CharField(max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(null=True)
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["person_id", "at"]),
            models.Index(fields=["user", "at"]),
            models.Index(fields=["service_id", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} at {self.at:%Y-%m-%d %H:%M}"


class ReferralCheck(models.Model):
    """A referral refused without saying why, for the service's duty team to sort out.

    A referral whose NHS number is already held for someone with a different family name or
    date of birth, or for someone with an open referral, is refused with one neutral message
    (``people.rules.REFERRAL_NEEDS_CHECK``), so the referral form cannot tell anyone who may
    refer whom the service holds. The duty team reads these instead: who tried, when, from
    which team, the number typed and why. Nothing else typed is kept: the team asks the
    referrer.
    """

    class Reason(models.TextChoices):
        DETAILS_DIFFER = "details_differ", "The name or date of birth differ from the record held"
        ALREADY_OPEN = "already_open", "The person already has an open referral"

    service = models.ForeignKey(
        "organisations.Service", on_delete=models.CASCADE, related_name="referral_checks"
    )
    made_at = models.DateTimeField(auto_now_add=True)
    made_by = models.ForeignKey(
        "organisations.StaffMember",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    team = models.ForeignKey(
        "organisations.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    nhs_number = models.CharField(max_length=10)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    person_id = models.BigIntegerField(help_text="The person already held for the NHS number")
    sorted_at = models.DateTimeField(null=True, blank=True)
    sorted_by = models.ForeignKey(
        "organisations.StaffMember",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sorted_note = models.CharField("what was done", max_length=300, blank=True)

    class Meta:
        ordering = ["-made_at", "-pk"]
        indexes = [models.Index(fields=["service", "sorted_at"])]

    def __str__(self) -> str:
        return f"Referral check made {self.made_at:%d/%m/%Y %H:%M}"
