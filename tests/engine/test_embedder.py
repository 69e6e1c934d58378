import numpy as np
import pytest

from studio.engine.embedder import MiniLMEmbedder
from studio.engine.types import EngineError


def test_shape_dtype_and_unit_length(minilm):
    vectors = minilm.encode(["Fresh meal kits", "Trail running shoes", ""], batch_size=2)
    assert vectors.shape == (3, 384)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_similar_sentences_are_closer_than_unrelated(minilm):
    cat, kitten, tax = minilm.encode(
        ["A cat sits on the mat", "A kitten rests on a rug", "File your quarterly tax return"]
    )
    assert cat @ kitten > cat @ tax + 0.3


def test_batching_does_not_change_results(minilm):
    texts = [f"Sentence number {i} about shoes" for i in range(7)]
    np.testing.assert_allclose(
        minilm.encode(texts, batch_size=3), minilm.encode(texts, batch_size=64), atol=1e-5
    )


def test_empty_input_and_describe(minilm):
    assert minilm.encode([]).shape == (0, 384)
    info = minilm.describe()
    assert info["name"] == "minilm" and info["dim"] == 384 and info["model_dir"]


def test_missing_model_dir_is_a_clear_error(tmp_path):
    with pytest.raises(EngineError, match="No MiniLM model"):
        MiniLMEmbedder(path=str(tmp_path / "nowhere"))
