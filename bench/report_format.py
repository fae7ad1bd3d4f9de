"""Small formatting helpers shared by the report modules."""

from __future__ import annotations

from typing import Any


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def yes(value: bool) -> str:
    return "**yes**" if value else "**no**"


def quick(result: dict[str, Any]) -> str:
    return " (quick run)" if result.get("quick") else ""


def seconds(value: float) -> str:
    return f"{value:.1f} s" if abs(value) >= 10 else f"{value:.2f} s"
