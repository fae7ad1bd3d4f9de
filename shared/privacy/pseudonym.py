"""What forget-me leaves in place of a person's Slack id on past runs and orders."""

from __future__ import annotations

import re
import uuid

# No Slack id looks like this: Slack's start with U or W and are upper case.
_PSEUDONYM = re.compile(r"anon-[0-9a-f]{10}")
# How a forgotten person reads in every message, and in our own stored sentences (the
# reason a run changed hands) once their mention is taken out.
LEFT = "someone who left"


def new_pseudonym() -> str:
    return f"anon-{uuid.uuid4().hex[:10]}"


def is_forgotten(user_id: str) -> bool:
    """Whether ``user_id`` is a pseudonym left by forget-me rather than a Slack user."""
    return _PSEUDONYM.fullmatch(user_id) is not None
