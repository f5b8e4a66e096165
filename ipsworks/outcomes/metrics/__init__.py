"""The one registry of outcome metrics. Nothing else in IPS Works computes an outcome.

Each metric is declared once, in ``definitions.toml`` (reviewed data: plain-English
definition, numerator and denominator, period rule, direction, the source it follows, who
checked it and when it is next due), as settled in ``shared/domain/metric-definitions.md``;
:mod:`.definitions` loads and checks it. The functions compute the metrics with set-based
SQL over the services a caller is allowed to aggregate
(``access.scoping.services_for_aggregates``), grouped by service, by clinical team (the team
on the date of the event) or by employment specialist (the one the referral is allocated
to), so their cost does not grow with a loop over people.

The modules, by subject:

- :mod:`.conditions`: the grouping, the period filter and the shared populations;
- :mod:`.referrals`: referrals, access, waits and the caseload (MHS116);
- :mod:`.financial_year`: NHS England's accessed-in-the-financial-year measure (CDP_I01);
- :mod:`.work`: job starts, people into work, the employment rate, sustained jobs (IPS Grow);
- :mod:`.education`: people starting and completing education or training (never job starts);
- :mod:`.from_facts`: the same referral counts from the referral facts (docs/adr/0008);
- :mod:`.ways_of_working`: employer contact and community time (fidelity items 15, 17, 24);
- :mod:`.equality`: accesses and job starts by protected characteristic;
- :mod:`.targets`: each specialist against the IPS Grow targets;
- :mod:`.evidence`: the ``teams=None`` functions the fidelity evidence reads;
- :mod:`.nhs_england` and :mod:`.residence`: the NHS England dashboard measures and
  figures by where people live.

Every name callers used from ``ipsworks.outcomes.metrics`` is re-exported here.
"""

from ipsworks.outcomes.metrics.conditions import (
    BY_SERVICE,
    BY_SPECIALIST,
    BY_TEAM,
    GROUPINGS,
    WAIT_BANDS,
    rate,
)
from ipsworks.outcomes.metrics.definitions import REGISTRY, Metric
from ipsworks.outcomes.metrics.education import education_completions, education_starts
from ipsworks.outcomes.metrics.equality import (
    AGE_BANDS,
    ETHNIC_GROUPS,
    age_band,
    equality_breakdown,
    ethnic_group,
)
from ipsworks.outcomes.metrics.evidence import (
    PERMANENT_CONTRACTS,
    EmployerContactWait,
    FollowAlong,
    accesses_in,
    benefits_planning_before_start,
    check_ins_due,
    closed_referrals,
    closures_by_reason,
    employer_contact_waits,
    employer_diversity,
    employer_key,
    in_work_support_on_time,
    job_starts_in,
    job_type_diversity,
    job_type_key,
    jobs_obtained,
    permanent_competitive_share,
    referral_sources,
    referrals_received_in,
    summarise_waits,
)
from ipsworks.outcomes.metrics.financial_year import (
    accessed_in_financial_year,
    accessed_in_financial_year_each,
    year_to_date,
)
from ipsworks.outcomes.metrics.from_facts import (
    referral_figures,
    trend_counts,
)
from ipsworks.outcomes.metrics.referrals import (
    accesses,
    accesses_and_waits,
    active_caseload,
    active_referrals,
    caseload_on_with_team,
    caseload_team_mix,
    job_retention_share,
    open_caseload,
    referrals_received,
    wait_to_access,
)
from ipsworks.outcomes.metrics.targets import (
    ACCESS_TARGET_FIRST_YEAR,
    ACCESS_TARGET_LATER_YEARS,
    INTO_WORK_TARGET,
    SUSTAINED_TARGET,
    THIRTEEN_WEEKS,
    SpecialistTargets,
    access_target,
    specialist_targets,
)
from ipsworks.outcomes.metrics.ways_of_working import (
    DaysToContact,
    community_share,
    days_to_employer_contact,
    employer_contacts_per_fte_week,
    specialist_weeks,
)
from ipsworks.outcomes.metrics.work import (
    SUSTAINED_WEEKS,
    employment_rate,
    into_work_counts,
    job_starts,
    people_into_work,
    qualifying_job_starts,
    qualifying_job_starts_for_referral,
    rate_denominator,
    starts_and_sustained,
    sustained,
)

#: Which function computes each metric of the definitions file. Loading the package fails
#: when the file lacks one of these ids or declares one that nothing here computes.
COMPUTED_BY = {
    "referrals_received": referrals_received,
    "accessed_in_financial_year": accessed_in_financial_year,
    "accessed_in_financial_year_to_date": accessed_in_financial_year,  # over year_to_date()
    "accesses": accesses,
    "wait_to_access": wait_to_access,
    "open_caseload": open_caseload,
    "job_starts": job_starts,
    "people_into_work": people_into_work,
    "employment_rate": employment_rate,
    "sustained_13": sustained,
    "sustained_26": sustained,
    "sustained_52": sustained,
    "job_retention_share": job_retention_share,
    "days_to_employer_contact": days_to_employer_contact,
    "employer_contacts_per_fte_week": employer_contacts_per_fte_week,
    "community_share": community_share,
    "specialist_access_target": specialist_targets,
    "specialist_into_work": specialist_targets,
    "specialist_sustained": specialist_targets,
    "active_caseload": active_caseload,
    "caseload_by_team": caseload_team_mix,
    "jobs_obtained": jobs_obtained,
    "job_type_diversity": job_type_diversity,
    "employer_diversity": employer_diversity,
    "permanent_competitive_share": permanent_competitive_share,
    "benefits_planning_before_job_start": benefits_planning_before_start,
    "in_work_support_on_time": in_work_support_on_time,
    "referrals_by_source": referral_sources,
    "closures_by_reason": closures_by_reason,
    "education_starts": education_starts,
    "education_completions": education_completions,
}
REGISTRY.require(COMPUTED_BY)

__all__ = [
    "ACCESS_TARGET_FIRST_YEAR",
    "ACCESS_TARGET_LATER_YEARS",
    "AGE_BANDS",
    "BY_SERVICE",
    "BY_SPECIALIST",
    "BY_TEAM",
    "COMPUTED_BY",
    "ETHNIC_GROUPS",
    "GROUPINGS",
    "INTO_WORK_TARGET",
    "PERMANENT_CONTRACTS",
    "REGISTRY",
    "SUSTAINED_TARGET",
    "SUSTAINED_WEEKS",
    "THIRTEEN_WEEKS",
    "WAIT_BANDS",
    "DaysToContact",
    "EmployerContactWait",
    "FollowAlong",
    "Metric",
    "SpecialistTargets",
    "access_target",
    "accessed_in_financial_year",
    "accessed_in_financial_year_each",
    "accesses",
    "accesses_and_waits",
    "accesses_in",
    "active_caseload",
    "active_referrals",
    "age_band",
    "benefits_planning_before_start",
    "caseload_on_with_team",
    "caseload_team_mix",
    "check_ins_due",
    "closed_referrals",
    "closures_by_reason",
    "community_share",
    "days_to_employer_contact",
    "education_completions",
    "education_starts",
    "employer_contact_waits",
    "employer_contacts_per_fte_week",
    "employer_diversity",
    "employer_key",
    "employment_rate",
    "equality_breakdown",
    "ethnic_group",
    "in_work_support_on_time",
    "into_work_counts",
    "job_retention_share",
    "job_starts",
    "job_starts_in",
    "job_type_diversity",
    "job_type_key",
    "jobs_obtained",
    "open_caseload",
    "people_into_work",
    "permanent_competitive_share",
    "qualifying_job_starts",
    "qualifying_job_starts_for_referral",
    "rate",
    "rate_denominator",
    "referral_figures",
    "referral_sources",
    "referrals_received",
    "referrals_received_in",
    "specialist_targets",
    "specialist_weeks",
    "starts_and_sustained",
    "summarise_waits",
    "sustained",
    "trend_counts",
    "wait_to_access",
    "year_to_date",
]
