"""What an order may say."""

from __future__ import annotations

from dataclasses import dataclass

from shared.limits import ORDER_TEXT_MAX
from shared.text import has_control_characters, has_visible_characters


@dataclass(frozen=True)
class OrderTextError:
    message: str


def validate_order_text(raw: str | None) -> str | OrderTextError:
    """Trimmed order text of 1 to ORDER_TEXT_MAX characters, on one line, with something a
    reader can see (only spaces or zero-width characters is no order)."""
    text = (raw or "").strip()
    if not has_visible_characters(text):
        return OrderTextError("Write what you'd like, e.g. `oat flat white`.")
    if len(text) > ORDER_TEXT_MAX:
        return OrderTextError(
            f"That's {len(text)} characters; keep your order to {ORDER_TEXT_MAX} or fewer."
        )
    if has_control_characters(text):
        return OrderTextError("Keep your order on one line, without control characters.")
    return text
