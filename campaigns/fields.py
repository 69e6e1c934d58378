"""Model fields of the studio's own."""

from __future__ import annotations

import base64

import numpy as np
from django.core.exceptions import ValidationError
from django.db import models


class VectorField(models.BinaryField):
    """A float vector (an embedding) stored as packed little-endian float32.

    Scoring reads every embedding of a campaign for novelty; from JSON each float is
    parsed as text, which made that read grow to tens of milliseconds per segment at a
    few hundred variants. Packed, it is one buffer copy. Values are plain lists of floats
    in Python, as they were with JSON; the engine's embeddings are float32 already.
    """

    description = "Vector of float32"
    _dtype = np.dtype("<f4")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def _unpack(self, data) -> list[float]:
        data = bytes(data)
        if len(data) % self._dtype.itemsize:
            raise ValidationError(f"A packed float32 vector cannot be {len(data)} bytes long.")
        return np.frombuffer(data, dtype=self._dtype).tolist()

    def from_db_value(self, value, expression, connection):
        return None if value is None else self._unpack(value)

    def to_python(self, value):
        if value is None or isinstance(value, list):
            return value
        if isinstance(value, str):  # a fixture or a serialized test database: base64
            return self._unpack(base64.b64decode(value.encode("ascii")))
        if isinstance(value, bytes | bytearray | memoryview):
            return self._unpack(value)
        return [float(x) for x in value]

    def get_prep_value(self, value):
        if value is None:
            return None
        if isinstance(value, bytes | bytearray | memoryview):
            return bytes(value)
        vector = np.asarray(value, dtype=self._dtype)
        if vector.ndim != 1:
            raise ValidationError("A vector must be one-dimensional.")
        return vector.tobytes()

    def value_to_string(self, obj):
        packed = self.get_prep_value(self.value_from_object(obj))
        return None if packed is None else base64.b64encode(packed).decode("ascii")
