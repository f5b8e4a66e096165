"""What the people app tells other apps, so that it need not import them."""

from django.dispatch import Signal

# Sent inside the transaction that records an ``access.ReferralCheck``, with ``check``: the
# public app tells the service's duty inbox (``public.apps``). Receivers must not raise.
referral_needs_check = Signal()

# Sent inside the transaction that records a contact that supports a person in work: a
# direct contact with them (activity) or an in-work support contact with their employer
# (employers), with ``person_id`` and ``on`` (the contact's date). The jobs app meets the
# in-work support check-ins open by then (``jobs.services.note_support_contact``).
support_contact = Signal()

# Sent inside the transaction of ``people.services.create_referrals_in_bulk``, once its
# rows are written, with ``service_id`` and ``referral_ids``: ``bulk_create`` sends no
# ``post_save``, so this is how the outcome facts hear of them (``outcomes.facts.connect``),
# as they hear of one referral from its ``post_save``.
referrals_created_in_bulk = Signal()
