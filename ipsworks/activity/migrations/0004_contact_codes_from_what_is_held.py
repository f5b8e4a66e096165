"""Give every contact held its MHSDS codes, from its mode, outcome and who it was with.

The same mapping as ``activity.codes.contact_codes`` for a contact with no code held (written
out here, as migrations must not import code that may change): face to face 01, phone 02,
video 11, text, email or letter 98; with the person, took place 5, did not attend or could not
be reached 3; with family only or the clinical team, no attendance (indirect activity). Then
``is_direct`` is recomputed from the codes; for every contact held it comes out as before
(completed, with the person, face to face, video or phone). Set-based updates, no loop over
rows. Going back leaves nothing to undo: 0003's reversal drops the columns.
"""

from django.db import migrations

MEDIUM_FOR_MODE = {"face_to_face": "01", "phone": "02", "video": "11", "text_email": "98"}


def forwards(apps, schema_editor):
    Contact = apps.get_model("activity", "Contact")
    rows = Contact.objects.using(schema_editor.connection.alias)
    for mode, medium in MEDIUM_FOR_MODE.items():
        rows.filter(mode=mode).update(consultation_medium=medium)
    with_person = rows.filter(with_whom="person")
    with_person.filter(outcome="completed").update(attended_or_dna="5")
    with_person.filter(outcome__in=["dna", "attempted"]).update(attended_or_dna="3")
    rows.exclude(with_whom="person").update(attended_or_dna="")
    direct = {
        "consultation_medium__in": ["01", "02", "04", "11"],
        "attended_or_dna__in": ["5", "6"],
    }
    rows.filter(**direct).exclude(is_direct=True).update(is_direct=True)
    rows.exclude(**direct).exclude(is_direct=False).update(is_direct=False)


class Migration(migrations.Migration):
    dependencies = [("activity", "0003_contact_mhsds_codes")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
