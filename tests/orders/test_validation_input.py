"""Order text over everything a person can type: stored as typed, or a field error."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.limits import ORDER_TEXT_MAX
from shared.orders.validation import OrderTextError, validate_order_text
from tests.support.hostile_text import CHARACTER, TYPED


@given(raw=TYPED | st.text(CHARACTER, min_size=140, max_size=160) | st.none())
@settings(max_examples=400, deadline=None)
def test_any_order_text_is_kept_as_typed_or_explained(raw: str | None):
    result = validate_order_text(raw)

    if isinstance(result, OrderTextError):
        assert result.message
        return
    assert raw is not None and result == raw.strip()  # as typed, only trimmed
    assert 1 <= len(result) <= ORDER_TEXT_MAX
    assert result.encode("utf-8")  # storable: no lone surrogate
    assert not any(unicodedata.category(ch) in ("Cc", "Zl", "Zp") for ch in result)
    assert any(
        unicodedata.category(ch)[0] in "LNPS" or unicodedata.category(ch) in ("Co", "Cn")
        for ch in result
    )


@pytest.mark.parametrize(
    "raw", ["\u200b", "\u200f", "\ufeff\u200d", "\u0301", "\u00a0\u3000\u200b", "\U000e0067"]
)
def test_an_order_of_nothing_visible_asks_for_one(raw: str):
    result = validate_order_text(raw)

    assert isinstance(result, OrderTextError) and "Write what you'd like" in result.message


@pytest.mark.parametrize("raw", ["latte\u2028second line", "tea\u2029milk", "oat \ud800 latte"])
def test_line_separators_and_lone_surrogates_are_refused(raw: str):
    result = validate_order_text(raw)

    assert isinstance(result, OrderTextError) and "one line" in result.message


@pytest.mark.parametrize(
    "raw",
    [
        "caf\u00e9 au lait",
        "cafe\u0301 au lait",  # the same, with a combining accent
        "\u05e7\u05e4\u05d4 \u05d4\u05e4\u05d5\u05da",  # Hebrew, right to left
        "\u0642\u0647\u0648\u0629\u200f",  # Arabic with a right-to-left mark
        "\U0001f469\u200d\U0001f4bb's flat white",  # an emoji joined with ZWJ
        "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f tea",  # a flag
        "\U0001fae9",  # an emoji newer than Python 3.12's Unicode tables
        "\u0661\u0662 oat lattes",  # Arabic-Indic digits are fine in an order
    ],
)
def test_any_script_emoji_and_marks_are_kept_as_typed(raw: str):
    assert validate_order_text(raw) == raw
