"""Bandit simulation: the studio's serving policy against uniform random and greedy.

Synthetic segments and creatives get hidden click-through rates; the engine's scores
(from which the priors come) are only noisy hints of them. Synthetic users come back
several times, so the same caps, no-repeat and near-duplicate rules bind every policy.
Clicks feed the posteriors in batches, as the studio's periodic stats refresh does.

    .venv/bin/python bench/bandit_sim.py                 # 100,000 decisions, 3 seeds
    .venv/bin/python bench/bandit_sim.py --decisions 20000 --seeds 1

Regret of one decision = hidden CTR of the segment's best creative - that of the one shown
(expected, so the figure does not depend on the coin flips). "oracle" knows the hidden
CTRs and obeys the same caps: the ceiling any policy could reach.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from studio.serving.policy import ArmSet, Caps, choose, remember  # noqa: E402
from studio.serving.priors import PriorConfig, prior_from_scores  # noqa: E402

POLICIES = ("studio", "greedy", "uniform", "oracle")
STRATEGY = {"studio": "thompson", "greedy": "greedy", "uniform": "uniform", "oracle": "greedy"}


def make_world(rng, segments: int, variants: int):
    """Hidden CTRs per segment, text_fit scores loosely tied to them, near-duplicate pairs."""
    worlds = []
    next_id = 1
    for _ in range(segments):
        base = rng.uniform(0.01, 0.04)
        ctr = np.clip(base * rng.lognormal(0.0, 0.45, variants), 0.002, 0.3)
        rank = ctr.argsort().argsort() / max(variants - 1, 1)
        text_fit = np.clip(40 + 25 * rank + rng.normal(0, 15, variants), 0, 100)
        ids = list(range(next_id, next_id + variants))
        next_id += variants
        # Two pairs of creatives per segment are near duplicates of each other.
        pairs = {ids[0]: frozenset({ids[1]}), ids[1]: frozenset({ids[0]})}
        pairs.update({ids[2]: frozenset({ids[3]}), ids[3]: frozenset({ids[2]})})
        worlds.append({"ids": ids, "ctr": ctr, "text_fit": text_fit, "neighbours": pairs})
    return worlds


def arms_for(world, policy: str, config: PriorConfig) -> ArmSet:
    if policy == "oracle":
        return ArmSet.build(world["ids"], [(c * 1e9, (1 - c) * 1e9) for c in world["ctr"]])
    priors = [prior_from_scores({"text_fit": float(t)}, config) for t in world["text_fit"]]
    return ArmSet.build(world["ids"], priors)


def simulate(policy: str, worlds, args, seed: int) -> dict:
    rng = np.random.default_rng(seed)  # same users and coin flips for every policy
    policy_rng = np.random.default_rng(seed + 1)
    config = PriorConfig(base_ctr=0.02, strength=10)
    arms = [arms_for(w, policy, config) for w in worlds]
    caps = Caps(per_variant=3, per_campaign=20, window_seconds=24 * 3600, no_repeat=2)
    user_segment = rng.integers(0, len(worlds), args.users)
    users = rng.integers(0, args.users, args.decisions)
    coins = rng.random(args.decisions)
    history: dict[int, list] = {}
    pending: list[tuple[int, int, bool]] = []
    regret = clicks = no_fill = 0.0
    started = time.perf_counter()
    for i in range(args.decisions):
        now = i * args.seconds / args.decisions
        user = int(users[i])
        seg = int(user_segment[user])
        seen = history.get(user, [])
        choice = choose(
            arms[seg],
            seen=seen,
            caps=caps,
            neighbours=worlds[seg]["neighbours"],
            rng=policy_rng,
            now=now,
            strategy=STRATEGY[policy],
        )
        ctr = worlds[seg]["ctr"]
        if choice.variant_id is None:
            no_fill += 1
            regret += ctr.max()
            continue
        history[user] = remember(seen, choice.variant_id, now, caps)
        clicked = bool(coins[i] < ctr[choice.position])
        clicks += clicked
        regret += ctr.max() - ctr[choice.position]
        pending.append((seg, choice.position, clicked))
        if len(pending) >= args.batch and policy != "oracle":
            for s, position, c in pending:
                arms[s].observe(position, c)
            pending.clear()
    seconds = time.perf_counter() - started
    return {
        "regret": regret,
        "ctr": clicks / args.decisions,
        "no_fill": no_fill,
        "us_per_decision": 1e6 * seconds / args.decisions,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--decisions", type=int, default=100_000)
    parser.add_argument("--segments", type=int, default=5)
    parser.add_argument("--variants", type=int, default=12, help="creatives per segment")
    parser.add_argument("--users", type=int, default=20_000)
    parser.add_argument("--seconds", type=float, default=3 * 24 * 3600, help="time span")
    parser.add_argument("--batch", type=int, default=200, help="decisions per stats refresh")
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    results = {p: [] for p in POLICIES}
    for seed in range(args.seeds):
        worlds = make_world(np.random.default_rng(1000 + seed), args.segments, args.variants)
        for policy in POLICIES:
            results[policy].append(simulate(policy, worlds, args, seed))
    report(results, args)


def report(results: dict, args) -> None:
    print(
        f"{args.decisions:,} decisions x {args.seeds} seed(s); {args.segments} segments x "
        f"{args.variants} creatives; {args.users:,} returning users; stats refresh every "
        f"{args.batch} decisions; caps 3/creative, 20/campaign per day, no repeat of last 2"
    )
    print(f"{'policy':<9}{'cum. regret':>18}{'CTR':>16}{'no fill':>10}{'us/decision':>13}")
    for policy, runs in results.items():
        regrets = [r["regret"] for r in runs]
        ctrs = [r["ctr"] for r in runs]
        spread = statistics.stdev(regrets) if len(runs) > 1 else 0.0
        print(
            f"{policy:<9}{statistics.mean(regrets):>11.1f} ± {spread:<5.1f}"
            f"{100 * statistics.mean(ctrs):>13.3f} %"
            f"{statistics.mean(r['no_fill'] for r in runs):>10.0f}"
            f"{statistics.mean(r['us_per_decision'] for r in runs):>13.1f}"
        )
    studio = results["studio"]
    beats = all(
        s["regret"] < o["regret"] and s["ctr"] > o["ctr"]
        for other in ("greedy", "uniform")
        for s, o in zip(studio, results[other], strict=True)
    )
    verdict = "beats" if beats else "does NOT beat"
    print(f"studio (Thompson) {verdict} greedy and uniform on regret and CTR in every seed")
    if not beats:
        sys.exit(1)


if __name__ == "__main__":
    main()
