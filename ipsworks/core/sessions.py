"""Django's database sessions, read with one fixed statement (``SESSION_ENGINE``).

Every signed-in request reads its session, and building that query through the ORM cost
more than running it. The statement is the one Django's own ``SessionStore`` sends; writing,
creating, deleting and clearing expired sessions are Django's, unchanged.
"""

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def load(self):
        model = self.model
        connection = connections[router.db_for_read(model)]
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            # The table name is the model's own, quoted; the values are parameters.
            sql = f"SELECT session_data FROM {table} WHERE session_key = %s AND expire_date > %s"  # noqa: S608
            cursor.execute(sql, [self.session_key, timezone.now()])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return {}
        return self.decode(row[0])
