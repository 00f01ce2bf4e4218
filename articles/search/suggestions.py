"""
"Did you mean": the closest known word for each word of a search that no
published content contains. Pure: the backend finds the candidates (one
query), this module chooses among them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

# Typos are one or two keys off; further away, a "correction" is a guess.
MAX_EDITS = 2
# Shorter words have too many neighbours to guess from.
MIN_LENGTH = 4


def edit_distance(a: str, b: str, *, limit: int = MAX_EDITS) -> int:
    """
    Damerau-Levenshtein distance (optimal string alignment: a swap of two
    neighbours is one edit), or limit + 1 once it is certainly above limit.
    """
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous_previous: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, start=1):
            cost = 0 if char_a == char_b else 1
            current[j] = min(
                previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost
            )
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous_previous[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous_previous, previous = previous, current
    return previous[-1]


def checkable(words: Iterable[str]) -> list[str]:
    """The words worth checking: long enough, and letters only (no numbers, no units)."""
    return [
        word
        for word in dict.fromkeys(words)
        if len(word) >= MIN_LENGTH and word.isalpha()
    ]


def corrections(candidates: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """
    For each word that is not among its own candidates (the known words
    near it), the nearest candidate within MAX_EDITS, the shorter and then
    the alphabetically first of equals.
    """
    chosen = {}
    for word, near in candidates.items():
        near = list(near)
        if word in near:
            continue
        scored = sorted(
            (edit_distance(word, candidate), len(candidate), candidate)
            for candidate in near
        )
        if scored and scored[0][0] <= MAX_EDITS:
            chosen[word] = scored[0][2]
    return chosen
