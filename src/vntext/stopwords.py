"""Function words of English and Vietnamese that say nothing about a text's subject: the
search snippets do not mark them on their own, the matching core does not count them as
shared terms. Lowercase, as written (Vietnamese with its diacritics: "có" is a function
word, "cỏ" is grass)."""

from __future__ import annotations

_ENGLISH = (
    "a an and are as at be by for from in into is it its of on or than that the their this to"
    " was were with"
)
_VIETNAMESE = (
    "và của các là có cho với trong những được này đã để theo về từ thì mà tại như hoặc nhưng"
    " bởi vì khi đó"
)
ENGLISH = frozenset(_ENGLISH.split())
VIETNAMESE = frozenset(_VIETNAMESE.split())
STOP_WORDS: frozenset[str] = ENGLISH | VIETNAMESE
