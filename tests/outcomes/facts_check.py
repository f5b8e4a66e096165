"""Checks that the referral-facts figures equal the metrics they stand in for."""

from ipsworks.outcomes import facts, metrics


def assert_facts_agree(service_ids, period, by) -> None:
    """``referral_figures`` against each single metric it replaces, for one period."""
    combined = metrics.referral_figures(service_ids, period, by)

    def part(name):
        return {k: v[name] for k, v in combined.items() if v[name]}

    assert part("referrals") == metrics.referrals_received(service_ids, period, by)
    assert part("accesses") == metrics.accesses(service_ids, period, by)
    assert {k: v["waits"] for k, v in combined.items() if v["accesses"]} == dict(
        metrics.wait_to_access(service_ids, period, by)
    )
    assert part("open_caseload") == metrics.open_caseload(service_ids, period.end, by)
    assert {
        k: (v["retention_open"], v["open_caseload"])
        for k, v in combined.items()
        if v["open_caseload"]
    } == metrics.job_retention_share(service_ids, period.end, by)
    assert part("into_work") == metrics.people_into_work(service_ids, period, by)
    assert part("rate_denominator") == metrics.rate_denominator(service_ids, period, by)
    rate = metrics.employment_rate(service_ids, period, by)
    assert part("rate_numerator") == {k: n for k, (n, _) in rate.items() if n}
    if by != metrics.BY_TEAM:  # into_work_counts is not asked by team
        assert {
            k: (v["into_work"], v["rate_numerator"]) for k, v in combined.items() if v["into_work"]
        } == metrics.into_work_counts(service_ids, period, by)


def assert_facts_current(service_ids=None) -> None:
    """The stored facts equal a fresh computation from the records."""
    assert facts.differences(service_ids) == []
