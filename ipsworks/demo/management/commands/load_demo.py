"""manage.py load_demo: the demo services and sign-ins, created once.

Idempotent: when the demo is already in the database nothing is written; either way the
command ends by printing the sign-ins, so ``make demo`` always shows how to get in.
"""

import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from ipsworks.access.roles import Role
from ipsworks.core.dates import local_today
from ipsworks.demo.diary_demo import add_demo_diary, add_demo_tasks
from ipsworks.demo.fidelity_demo import add_demo_fidelity
from ipsworks.demo.synthetic import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    DEMO_SERVICES,
    demo_present,
    generate_demo,
)
from ipsworks.organisations.models import Service, StaffMember
from ipsworks.people.models import Referral, ReferralStatus


class Command(BaseCommand):
    help = "Load the demo (two synthetic services, about 800 people) unless it is already there."

    def handle(self, *args, **options) -> None:
        if demo_present():
            # A demo loaded before the fidelity reviews existed gets them now; otherwise no-op.
            added_fidelity = add_demo_fidelity(today=local_today())
            added_diary = add_demo_diary(today=local_today())
            added_tasks = add_demo_tasks()
            if added_fidelity:
                self.stdout.write("Added the fidelity reviewer and reviews to the demo.")
            if added_diary:
                self.stdout.write("Added es.demo's diary for this week to the demo.")
            if added_tasks:
                self.stdout.write("Made the demo's next actions into tasks.")
            if not (added_fidelity or added_diary or added_tasks):
                self.stdout.write("The demo data is already loaded; nothing was changed.")
        else:
            clash = Service.objects.filter(short_name__in=[s.short_name for s in DEMO_SERVICES])
            clash_users = get_user_model().objects.filter(
                username__in=[a.username for a in DEMO_ACCOUNTS]
            )
            if clash.exists() or clash_users.exists():
                raise CommandError(
                    "Part of the demo is in this database but not all of it. Start again with "
                    "`make demo-reset`, which deletes db.sqlite3."
                )
            stats = generate_demo()
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded the demo: {stats.services} services, {stats.people:,} synthetic "
                    f"people, {stats.total_rows:,} rows in {stats.seconds:.1f} s."
                )
            )
        self._print_sign_ins()

    def _print_sign_ins(self) -> None:
        port = os.environ.get("PORT", "8000")
        rows = [("Username", "Role", "Where", "What they see")]
        for account in DEMO_ACCOUNTS:
            member = (
                StaffMember.objects.select_related("service", "user")
                .prefetch_related("teams", "commissioned_services")
                .filter(user__username=account.username)
                .first()
            )
            if member is None:
                continue
            rows.append((account.username, Role(member.role).label, _where(member), _sees(member)))
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        self.stdout.write("")
        self.stdout.write(f"Open http://127.0.0.1:{port} and sign in as one of these.")
        self.stdout.write(f"The password for every demo account is: {DEMO_PASSWORD}")
        self.stdout.write("")
        for n, row in enumerate(rows):
            line = "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:3]))
            self.stdout.write(f"{line}  {row[3]}")
            if n == 0:
                self.stdout.write("  ".join("-" * w for w in widths) + "  " + "-" * 13)
        self.stdout.write("")
        self.stdout.write("All names, NHS numbers, phone numbers and addresses are synthetic.")
        if getattr(settings, "IPS_REQUIRE_TWO_FACTOR", False) and not getattr(
            settings, "IPS_DEMO_ACCOUNTS_ENABLED", True
        ):
            self.stdout.write(
                "These accounts skip the second sign-in factor only when the server runs with "
                "IPS_DEMO_ACCOUNTS_ENABLED=1."
            )


def _where(member: StaffMember) -> str:
    if member.role == Role.COMMISSIONER:
        return "Commissions " + ", ".join(s.name for s in member.commissioned_services.all())
    if member.role == Role.FIDELITY_REVIEWER and member.service is None:
        return "External, named on reviews"
    teams = ", ".join(t.name for t in member.teams.all())
    service = member.service.name if member.service else ""
    return f"{service}: {teams}" if teams else service


def _sees(member: StaffMember) -> str:
    """One line, in plain words, of what this sign-in shows (the roles in ARCHITECTURE.md)."""
    role = member.role
    if role == Role.EMPLOYMENT_SPECIALIST:
        open_count = (
            Referral.objects.filter(allocated_to=member).exclude(status=ReferralStatus.CLOSED)
        ).count()
        return f"their caseload ({open_count} open) and, read-only, their teams' people"
    if role == Role.MANAGER:
        waiting = Referral.objects.filter(
            Q(allocated_to__isnull=True) & ~Q(status=ReferralStatus.CLOSED),
            service=member.service,
        ).count()
        return f"everything in the service: {waiting} referrals to allocate, caseloads, figures"
    if role == Role.CLINICIAN:
        return "a summary of the people their team referred; no case notes"
    if role == Role.COMMISSIONER:
        return "outcome figures only, small numbers suppressed; never a person"
    if role == Role.ADMINISTRATOR:
        return "staff and teams; no case notes"
    if role == Role.FIDELITY_REVIEWER:
        named = member.fidelity_reviews.count()
        return (
            f"the {named} fidelity review{'s' if named != 1 else ''} they are named on: "
            "evidence for the review period, people by reference only; no outcome pages"
        )
    return Role(role).label
