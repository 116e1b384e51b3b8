"""Signals other apps listen to, so that accounts never imports them."""

from __future__ import annotations

from django.dispatch import Signal

# Sent with ``user=`` inside the transaction that confirms a person's e-mail address (an
# outside user's account becomes usable). The registry links the claimed organisation.
email_verified = Signal()
