"""The one domain error type; views and the API map it to a response in one place each."""

from __future__ import annotations


class DomainError(Exception):
    """A domain rule refused a change; `errors` maps field names (or "__all__") to messages."""

    def __init__(self, message: str, *, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


class ConflictError(DomainError):
    """A write based on an older version of a record: someone else changed it meanwhile.

    `current` maps each field whose saved value differs from what the writer sent to the
    saved value, `yours` to the value sent (both readable text or lists of text), and
    `version` is the record's current version (None when the record no longer exists).
    """

    def __init__(
        self,
        message: str,
        *,
        current: dict[str, object] | None = None,
        yours: dict[str, object] | None = None,
        version: int | None = None,
        errors: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(message, errors=errors)
        self.current = current or {}
        self.yours = yours or {}
        self.version = version
