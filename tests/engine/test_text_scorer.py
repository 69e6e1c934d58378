import pytest

from studio.engine.scorer.composite import CompositeScorer
from studio.engine.scorer.text import TextScorer
from studio.engine.types import ScoreItem, Scores, SegmentBrief

RUNNERS = SegmentBrief("r", "Runners", "Marathon runners training for race day")
GARDENERS = SegmentBrief("g", "Gardeners", "Retired gardeners who love growing tomatoes")


@pytest.fixture(scope="module")
def scorer(minilm):
    return TextScorer(embedder=minilm)


def test_fit_ordering(scorer):
    on_topic = ScoreItem("Lightweight running shoes for your next marathon. Shop now", "r")
    off_topic = ScoreItem("Heirloom tomato seeds for your garden beds. Shop now", "r")
    scores = scorer.score([on_topic, off_topic], [RUNNERS, GARDENERS])
    assert scores[0].text_fit > scores[1].text_fit
    assert all(0 <= s.text_fit <= 100 for s in scores)
    assert scores[0].alignment is None and scores[0].image_embedding is None


def test_novelty_alone_is_one(scorer):
    (score,) = scorer.score([ScoreItem("Run faster this spring", "r")], [RUNNERS])
    assert score.copy_novelty == 1.0
    assert len(score.text_embedding) == 384


def test_near_duplicates_are_not_novel(scorer):
    items = [
        ScoreItem("Run faster this spring with our shoes", "r"),
        ScoreItem("Run faster this spring with our new shoes", "r"),
        ScoreItem("Grow sweeter tomatoes in raised beds", "g"),
    ]
    scores = scorer.score(items, [RUNNERS, GARDENERS])
    assert scores[0].copy_novelty < 0.2 and scores[1].copy_novelty < 0.2
    assert scores[2].copy_novelty > scores[0].copy_novelty


def test_history_is_respected(scorer):
    earlier = scorer.score([ScoreItem("Run faster this spring with our shoes", "r")], [RUNNERS])
    history = {"text": [earlier[0].text_embedding], "image": []}
    (score,) = scorer.score(
        [ScoreItem("Run faster this spring with our new shoes", "r")], [RUNNERS], history
    )
    assert score.copy_novelty < 0.2
    (fresh,) = scorer.score([ScoreItem("Run faster this spring", "r")], [RUNNERS], {"text": []})
    assert fresh.copy_novelty == 1.0


def test_unknown_segment_gets_no_fit(scorer):
    (score,) = scorer.score([ScoreItem("Anything at all", "missing")], [RUNNERS])
    assert score.text_fit is None and score.copy_novelty == 1.0


class FakeImageScorer:
    name = "clip"

    def __init__(self):
        self.calls = []

    def describe(self):
        return {"backend": "clip"}

    def score(self, items, segments, history=None):
        self.calls.append(len(items))
        return [Scores(alignment=30.0, text_fit=1.0, lineage={"clip": True}) for _ in items]


def test_composite_text_only(scorer):
    composite = CompositeScorer(text=scorer, image=None)
    assert composite.name == "minilm-text"
    (score,) = composite.score([ScoreItem("Run faster", "r")], [RUNNERS])
    assert score.text_fit is not None and score.alignment is None
    assert composite.describe()["image"] is None


def test_composite_merges_image_fields_for_items_with_images(scorer):
    image_scorer = FakeImageScorer()
    composite = CompositeScorer(text=scorer, image=image_scorer)
    assert composite.name == "minilm-text+clip"
    items = [ScoreItem("Run faster", "r", image=object()), ScoreItem("Run slower", "r")]
    with_image, without = composite.score(items, [RUNNERS])
    assert image_scorer.calls == [1]
    assert with_image.alignment == 30.0 and without.alignment is None
    assert with_image.text_fit != 1.0  # the text scorer's own value wins
    assert with_image.lineage["clip"] is True
    assert composite.describe()["image"] == {"backend": "clip"}
    # No images at all: the image scorer is not even called.
    composite.score([ScoreItem("Run", "r")], [RUNNERS])
    assert image_scorer.calls == [1]
