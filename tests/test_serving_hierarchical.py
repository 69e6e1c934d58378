"""The hierarchical (segment x context bucket) policy used as the simulation's default."""

import numpy as np

from studio.serving.hierarchical import HierarchicalArms, HierarchicalConfig


def test_buckets_learn_their_own_favourites_and_small_buckets_borrow():
    arms = HierarchicalArms.build([1, 2], [(0.2, 9.8), (0.2, 9.8)], HierarchicalConfig())
    # Bucket "a" clicks creative 1, bucket "b" creative 2, plenty of evidence each.
    arms.add("a", 0, 2000, 200)
    arms.add("a", 1, 2000, 20)
    arms.add("b", 0, 2000, 20)
    arms.add("b", 1, 2000, 200)
    assert np.argmax(arms.arms_for("a").means()) == 0
    assert np.argmax(arms.arms_for("b").means()) == 1
    # A bucket never seen leans on the segment: both creatives look alike there.
    unseen = arms.arms_for("c").means()
    assert abs(unseen[0] - unseen[1]) < 0.01


def test_discount_fades_evidence():
    arms = HierarchicalArms.build([1], [(1.0, 9.0)], HierarchicalConfig(sharpen=1.0))
    arms.add("a", 0, 100, 50)
    before = arms.arms_for("a").alpha[0]
    arms.discount(0.5)
    assert arms.arms_for("a").alpha[0] == 1.0 + (before - 1.0) / 2
