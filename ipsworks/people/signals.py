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
