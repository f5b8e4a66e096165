"""What the jobs app asks about accepted job offers (``ipsworks.jobs.offers``), answered here.

Registered from ``MatchingConfig.ready``: a job start recorded from an accepted offer is
checked against the offer and fills its vacancy.
"""

from ipsworks.jobs import services as job_services
from ipsworks.jobs.models import Job
from ipsworks.jobs.offers import OfferSource
from ipsworks.matching import queries
from ipsworks.matching.models import Application, ApplicationStatus, Vacancy
from ipsworks.matching.services import set_vacancy_status
from ipsworks.organisations.models import StaffMember
from ipsworks.people.models import Person


def problem_with(application: Application, person: Person) -> str | None:
    """Why a job start cannot be recorded from this application, or None if it can.

    The application must be this person's (which also keeps it in their service), accepted,
    and not already have a job: an accepted offer leads to one job start, recorded once.
    """
    if application.person_id != person.pk or application.service_id != person.service_id:
        return job_services.APPLICATION_NOT_THEIRS
    if application.status != ApplicationStatus.ACCEPTED:
        return job_services.APPLICATION_NOT_ACCEPTED
    if Job.objects.filter(application_id=application.pk).exists():
        return job_services.APPLICATION_ALREADY_RECORDED
    return None


def locked(application: Application) -> Application:
    return Application.objects.select_for_update().get(pk=application.pk)


def fill_vacancy(application: Application, by: StaffMember) -> None:
    """The accepted offer filled the vacancy: mark it filled (if not already).

    A vacancy is one post (it has no number of positions), so one accepted offer with its
    job recorded fills it; a closed vacancy becomes filled too, as that is what happened.
    Through ``matching.services`` so the change is audited like any status change.
    """
    vacancy = Vacancy.objects.select_for_update().get(pk=application.vacancy_id)
    if vacancy.status != Vacancy.Status.FILLED:
        set_vacancy_status(vacancy=vacancy, status=Vacancy.Status.FILLED, by=by)


def for_person(staff: StaffMember, person: Person):
    return queries.applications_for(staff).filter(person=person)


SOURCE = OfferSource(
    for_person=for_person,
    named=queries.offer_for_job,
    problem=problem_with,
    locked=locked,
    recorded=fill_vacancy,
)
