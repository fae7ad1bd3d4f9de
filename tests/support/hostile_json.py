"""Hypothesis strategies for what a hostile client sends: any Unicode, digits of every
script, integers longer than Python's int-conversion limit, non-finite floats, deep JSON."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st


@dataclass(frozen=True)
class Huge:
    """An integer literal longer than Python's int-conversion limit, as an attacker sends it
    (a Python int that long could not even be printed in a test report)."""

    digits: int
    negative: bool

    def literal(self) -> str:
        return ("-" if self.negative else "") + "9" * self.digits


UNICODE = st.text(alphabet=st.characters(codec="utf-8"), max_size=60)
DIGITS_ANYWHERE = st.text(
    alphabet=st.characters(categories=["Nd", "No", "Nl"]) | st.sampled_from("0123456789 +-_."),
    max_size=12,
)

HUGE = st.builds(Huge, st.integers(min_value=31, max_value=6000), st.booleans())
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | HUGE
    | st.floats(allow_nan=True, allow_infinity=True)
    | UNICODE
    | DIGITS_ANYWHERE
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(UNICODE, children, max_size=4)
    ),
    max_leaves=24,
)


def dumps(value: Any) -> bytes:
    """JSON text, with each Huge written as its digits."""
    huge: list[Huge] = []

    def placeholder(item: object) -> str:
        assert isinstance(item, Huge)
        huge.append(item)
        return f"@@huge{len(huge) - 1}@@"

    text = json.dumps(value, default=placeholder)
    for n, item in enumerate(huge):
        text = text.replace(f'"@@huge{n}@@"', item.literal())
    return text.encode()
