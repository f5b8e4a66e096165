"""Documents with a part written from code (metric definitions, the MHSDS tables), so the
documentation cannot drift from what the code does.

A module that owns such a part has ``PATH`` and ``rewritten(text)``; its management command
subclasses :class:`RewriteDocsCommand`, and its test asserts the file is up to date.
"""

from types import ModuleType

from django.core.management.base import BaseCommand, CommandError


def replace_between(text: str, begin: str, end: str, body: str) -> str:
    """``text`` with what lies between the ``begin`` and ``end`` markers replaced by ``body``."""
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{begin}\n{body}\n{end}{tail}"


class RewriteDocsCommand(BaseCommand):
    """Rewrite the generated part of ``module.PATH`` (``--check``: only compare)."""

    module: ModuleType

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="fail if the file is stale")

    def handle(self, *args, check=False, **options):
        path = self.module.PATH
        text = path.read_text()
        wanted = self.module.rewritten(text)
        name = f"docs/{path.name}"
        if check:
            if wanted != text:
                raise CommandError(f"{name} is out of date: run manage.py {self.command_name}")
            self.stdout.write(f"{name} matches the code")
            return
        path.write_text(wanted)
        self.stdout.write(f"{name} rewritten")

    @property
    def command_name(self) -> str:
        return self.__module__.rsplit(".", 1)[-1]
