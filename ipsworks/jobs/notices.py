"""What other apps have to say about a job on its page: an outcome claimed on it, say.

Apps register a source, a function (job) -> list of sentences, from their
``AppConfig.ready``, so the jobs app needs no import of the apps built on it.
"""

from collections.abc import Callable

from ipsworks.jobs.models import Job

_SOURCES: list[Callable[[Job], list[str]]] = []


def add_source(source: Callable[[Job], list[str]]) -> None:
    """Let another app say something on a job's page (once, however often it is called)."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def for_job(job: Job) -> list[str]:
    return [notice for source in _SOURCES for notice in source(job)]
