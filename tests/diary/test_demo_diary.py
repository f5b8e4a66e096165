"""The demo's diary: es.demo's week shows every state of an appointment."""

import datetime as dt

import pytest
from django.utils import timezone

from ipsworks.demo.diary_demo import add_demo_diary
from ipsworks.diary.models import Appointment
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_demo_books_es_demos_week_once_with_outcomes_for_the_past(world, today):
    world.es_a.user.username = "es.demo"
    world.es_a.user.save()
    world.referral_a.received_on = today - dt.timedelta(days=60)
    world.referral_a.save()
    f.ContactFactory(referral=world.referral_a, staff=world.es_a, duration_minutes=30)
    f.EmployerFactory(service=world.service)
    assert add_demo_diary(today=today) is True
    week = Appointment.objects.filter(staff=world.es_a)
    assert {a.kind for a in week} == {"person", "employer", "team_meeting", "own_time"}
    past = [a for a in week if timezone.localdate(a.starts_at) < today and a.kind != "own_time"]
    assert past
    assert all(not a.is_booked for a in past)
    assert {a.status for a in past} >= {"dna", "took_place"}
    assert all(a.is_booked for a in week if timezone.localdate(a.starts_at) > today)
    assert add_demo_diary(today=today) is False  # a second load changes nothing
    assert Appointment.objects.count() == len(week)


def test_the_demos_next_actions_become_tasks_once(world, today):
    from ipsworks.demo.diary_demo import add_demo_tasks
    from ipsworks.diary.models import Task
    from ipsworks.people.models import Referral

    Referral.objects.filter(pk=world.referral_a.pk).update(
        next_action="Arrange a first meeting", next_action_on=today - dt.timedelta(days=1)
    )
    assert add_demo_tasks() is True
    task = Task.objects.get()
    assert (task.person, task.owner, task.due_on) == (
        world.person_a,
        world.es_a,
        today - dt.timedelta(days=1),
    )
    assert add_demo_tasks() is False
