"""Whole sentences of free text (a product description), for copy that quotes it.

pysbd is a rule-based sentence boundary detector ("Golden Rules" tested, per language):
it keeps URLs, email addresses, decimals and abbreviations inside their sentence, where
splitting at every dot turned "sales@trailhead-outlet.com" into "sales@trailhead-outlet".
"""

from __future__ import annotations

from functools import lru_cache

# Languages pysbd ships rules for; others use the English rules (dots, ! and ?).
PYSBD_LANGUAGES = frozenset(
    "en hi mr zh es am ar hy bg ur ru pl fa nl da fr my el it ja de kk sk".split()
)


@lru_cache(maxsize=16)
def _segmenter(language: str):
    import pysbd

    return pysbd.Segmenter(language=language if language in PYSBD_LANGUAGES else "en")


def split_sentences(text: str, language: str = "en") -> list[str]:
    """The sentences of text, whitespace-normalised, in order, empty ones dropped."""
    if not (text or "").strip():
        return []
    sentences = _segmenter(language).segment(" ".join(text.split()))
    return [s.strip() for s in sentences if s.strip()]
