"""Checks a filled frame must pass before it counts as copy a copywriter would sign."""

from __future__ import annotations

import re

_WORD_RE = re.compile(r"[\w'’-]+", re.UNICODE)


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD_RE.findall(text)]


def repeated_word_pair(*texts: str, keep: str = "") -> str | None:
    """The first word pair that occurs twice across the texts (read as one ad), else None.
    The name in `keep` (the product's) may recur, so pairs inside it or across it never count."""
    seen: set[tuple[str, str]] = set()
    for text in texts:
        for chunk in _split_on(text, keep):
            tokens = words(chunk)
            for pair in zip(tokens, tokens[1:], strict=False):
                if pair in seen:
                    return " ".join(pair)
                seen.add(pair)
    return None


def _split_on(text: str, name: str) -> list[str]:
    name = " ".join(name.split())
    if not name:
        return [text]
    return re.split(rf"(?<!\w){re.escape(name)}(?!\w)", text, flags=re.IGNORECASE)


def mentions(text: str, name: str) -> int:
    """How often the product name occurs as whole words."""
    name = " ".join(name.split())
    if not name:
        return 0
    return len(re.findall(rf"(?<!\w){re.escape(name)}(?!\w)", text, flags=re.IGNORECASE))


def repeated_word(text: str, keep: str = "", shortest: int = 4) -> str | None:
    """A word of `shortest` letters or more used twice in one text ("Jetzt ... jetzt"),
    outside the name in `keep`; else None."""
    seen: set[str] = set()
    for chunk in _split_on(text, keep):
        for word in words(chunk):
            if len(word) >= shortest and word in seen:
                return word
            seen.add(word)
    return None


def problems(headline: str, body: str, product: str) -> list[str]:
    found = []
    pair = repeated_word_pair(headline, body, keep=product)
    if pair:
        found.append(f"repeats the words “{pair}”")
    for text in (headline, body):
        word = repeated_word(text, keep=product)
        if word:
            found.append(f"uses “{word}” twice")
    if mentions(headline, product) > 1:
        found.append("names the product twice in the headline")
    return found
