"""Remove the search text that person and employer searches used to write to the access log.

The log is read by service administrators, who may not see case data; a searched name or
NHS number is case data. Searches now record only their kind and size
(ipsworks/people/presenters.py, search_log_reason). Older entries keep that a search was
made, by whom and when, but lose the text; migrating back does not bring it back.
"""

from django.db import migrations


def remove_search_text(apps, schema_editor):
    entry = apps.get_model("access", "AccessLogEntry")
    searches = entry.objects.filter(action="search")
    searches.filter(reason__startswith="people: ").exclude(
        reason__regex=r"^people: search by (NHS number|name) \(\d+ characters, \d+ found\)$"
    ).update(reason="people: search (text removed)")
    searches.filter(reason__startswith="employers: ").exclude(
        reason__regex=r"^employers: search \(\d+ characters\)$"
    ).update(reason="employers: search (text removed)")


class Migration(migrations.Migration):
    dependencies = [("access", "0002_more_audit_actions")]

    operations = [migrations.RunPython(remove_search_text, migrations.RunPython.noop)]
