"""The one domain error type; views and the API map it to a response in one place each."""

from __future__ import annotations


class DomainError(Exception):
    """A domain rule refused a change; `errors` maps field names (or "__all__") to messages."""

    def __init__(self, message: str, *, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or {}
