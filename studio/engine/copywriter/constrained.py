"""Constrained decoding of a fixed JSON skeleton, as outlines / lm-format-enforcer do.

`JsonSkeletonProcessor` is a transformers logits processor (any callable
`(input_ids, scores) -> scores` fits `LogitsProcessorList`). It walks a tiny grammar per
sequence:

    {"headline": "<free>", "body": "<free>", "cta": "<choice>", "image_concept": "<free>"}

Literal parts are forced token by token; <free> values may only use tokens whose text is
printable and holds no quote, backslash or control character, within a character and a
token budget; <choice> values must spell one of a few allowed strings. Only the values
are sampled from the model's own distribution, so even an untrained model yields
parseable JSON, and prompt text can never change the output format.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

from studio.engine.types import EngineError


@dataclass(frozen=True)
class Free:
    min_chars: int
    max_chars: int
    max_tokens: int


@dataclass(frozen=True)
class Choice:
    options: tuple[str, ...]


@dataclass
class _Row:
    segment: int = 0  # index into the compiled segments
    pos: int = 0  # position inside a literal, or inside the choice's token sequences
    text: str = ""  # text of the current free value
    tokens: int = 0  # tokens in the current free value
    alive: list[int] = field(default_factory=list)  # choice options still matching
    done: bool = False


def _is_value_text(text: str) -> bool:
    if not text or text.isspace() and len(text) > 1:
        return False
    for ch in text:
        if ch in '"\\\ufffd' or unicodedata.category(ch).startswith("C"):
            return False
    return True


def token_texts(tokenizer: Any, size: int) -> list[str]:
    """The text each token id adds when it follows other text (keeps SentencePiece spaces)."""
    anchor_ids = tokenizer.encode("a", add_special_tokens=False)[:1]
    anchor = tokenizer.decode(anchor_ids) if anchor_ids else ""
    known = len(tokenizer)
    ids = list(range(min(size, known)))
    if anchor_ids:
        joined = tokenizer.batch_decode([anchor_ids + [i] for i in ids])
        texts = [t[len(anchor) :] if t.startswith(anchor) else "" for t in joined]
    else:
        texts = tokenizer.batch_decode([[i] for i in ids])
    return texts + [""] * (size - len(ids))


class JsonSkeleton:
    """The compiled grammar: token ids for literals, masks for free values."""

    def __init__(
        self,
        tokenizer: Any,
        fields: list[tuple[str, Free | Choice]],
        vocab_size: int,
        eos_id: int | None = None,
    ):
        import torch

        self.vocab_size = vocab_size
        self.eos_id = eos_id if eos_id is not None else tokenizer.eos_token_id
        if self.eos_id is None:
            raise EngineError("Constrained decoding needs a tokenizer with an end-of-text token.")
        texts = token_texts(tokenizer, vocab_size)
        special = set(getattr(tokenizer, "all_special_ids", []) or [])
        self.texts = texts
        self.value_mask = torch.tensor(
            [_is_value_text(t) and i not in special for i, t in enumerate(texts)], dtype=torch.bool
        )
        self.token_len = torch.tensor([len(t) for t in texts], dtype=torch.long)
        self.segments: list[tuple[str, Any]] = []
        literal = "{"
        for i, (name, spec) in enumerate(fields):
            literal += f'{", " if i else ""}"{name}": "'
            self.segments.append(("literal", self._encode_literal(tokenizer, literal)))
            literal = '"'
            if isinstance(spec, Choice):
                options = [tokenizer.encode(o, add_special_tokens=False) for o in spec.options]
                self.segments.append(("choice", options))
            else:
                self.segments.append(("free", spec))
        self.segments.append(("literal", self._encode_literal(tokenizer, literal + "}")))

    @staticmethod
    def _encode_literal(tokenizer: Any, text: str) -> list[int]:
        ids = tokenizer.encode(text, add_special_tokens=False)
        # Drop leading whitespace-only pieces (SentencePiece's lone "▁") so the first
        # token of every literal holds its quote and can never be mistaken for a value token.
        while ids and not tokenizer.decode(ids[:1]).strip():
            ids = ids[1:]
        if not ids:
            raise EngineError(f"Cannot encode the JSON literal {text!r} with this tokenizer.")
        return ids

    @property
    def max_tokens(self) -> int:
        total = 1  # the end-of-text token
        for kind, spec in self.segments:
            if kind == "literal":
                total += len(spec)
            elif kind == "choice":
                total += max(len(o) for o in spec)
            else:
                total += spec.max_tokens
        return total


class JsonSkeletonProcessor:
    """Per-generate-call state over the rows of the batch; build a new one for every call."""

    def __init__(self, skeleton: JsonSkeleton):
        self.skeleton = skeleton
        self.rows: list[_Row] | None = None

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        import torch

        if self.rows is None:
            self.rows = [_Row() for _ in range(input_ids.shape[0])]
            for row in self.rows:
                self._enter(row, 0)
        else:
            last = input_ids[:, -1].tolist()
            for row, token in zip(self.rows, last, strict=True):
                self._consume(row, token)
        allowed = torch.zeros(scores.shape, dtype=torch.bool, device=scores.device)
        for i, row in enumerate(self.rows):
            allowed[i] = self._allowed(row, scores.shape[-1]).to(scores.device)
        return scores.masked_fill(~allowed, float("-inf"))

    # -- state machine -------------------------------------------------------------------
    def _enter(self, row: _Row, segment: int) -> None:
        row.segment, row.pos, row.text, row.tokens = segment, 0, "", 0
        if segment >= len(self.skeleton.segments):
            row.done = True
            return
        kind, spec = self.skeleton.segments[segment]
        if kind == "choice":
            row.alive = list(range(len(spec)))

    def _next_literal_first(self, row: _Row) -> int:
        return self.skeleton.segments[row.segment + 1][1][0]

    def _consume(self, row: _Row, token: int) -> None:
        if row.done:
            return
        kind, spec = self.skeleton.segments[row.segment]
        if kind == "literal":
            row.pos += 1
            if row.pos >= len(spec):
                self._enter(row, row.segment + 1)
        elif kind == "free":
            if token == self._next_literal_first(row) and not self.skeleton.value_mask[token]:
                self._enter(row, row.segment + 1)
                row.pos = 1
                self._finish_literal_if_done(row)
            else:
                row.text += self.skeleton.texts[token]
                row.tokens += 1
        else:
            complete = any(len(spec[a]) == row.pos for a in row.alive)
            if complete and token == self._next_literal_first(row):
                self._enter(row, row.segment + 1)
                row.pos = 1
                self._finish_literal_if_done(row)
                return
            row.alive = [
                a for a in row.alive if row.pos < len(spec[a]) and spec[a][row.pos] == token
            ]
            row.pos += 1

    def _finish_literal_if_done(self, row: _Row) -> None:
        kind, spec = self.skeleton.segments[row.segment]
        if kind == "literal" and row.pos >= len(spec):
            self._enter(row, row.segment + 1)

    def _allowed(self, row: _Row, size: int) -> Any:
        import torch

        sk = self.skeleton
        mask = torch.zeros(size, dtype=torch.bool)
        if row.done:
            mask[sk.eos_id] = True
            return mask
        kind, spec = sk.segments[row.segment]
        if kind == "literal":
            mask[spec[row.pos]] = True
            return mask
        closer = self._next_literal_first(row)
        if kind == "choice":
            for a in row.alive:
                if row.pos < len(spec[a]):
                    mask[spec[a][row.pos]] = True
                else:
                    mask[closer] = True
            if not mask.any():  # no option matches any more: close the value
                mask[closer] = True
            return mask
        room = spec.max_chars - len(row.text)
        if row.tokens < spec.max_tokens and room > 0:
            mask[: len(sk.value_mask)] = sk.value_mask & (sk.token_len <= room)
        if len(row.text.strip()) >= spec.min_chars or not mask.any():
            mask[closer] = True
        return mask
