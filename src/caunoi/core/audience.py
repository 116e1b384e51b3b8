"""Who may read a record: audiences as principal tokens, one rule for every path.

A record's audience is a set of *principal tokens*: ``public`` (anyone), ``staff`` (network
staff: the ministry and the reporting ministries and provinces), ``unit:<id>`` (one unit),
``user:<id>`` and ``org:<id>`` (named parties). A reader holds principals too; they may read a
record when the two sets meet, and administrators read everything.

The search index stores each document's tokens and filters by the reader's principals, the
lists filter their querysets with the entity's rule, and both are derived from the same rule
object, so hits, facets, counts, lists, exports, the API and downloads agree.

This module knows no user model: the apps that define who a person is (accounts, and the
registry for organisation links) register *principal contributors* in their ``ready()``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from django.db import models

PUBLIC = "public"
STAFF = "staff"

M = TypeVar("M", bound=models.Model)


def unit(pk: Any) -> str:
    return f"unit:{pk}"


def user(pk: Any) -> str:
    return f"user:{pk}"


def org(pk: Any) -> str:
    return f"org:{pk}"


@dataclass(frozen=True)
class Reader:
    """What one person may read: their principals, or everything (administrators)."""

    principals: frozenset[str]
    everything: bool = False

    def can_read(self, tokens: Iterable[str]) -> bool:
        return self.everything or not self.principals.isdisjoint(tokens)

    @property
    def is_staff(self) -> bool:
        return self.everything or STAFF in self.principals


ANONYMOUS = Reader(frozenset({PUBLIC}))
EVERYTHING = Reader(frozenset({PUBLIC, STAFF}), everything=True)

# Each contributor returns the principals it knows for a user, or EVERYTHING for one who reads
# everything; the reader is the union.
Contributor = Callable[[Any], "Iterable[str] | Reader"]
_contributors: dict[str, Contributor] = {}


def register_principals(name: str, contributor: Contributor) -> None:
    """Add (or replace, by name) a source of principals for signed-in users."""
    _contributors[name] = contributor


def reader_for(person: Any) -> Reader:
    """The reader for a request's user (anonymous visitors read what is public); a reader
    is its own (``caunoi ask`` asks as an operator who reads everything)."""
    if isinstance(person, Reader):
        return person
    if person is None or not getattr(person, "is_authenticated", False):
        return ANONYMOUS
    if not getattr(person, "is_active", False):
        return ANONYMOUS
    tokens = {PUBLIC}
    for contributor in _contributors.values():
        got = contributor(person)
        if isinstance(got, Reader):
            if got.everything:
                return Reader(frozenset(tokens | got.principals), everything=True)
            tokens |= got.principals
        else:
            tokens.update(got)
    return Reader(frozenset(tokens))


class AudienceRule(Protocol):
    """One entity's read rule: the tokens of a record, and the same rule as a queryset filter."""

    def tokens(self, obj: Any) -> tuple[str, ...]: ...

    def readable(self, reader: Reader, queryset: models.QuerySet[M]) -> models.QuerySet[M]: ...


class PublishedOrStaff:
    """Registry-style records: public when ``is_public``, otherwise network staff only."""

    field = "is_public"

    def tokens(self, obj: Any) -> tuple[str, ...]:
        return (PUBLIC,) if getattr(obj, self.field) else (STAFF,)

    def readable(self, reader: Reader, queryset: models.QuerySet[M]) -> models.QuerySet[M]:
        if reader.is_staff:
            return queryset
        return queryset.filter(**{self.field: True})


PUBLISHED_OR_STAFF = PublishedOrStaff()


def readable(person: Any, rule: AudienceRule, queryset: models.QuerySet[M]) -> models.QuerySet[M]:
    return rule.readable(reader_for(person), queryset)
