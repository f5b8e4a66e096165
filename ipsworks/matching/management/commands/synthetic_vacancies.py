"""manage.py synthetic_vacancies: open vacancies for the demo (synthetic data only)."""

from django.core.management.base import BaseCommand

from ipsworks.access.roles import Role
from ipsworks.matching import synthetic
from ipsworks.organisations.models import Service, StaffMember


class Command(BaseCommand):
    help = (
        "Add synthetic open vacancies (and example employers, where a service has none) to "
        "every service, or to one. Run load_postcode_centroids --synthetic afterwards."
    )

    def add_arguments(self, parser):
        parser.add_argument("--per-service", type=int, default=40)
        parser.add_argument("--service", help="short name of one service")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, per_service=40, service=None, seed=1, **options):
        services = Service.objects.order_by("pk")
        if service:
            services = services.filter(short_name=service)
        total = 0
        for each in services:
            by = (
                StaffMember.objects.filter(
                    service=each, role__in=[Role.MANAGER, Role.EMPLOYMENT_SPECIALIST]
                )
                .order_by("role", "pk")
                .first()
            )
            if by is None:
                continue
            total += synthetic.create_vacancies(service=each, by=by, count=per_service, seed=seed)
        self.stdout.write(self.style.SUCCESS(f"Added {total:,} synthetic vacancies"))
