"""The Work part of a person's record page: jobs, in-work support due, the return-to-work
plan, Access to Work, and education or training (registered in ``JobsConfig`` through
``people.record``)."""

from ipsworks.access.roles import Permission
from ipsworks.access.rules import has_role_permission
from ipsworks.employers import queries as employer_queries
from ipsworks.jobs import presenters, queries
from ipsworks.people.record import RecordView, Section, Tab


def _work(view: RecordView) -> dict[str, object]:
    """Jobs for the summary's "In work now"; on the full record also the Work tab (five
    more queries, however many jobs and courses)."""
    jobs = queries.jobs_of(view.person)
    values: dict[str, object] = {
        "jobs": jobs,
        "current_jobs": [j for j in jobs if j.is_current and j.start_date <= view.today],
    }
    if view.full_record:
        values |= {
            "check_ins": queries.open_check_ins_of(view.person),
            "education": queries.education_of(view.person),
            "return_plan": queries.latest_return_to_work_plan(view.person),
            "access_to_work": presenters.access_to_work_rows(
                employer_queries.access_to_work_of(view.person)
            ),
            "can_add_access_to_work": view.can_edit
            and has_role_permission(view.staff, Permission.WORK_WITH_EMPLOYERS),
        }
    return values


WORK = Section(
    name="jobs.work",
    values=_work,
    summary_template="jobs/_person_summary.jinja",
    tab=Tab(id="work", title="Work", template="jobs/_person_work.jinja"),
)
