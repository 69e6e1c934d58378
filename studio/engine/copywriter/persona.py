"""Pull slot values out of free text (personas, descriptions, past winners).

No tagger is available offline, so these are small heuristics tuned for the way
marketers write personas: "Busy parents who want healthy meals in under 20 minutes".
"""

from __future__ import annotations

import re

STOPWORDS = frozenset(
    """a an the and or but if of to in on at by for with from into over under about as is are
    was were be been being it its this that these those who whom whose which what when where
    why how their them they he she his her our we you your yours i me my mine not no so than
    too very can will just also more most less some any all each every both few such own same
    do does did doing have has had having would should could may might must up down out off
    again further then once here there only other aged age years year old etc want wants need
    needs love loves like likes care cares looking value values prefer prefers enjoy enjoys""".split()
)
# Verbs that open the "what they want" half of a persona clause.
WANT_LEADS = re.compile(
    r"^(?:who\s+|that\s+)?(?:(?:really\s+)?(?:want|wants|wanting|need|needs|love|loves|like|"
    r"likes|value|values|prefer|prefers|enjoy|enjoys|seek|seeks|care about|cares about|"
    r"are looking for|is looking for|looking for|crave|craves)\s+(?:to\s+)?)",
    re.IGNORECASE,
)
CLAUSE_SPLIT = re.compile(r"[.;:,!?()\n]+|\s+(?:who|that|and|but|while|because)\s+", re.I)
PREPOSITION = re.compile(
    r"\s+(?:in|on|at|by|for|with|from|into|over|under|about|of|without|during|to)\s+", re.I
)


def clauses(text: str) -> list[str]:
    """Short clauses of text, stripped and de-duplicated in order."""
    parts = [" ".join(p.split()) for p in CLAUSE_SPLIT.split(text or "")]
    return list(dict.fromkeys(p for p in parts if p))


def soften_case(phrase: str) -> str:
    """Lower-case Capitalised words so a phrase reads well mid-sentence; keep acronyms."""
    return " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in phrase.split())


def content_words(text: str) -> list[str]:
    words = re.findall(r"[A-Za-z][A-Za-z'-]+", text or "")
    return [w for w in words if w.lower() not in STOPWORDS and len(w) > 2]


def benefits(persona: str) -> list[str]:
    """What the persona wants: the clause after a want-verb, e.g. "healthy meals fast"."""
    found = []
    for clause in clauses(persona):
        match = WANT_LEADS.match(clause)
        if match and len(clause) > match.end():
            rest = clause[match.end() :]
            if 1 <= len(rest.split()) <= 7:
                found.append(soften_case(rest))
    return found


def topics(persona: str) -> list[str]:
    """Short noun phrases: the last one or two content words before any preposition."""
    found = []
    for clause in clauses(WANT_LEADS.sub("", persona or "")) + benefits(persona):
        head = PREPOSITION.split(WANT_LEADS.sub("", clause))[0]
        words = content_words(head)
        if words:
            found.append(soften_case(" ".join(words[-2:])))
    # The opening clause names the audience, which reads badly as a topic ("your busy parents").
    people = set(audiences(persona, ""))
    rest = [t for t in dict.fromkeys(found) if t not in people]
    return rest or list(dict.fromkeys(found))


def audiences(persona: str, segment_name: str) -> list[str]:
    """Who the persona is: the opening clause before "who"/"aged"/a preposition."""
    found = []
    first = clauses(re.split(r"\s+aged\s+|\d", persona or "", maxsplit=1)[0])
    if first:
        head = PREPOSITION.split(first[0])[0]
        if 1 <= len(head.split()) <= 4 and not WANT_LEADS.match(head):
            found.append(soften_case(head))
    # Segment names are often internal labels ("Segment B"), so only a fallback.
    if not found and segment_name.strip():
        found.append(soften_case(segment_name.strip()))
    return list(dict.fromkeys(found))


def features(description: str) -> list[str]:
    """Sentences and clauses of the product description usable as copy on their own."""
    sentences = [" ".join(s.split()) for s in re.split(r"(?<=[.!?])\s+|\n+", description or "")]
    found = [s.rstrip(".!? ") for s in sentences if len(s.split()) >= 3]
    found += [
        c for c in clauses(description) if len(c.split()) >= 3 and not PREPOSITION.match(" " + c)
    ]
    return [f[0].upper() + f[1:] for f in dict.fromkeys(found) if f]


def inspiration_phrases(texts: tuple[str, ...] | list[str]) -> list[str]:
    """Short phrases from past winners, to echo their wording without copying them whole."""
    found = []
    for text in texts:
        for clause in clauses(text):
            if 2 <= len(clause.split()) <= 6:
                found.append(clause[0].upper() + clause[1:])
    return list(dict.fromkeys(found))


def salient_words(text: str, limit: int = 6) -> list[str]:
    """The most repeated content words (ties keep first appearance)."""
    words = [w.lower() for w in content_words(text)]
    ranked = sorted(dict.fromkeys(words), key=lambda w: -words.count(w))
    return ranked[:limit]
