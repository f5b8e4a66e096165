from django.apps import AppConfig


class DiaryConfig(AppConfig):
    name = "ipsworks.diary"
    label = "diary"

    def ready(self) -> None:
        from ipsworks.diary.privacy import PERSONAL_RECORDS
        from ipsworks.people.privacy import add_personal_records

        add_personal_records(*PERSONAL_RECORDS)
        from ipsworks.access.rules import add_object_rule
        from ipsworks.activity import next_steps
        from ipsworks.core import page_cache
        from ipsworks.diary import worklist
        from ipsworks.diary.models import Appointment, Task
        from ipsworks.diary.permissions import appointment_rule
        from ipsworks.diary.record import TASKS
        from ipsworks.diary.services import plan_next_step
        from ipsworks.diary.timeline import appointments
        from ipsworks.people import progress, record, timeline

        add_object_rule(Appointment, appointment_rule)
        timeline.add_source(appointments)
        page_cache.register_one_person(Task)
        # activity and people are below diary: the contact form's next step becomes a task,
        # and the caseload's "needs attention" and the person's page read tasks, here.
        next_steps.answer_plan_next_step(plan_next_step)
        progress.add_annotation("open_tasks_overdue", worklist.open_tasks_overdue)
        progress.add_annotation("next_task", worklist.next_task)
        progress.add_annotation("next_task_on", worklist.next_task_on)
        record.add_section(TASKS)
