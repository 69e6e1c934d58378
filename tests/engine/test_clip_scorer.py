"""The open_clip scorer against a tiny random CLIP."""

from __future__ import annotations

import numpy as np
import open_clip
import pytest
import torch
from PIL import Image

from studio.engine.scorer.clip import UNSAFE_CONCEPTS, ClipScorer, segment_prompt
from studio.engine.types import EngineError, ScoreItem, Scores, SegmentBrief

pytestmark = pytest.mark.models

SEGMENTS = [
    SegmentBrief(key="1", name="Students", persona="busy students on a budget"),
    SegmentBrief(key="2", name="Parents", persona="young parents short on time"),
    SegmentBrief(key="3", name="Runners", persona="weekend trail runners"),
]


def images(n, seed=0, size=40):
    rng = np.random.default_rng(seed)
    return [
        Image.fromarray(rng.integers(0, 255, (size, size, 3), dtype=np.uint8)) for _ in range(n)
    ]


@pytest.fixture(scope="module")
def scorer(tiny_clip_path):
    return ClipScorer(model=str(tiny_clip_path), device="cpu", batch_size=4)


def test_encoders_return_normalised_embeddings(scorer):
    img = scorer.encode_images(images(5))
    txt = scorer.encode_texts(["a", "b c", "d"])
    assert img.shape == (5, 32) and txt.shape == (3, 32)
    assert img.dtype == torch.float32
    assert torch.allclose(img.norm(dim=-1), torch.ones(5), atol=1e-5)
    assert torch.allclose(txt.norm(dim=-1), torch.ones(3), atol=1e-5)


def test_batched_equals_one_by_one(tiny_clip_path, scorer):
    single = ClipScorer(model=str(tiny_clip_path), device="cpu", batch_size=1)
    pics, texts = images(6, seed=1), [f"text {i}" for i in range(6)]
    assert torch.allclose(scorer.encode_images(pics), single.encode_images(pics), atol=1e-5)
    assert torch.allclose(scorer.encode_texts(texts), single.encode_texts(texts), atol=1e-5)


def test_scores_shapes_and_clipscore(scorer):
    pics = images(3, seed=2)
    items = [
        ScoreItem(text=f"Fresh coffee ad {i}", segment_key=str(i + 1), image=p)
        for i, p in enumerate(pics)
    ]
    items.append(ScoreItem(text="copy only", segment_key="1"))
    scores = scorer.score(items, SEGMENTS)
    assert len(scores) == 4 and all(isinstance(s, Scores) for s in scores)
    assert scores[3] == Scores()  # no image: nothing invented
    img = scorer.encode_images(pics)
    txt = scorer.encode_texts([i.text for i in items[:3]])
    direct = 100 * torch.clamp((img * txt).sum(-1), min=0)
    for s, expected in zip(scores[:3], direct.tolist(), strict=True):
        assert s.alignment == pytest.approx(expected, abs=1e-3)
        assert len(s.image_embedding) == 32
        assert set(s.safety) == set(UNSAFE_CONCEPTS)
        assert all(0.0 <= p <= 1.0 for p in s.safety.values())
        assert s.lineage["backend"] == "clip"


def test_segment_fit_is_the_softmax_of_the_own_segment(scorer):
    pics = images(2, seed=3)
    items = [ScoreItem(text="x", segment_key="2", image=p) for p in pics]
    scores = scorer.score(items, SEGMENTS)
    img = scorer.encode_images(pics)
    seg = scorer.encode_texts([segment_prompt(s) for s in SEGMENTS])
    probs = (scorer.logit_scale * img @ seg.T).softmax(-1)
    for row, s in enumerate(scores):
        assert s.segment_fit == pytest.approx(float(probs[row, 1]), abs=1e-5)
        assert s.segment_rank == int((probs[row] > probs[row, 1]).sum()) + 1
    unknown = scorer.score([ScoreItem(text="x", segment_key="zzz", image=pics[0])], SEGMENTS)[0]
    assert unknown.segment_fit is None and unknown.segment_rank is None


def test_image_novelty_against_the_call_and_history(scorer):
    a, b = images(2, seed=4)
    same = scorer.score([ScoreItem("x", "1", a), ScoreItem("y", "1", a)], SEGMENTS)
    assert same[0].image_novelty == pytest.approx(0.0, abs=1e-4)
    alone = scorer.score([ScoreItem("x", "1", b)], SEGMENTS)[0]
    assert alone.image_novelty == 1.0
    history = {"image": [alone.image_embedding, [0.0] * 7]}  # a wrong-sized entry is skipped
    again = scorer.score([ScoreItem("x", "1", b)], SEGMENTS, history=history)[0]
    assert again.image_novelty == pytest.approx(0.0, abs=1e-4)


def test_plain_open_clip_gives_the_same_embeddings(tiny_clip_path, scorer):
    ref = f"local-dir:{tiny_clip_path}"
    model, _, preprocess = open_clip.create_model_and_transforms(ref)
    tokenizer = open_clip.get_tokenizer(ref)
    model.eval()
    pics = images(2, seed=5)
    with torch.no_grad():
        img = model.encode_image(torch.stack([preprocess(p) for p in pics]))
        txt = model.encode_text(tokenizer(["hello world", "ad copy"]))
    img, txt = (torch.nn.functional.normalize(t, dim=-1) for t in (img, txt))
    assert torch.allclose(scorer.encode_images(pics), img, atol=1e-5)
    assert torch.allclose(scorer.encode_texts(["hello world", "ad copy"]), txt, atol=1e-5)


def test_config_json_and_checkpoint_file_route(tiny_clip_path, scorer):
    other = ClipScorer(
        model=str(tiny_clip_path / "TinyCLIP.json"),
        pretrained=str(tiny_clip_path / "tiny_clip.pt"),
        device="cpu",
    )
    pics = images(2, seed=6)
    assert torch.allclose(other.encode_images(pics), scorer.encode_images(pics), atol=1e-6)


def test_missing_model_says_how_to_fetch(hf_offline):
    assert (
        ClipScorer(model="ViT-B-32", pretrained="laion2b_s34b_b79k").describe()["model"]
        == "ViT-B-32"
    )
    for model, pretrained in (
        ("ViT-B-32", "laion2b_s34b_b79k"),
        ("No-Such-CLIP", ""),
        ("ViT-B-32", ""),
    ):
        with pytest.raises(EngineError, match="studio_models --download"):
            ClipScorer(model=model, pretrained=pretrained, device="cpu").load()
