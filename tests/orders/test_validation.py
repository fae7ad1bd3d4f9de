from __future__ import annotations

import pytest

from shared.orders.validation import OrderTextError, validate_order_text


def test_order_text_is_trimmed():
    assert validate_order_text("  oat flat white ") == "oat flat white"


def test_exactly_150_characters_is_allowed():
    assert validate_order_text("x" * 150) == "x" * 150


@pytest.mark.parametrize("bad", [None, "", "   ", "x" * 151, "two\nlines", "bell\u0007"])
def test_invalid_order_text_is_an_error_value(bad):
    assert isinstance(validate_order_text(bad), OrderTextError)
