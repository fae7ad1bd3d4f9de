"""Channel settings over everything a person can type into the settings modal (or an
operator into a JSON body): typed as what it says, or a field error; never raised."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.channels.config import OPTIONAL, RANGES, SWITCHES, range_message, validate_changes
from tests.support.hostile_text import CHARACTER, TYPED

MANY = settings(max_examples=300, deadline=None)
SPACES = st.text(st.sampled_from(" \t\u00a0\u202f\u2007\u3000\u2028\n"), max_size=3)


@given(field=st.sampled_from(sorted(RANGES)), text=TYPED | st.text(CHARACTER, max_size=12))
@MANY
def test_any_typed_setting_is_what_it_says_or_a_field_error(field: str, text: str):
    changes, errors = validate_changes({field: text})

    assert set(changes) | set(errors) == {field}
    stripped = text.strip()
    if field in errors:
        assert errors[field] == range_message(field)
    elif changes[field] is None:
        assert field in OPTIONAL and stripped in ("", "default")
    else:
        assert stripped.isascii() and stripped.isdigit() and int(stripped) == changes[field]
        low, high, _ = RANGES[field]
        assert low <= changes[field] <= high


@given(field=st.sampled_from(sorted(RANGES)), before=SPACES, after=SPACES)
@MANY
def test_spaces_of_any_kind_around_a_number_are_ignored(field: str, before: str, after: str):
    low, _, _ = RANGES[field]

    assert validate_changes({field: f"{before}{low}{after}"}) == ({field: low}, {})


@pytest.mark.parametrize("blank", [" ", "\u00a0", "\u3000 ", "\t"])
def test_an_optional_setting_left_blank_with_any_space_is_cleared(blank: str):
    for field in OPTIONAL:
        assert validate_changes({field: blank}) == ({field: None}, {})


@given(raw=st.dictionaries(st.text(CHARACTER, max_size=70), TYPED, max_size=5))
@MANY
def test_unknown_settings_with_any_name_are_field_errors(raw: dict[str, str]):
    changes, errors = validate_changes(raw)

    known = set(RANGES) | set(SWITCHES)
    assert set(changes) | set(errors) == {name[:64] for name in raw}
    for name in raw:
        if name not in known:
            assert errors[name[:64]] == "Unknown setting."
