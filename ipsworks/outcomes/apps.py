from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "ipsworks.outcomes"
    label = "outcomes"

    def ready(self) -> None:
        from ipsworks.outcomes.privacy import PERSONAL_RECORDS
        from ipsworks.people.privacy import add_personal_records

        add_personal_records(*PERSONAL_RECORDS)
        from ipsworks.core import page_cache
        from ipsworks.jobs import notices
        from ipsworks.outcomes import facts, funding
        from ipsworks.outcomes.models import ReferralFacts, ReferralYearAccess

        facts.connect()
        page_cache.register_one_person(ReferralFacts, ReferralYearAccess)
        notices.add_source(funding.job_notices)
