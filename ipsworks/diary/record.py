"""The Tasks part of a person's record page: their open tasks, whoever owns them
(registered in ``DiaryConfig`` through ``people.record``)."""

from ipsworks.diary.models import Task
from ipsworks.people.record import RecordView, Section, Tab


def _tasks(view: RecordView) -> dict[str, object]:
    """The open tasks, soonest due first (one query); the clinician's summary shows none:
    what the specialists have to do is their working record, not the person's summary."""
    if not view.full_record:
        return {"open_tasks": []}
    tasks = list(Task.objects.filter(person=view.person).open().select_related("owner__user"))
    return {"open_tasks": tasks, "can_add_task": view.can_edit}


TASKS = Section(
    name="diary.tasks",
    values=_tasks,
    summary_template="diary/_person_summary.jinja",
    tab=Tab(id="tasks", title="Tasks", template="diary/_person_tasks.jinja"),
)
