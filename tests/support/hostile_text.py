"""Hypothesis strategies for what a person can type: any code point (lone surrogates too,
which JSON can carry as "\\ud800"), and the characters that look like something else:
other scripts' digits, spaces that aren't U+0020, zero-width and direction marks,
combining marks, line separators; mixed with the words of the `/coffee` grammar and with
Slack's own markup, so the parsers meet them where they matter."""

from __future__ import annotations

from hypothesis import strategies as st

ANY_CHARACTER = st.characters(exclude_categories=())
LOOK_ALIKES = st.characters(
    categories=["Nd", "No", "Nl", "Zs", "Zl", "Zp", "Cf", "Cc", "Cs", "Mn", "Mc", "Me"]
) | st.sampled_from(
    [
        "\u00a0",  # no-break space (Option-Space on a Mac)
        "\u202f",  # narrow no-break space (how macOS writes "10:30 PM" now)
        "\u3000",  # ideographic space
        "\u200b",  # zero-width space
        "\u200d",  # zero-width joiner (inside emoji sequences)
        "\u200e",  # left-to-right mark
        "\u200f",  # right-to-left mark
        "\u202e",  # right-to-left override
        "\u2066",  # left-to-right isolate
        "\ufeff",  # byte order mark
        "\u00ad",  # soft hyphen
        "\u0301",  # combining acute accent
        "\u2028",  # line separator
        "\u2212",  # minus sign
        "\uff1a",  # fullwidth colon
        "\u00b2",  # superscript two: isdigit(), but int() refuses it
        "\u2460",  # circled one: the same
        "\ud800",  # a lone surrogate
    ]
)
CHARACTER = ANY_CHARACTER | LOOK_ALIKES
GRAMMAR = st.sampled_from(
    [
        "in",
        "10:30",
        "2:15pm",
        "2:15",
        "pm",
        "a.m.",
        "20m",
        "20",
        "-5m",
        "\u22125m",
        "min",
        "hours",
        "help",
        "HELP",
        "admin",
        "audit",
        "stats",
        "forget-me",
        "<@U0ALICE>",
        "<!channel>",
        "<!here|here>",
        "<https://evil.example|click>",
        "*bold*",
        "`",
        "&amp;",
        "&lt;@U0ALICE&gt;",
        "&#x202e;",
        "\u0661\u0660",  # Arabic-Indic 10
        "\uff11\uff10",  # fullwidth 10
        "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",  # a flag
        "\U0001f469\u200d\U0001f4bb",  # an emoji joined with ZWJ
    ]
)
# A time written in one script's digits: 10:30 in Arabic-Indic, fullwidth, Devanagari...
SCRIPT_TIME = (
    st.characters(categories=["Nd"])
    .map(lambda digit: chr(ord(digit) - int(digit)))  # that script's zero
    .map(lambda zero: f"{chr(ord(zero) + 1)}{zero}:{chr(ord(zero) + 3)}{zero}")
)
WORD = GRAMMAR | SCRIPT_TIME | st.text(CHARACTER, max_size=10)
SEPARATOR = st.sampled_from([" ", "  ", "\u00a0", "\u202f", "\u3000", "\t", "\u2028", "\u200b", ""])
# What someone types after /coffee.
TYPED = st.lists(st.tuples(WORD, SEPARATOR), max_size=8).map(
    lambda parts: "".join(word + separator for word, separator in parts)
) | st.text(CHARACTER, max_size=300)
