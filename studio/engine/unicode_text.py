"""Unicode clean-up before any copy check, and the characters copy may never hold.

Copy checks (banned terms, emails, phone numbers, URLs) match plain ASCII patterns, so
they are fooled by text that looks the same but is spelt differently: a zero-width space
inside "guaran\u200bteed", fullwidth letters ("Ｇｕａｒａｎｔｅｅｄ"), or U+2024 ONE DOT
LEADER in place of the dots of an email address. `for_checks` folds those away (NFKC,
then the invisible format characters removed); every check runs on its result.

Zero-width characters and bidi controls have no business in ad copy at all: a bidi
override can make a rendered line read differently from the stored text. Copy typed by a
person that holds one is refused (`hidden_characters` names them); generated copy is
cleaned (`strip_hidden`) before it is stored.
"""

from __future__ import annotations

import unicodedata

# Bidi embedding, override and isolate controls, and the implicit direction marks.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
# Zero-width and other invisible characters that can split a word without a trace.
ZERO_WIDTH = frozenset("\u00ad\u034f\u180e\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff")
HIDDEN = BIDI_CONTROLS | ZERO_WIDTH


def _is_hidden(char: str) -> bool:
    # Cf ("format") covers the lists above and the rest of their kind (e.g. tag
    # characters U+E0000..); none of them is visible text.
    return char in HIDDEN or unicodedata.category(char) == "Cf"


def strip_hidden(text: str) -> str:
    """The text without zero-width, bidi and other invisible format characters."""
    return "".join(c for c in text if not _is_hidden(c))


def for_checks(text: str) -> str:
    """The form every copy check reads: NFKC (fullwidth letters and U+2024 become plain
    letters and dots), invisible format characters removed, NFKC again (a removed
    character can leave two pieces that compose)."""
    return unicodedata.normalize("NFKC", strip_hidden(unicodedata.normalize("NFKC", text)))


def hidden_characters(text: str) -> list[str]:
    """Each distinct invisible character in the text, named for a message, e.g.
    "U+200B ZERO WIDTH SPACE"; empty when there is none."""
    found = dict.fromkeys(c for c in text if _is_hidden(c))
    return [f"U+{ord(c):04X} {unicodedata.name(c, 'FORMAT CHARACTER')}" for c in found]


def hidden_characters_message(text: str) -> str | None:
    """A sentence for a form error, or None when the text is clean."""
    names = hidden_characters(text)
    if not names:
        return None
    return (
        "Contains invisible characters that can hide or reorder words ("
        + ", ".join(names)
        + "); retype it without them."
    )
