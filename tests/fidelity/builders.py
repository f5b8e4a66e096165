"""Hand-built records for fidelity evidence tests, in a service of their own so every count
is exact. Dates that the models stamp automatically (profiles, plans, calculations) are set
afterwards through the base manager, which the append-only manager does not guard."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from ipsworks.access.roles import Role
from ipsworks.activity.models import Contact, TeamMeeting
from ipsworks.benefits.models import BetterOffCalculation
from ipsworks.employers.models import EmployerContact
from ipsworks.fidelity import evidence
from ipsworks.fidelity import scale as scales
from ipsworks.jobs.models import Job, SupportCheckIn
from ipsworks.outcomes.periods import Period
from ipsworks.people.models import DisclosurePlan, VocationalProfile
from tests import factories as f

D = dt.date
FY = Period(D(2025, 4, 1), D(2026, 3, 31), "2025-26")
TODAY = D(2026, 6, 1)


def _stamp(model, pk: int, day: dt.date) -> None:
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))
    model._base_manager.filter(pk=pk).update(recorded_at=at)


class Builder:
    def __init__(self):
        self.service = f.ServiceFactory()
        self.team_a = f.TeamFactory(service=self.service, name="Alpha CMHT")
        self.team_b = f.TeamFactory(service=self.service, name="Beta CMHT")
        self.team_c = f.TeamFactory(service=self.service, name="Gamma CMHT")
        self.manager = f.StaffFactory(role=Role.MANAGER, service=self.service)
        self._employers = {}

    # --- people and staff --------------------------------------------------------------------

    def es(self, *, fte="1.00", teams=None, started=None, left=None):
        return f.StaffFactory(
            role=Role.EMPLOYMENT_SPECIALIST,
            service=self.service,
            teams=[self.team_a] if teams is None else teams,
            fte=Decimal(fte),
            started_on=started,
            left_on=left,
        )

    def referral(
        self,
        es,
        *,
        team=None,
        received=None,
        access=None,
        closed=None,
        reason="moved_away",
        source="P1",
        status="02",
        person=None,
    ):
        person = person or f.PersonFactory(service=self.service)
        extra = {}
        if closed:
            extra = {"status": "closed", "closed_on": closed, "closure_reason": reason}
        referral = f.ReferralFactory(
            person=person,
            team=team or self.team_a,
            allocated_to=es,
            received_on=received or D(2025, 4, 1),
            source=source,
            employment_status_at_referral=status,
            **extra,
        )
        if access:
            f.EpisodeFactory(referral=referral, access_date=access)
            self.contact(referral, access)
        return referral

    def contact(self, referral, day, *, place="community", minutes=45, outcome="completed"):
        mode = "face_to_face" if place != "remote" else "phone"
        return f.ContactFactory(
            referral=referral,
            staff=referral.allocated_to,
            contact_date=day,
            place=place if outcome == "completed" else "",
            duration_minutes=minutes if outcome == "completed" else None,
            mode=mode,
            outcome=outcome,
        )

    # --- employers and jobs ------------------------------------------------------------------

    def employer(self, name=None, sector="logistics"):
        key = name or f"Employer {len(self._employers) + 1}"
        if key not in self._employers:
            self._employers[key] = f.EmployerFactory(service=self.service, name=key, sector=sector)
        return self._employers[key]

    def employer_contact(
        self,
        es,
        day,
        *,
        person=None,
        employer=None,
        mode="face_to_face",
        purpose=None,
        minutes=None,
    ):
        return EmployerContact.objects.create(
            service=self.service,
            employer=employer or self.employer(),
            staff=es,
            person=person,
            contact_date=day,
            mode=mode,
            purpose=purpose or ("present_person" if person else "learn_needs"),
            duration_minutes=minutes,
        )

    def application(self, es, person, day, *, fits=True, employer=None):
        """A job application: warehouse work in the afternoon fits the default profile;
        care work does not (not a kind of work the person wants)."""
        from tests.matching.factories import ApplicationFactory, VacancyFactory

        self._vacancies = getattr(self, "_vacancies", 0) + 1
        title, soc = ("Warehouse operative", "9") if fits else ("Care assistant", "6")
        vacancy = VacancyFactory(
            employer=employer or self.employer(),
            title=f"{title} {self._vacancies}",
            soc_major_group=soc,
            times_of_day=["afternoon"],
            created_by=es,
        )
        return ApplicationFactory(vacancy=vacancy, person=person, applied_on=day, created_by=es)

    def job(
        self,
        referral,
        start,
        *,
        employer=None,
        title="Warehouse operative",
        soc="9",
        contract="permanent",
        competitive=True,
        four_hours=True,
        self_employed=False,
    ):
        if self_employed:
            contract, employer = "self_employed", None
        else:
            employer = employer or self.employer()
        return Job.objects.create(
            service=self.service,
            person=referral.person,
            referral=referral,
            employer=employer,
            job_title=title,
            soc_major_group=soc,
            contract_type=contract,
            start_date=start,
            hours_per_week=Decimal(20),
            hourly_pay_pence=1300,
            competitive=competitive,
            four_hours_worked=four_hours,
            recorded_by=referral.allocated_to,
        )

    def check_in(self, job, due, met=None, *, kind="monthly", cancelled=False):
        return SupportCheckIn.objects.create(
            service=self.service,
            job=job,
            person=job.person,
            kind=kind,
            opens_on=due - dt.timedelta(days=7),
            due_on=due,
            met_on=met,
            cancelled=cancelled,
        )

    # --- plans and calculations --------------------------------------------------------------

    def profile(self, person, day, kinds="Warehouse or delivery work", version=None):
        version = version or VocationalProfile.objects.filter(person=person).count() + 1
        profile = f.VocationalProfileFactory(
            person=person, version=version, recorded_by=self.manager, kinds_of_work=kinds
        )
        _stamp(VocationalProfile, profile.pk, day)
        return profile

    def disclosure(self, person, day, *, pros=True, wording="", version=None):
        version = version or DisclosurePlan.objects.filter(person=person).count() + 1
        plan = f.DisclosurePlanFactory(
            person=person,
            version=version,
            recorded_by=self.manager,
            pros_and_cons_discussed=pros,
            what_to_say=wording,
            employer_contact_allowed=True,
        )
        _stamp(DisclosurePlan, plan.pk, day)
        return plan

    def calculation(self, person, day):
        calc = BetterOffCalculation.objects.create(
            service=self.service,
            person=person,
            tax_year="2025-26",
            engine_version="test",
            inputs={},
            results={},
            recorded_by=self.manager,
        )
        _stamp(BetterOffCalculation, calc.pk, day)
        return calc

    def meeting(self, es, day, team=None):
        return TeamMeeting.objects.create(
            service=self.service, team=team or self.team_a, staff=es, meeting_date=day
        )

    # --- evidence ----------------------------------------------------------------------------

    def scope(self, period=FY, teams=None, today=TODAY):
        team_ids = tuple(sorted(t.pk for t in teams)) if teams else None
        return evidence.Scope(self.service.pk, team_ids, period, today)

    def evidence(self, number, **kwargs):
        return evidence.compute_item(self.scope(**kwargs), number)

    def proposed(self, number, **kwargs):
        """(figure, proposed rating) for a computed item, thresholds from the scale file."""
        found = self.evidence(number, **kwargs)
        return found.value, scales.load().item(number).measure.rating_for(found.value)


__all__ = ["FY", "TODAY", "Builder", "Contact", "D"]
