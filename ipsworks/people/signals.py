"""What the people app tells other apps, so that it need not import them."""

from django.dispatch import Signal

# Sent inside the transaction that records an ``access.ReferralCheck``, with ``check``: the
# public app tells the service's duty inbox (``public.apps``). Receivers must not raise.
referral_needs_check = Signal()
