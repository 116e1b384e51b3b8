"""Signals of the foundation layer that apps above it may receive."""

from __future__ import annotations

from django.dispatch import Signal

# Sent by ``caunoi restore`` once the database holds the restored data (``using``: the
# database alias). Derived data keyed to the database's history must not be trusted after it
# (the search app gives the database a new epoch).
database_restored = Signal()
