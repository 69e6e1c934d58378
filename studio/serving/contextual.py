"""Context within a segment: linear Thompson sampling over coarse user context x creative
features, learnt in a worker from aggregated evidence and served from its saved state.

The expected reward per impression of creative a for a user with context values c (e.g.
"age_band=25-34", "device=mobile") is modelled as

    theta_a                      the creative's own rate (prior from the engine's scores)
    + sum_v delta[a, v]          what context value v adds for this creative
    + z_a . sum_v u[v]           what v adds for creatives like a: z_a is the creative's
                                 MiniLM text and CLIP image embedding, reduced by a fixed
                                 random projection, so evidence carries to look-alikes

with Gaussian priors and Gaussian noise of the base rate's Bernoulli variance (so
theta alone is the usual Beta posterior, approximately). The worker fits it by
coordinate ascent (backfitting) on evidence cells (creative, context values) ->
(impressions, successes), which are additive and can be discounted, so training is
incremental: new events add to the cells, then a refit. Served: a mean-field Gaussian
posterior (each parameter's mean and variance) per segment; one Thompson draw per
decision. Context values never seen in training are ignored (no term).

Propensity: given u, the creatives' scores are independent Gaussians, so P(a wins | u)
is a one-dimensional integral (a grid over a's score, with normal CDFs); averaging it
over draws of u gives P(a wins). Pure numpy (scipy's normal CDF); no Django.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

STATE_FORMAT = 1
U_DRAWS = 256  # quasi-random draws of the shared context-embedding term (propensity)
GRID = 48
# The integrals' grid over the chosen creative's own score, in its sd, and the normal
# density on it.
_T = np.linspace(-8.0, 8.0, GRID)
_DENSITY = np.exp(-0.5 * _T * _T) / np.sqrt(2 * np.pi)


@dataclass(frozen=True)
class ContextualConfig:
    dims: int = 8  # projected embedding dimensions
    arm_strength: float = 100.0  # pseudo-impressions theta's prior is worth
    interaction_sd: float = 0.5  # prior sd of delta, relative to the base rate
    embed_sd: float = 0.25  # prior sd of u, relative to the base rate
    sharpen: float = 3.0  # evidence multiplier (tempered posterior, as the Beta policy)
    # Thompson draws of a creative's own term use this times its posterior sd (context
    # terms keep theirs): with scores that carry a prior worth `arm_strength` impressions,
    # exploring every creative at full width cost the most in bench/bandit_sim.py's worlds
    # where scores predict, while sub-groups are still found through the context terms.
    arm_temperature: float = 0.3
    sweeps: int = 6


def project(embeddings: Sequence[Sequence[float] | None], dims: int, seed: int = 0):
    """(n, dims) unit rows: each creative's concatenated embeddings times a fixed random
    Gaussian matrix (same seed: same projection in worker and web process). A creative
    without embeddings gets zeros (no look-alike term)."""
    width = max((len(e) for e in embeddings if e is not None), default=0)
    out = np.zeros((len(embeddings), dims))
    if width == 0:
        return out
    matrix = np.random.default_rng(seed).normal(0, 1 / np.sqrt(dims), (width, dims))
    for i, e in enumerate(embeddings):
        if e is not None and len(e) == width:
            row = np.asarray(e, dtype=np.float64) @ matrix
            out[i] = row / max(np.linalg.norm(row), 1e-12)
    return out


@dataclass
class Cells:
    """Evidence of one segment: per cell, the creative's position, the context values'
    indices (-1: unknown key), impressions and successes (possibly discounted)."""

    arm: np.ndarray
    values: np.ndarray  # (cells, keys)
    n: np.ndarray
    s: np.ndarray


@dataclass
class SegmentModel:
    """Posterior means and variances of one segment's parameters."""

    ids: list[int]
    vocab: list[str]  # context values, "key=value"
    z: np.ndarray  # (K, dims)
    theta: np.ndarray  # (2, K) mean, variance of the draws (posterior x arm_temperature²)
    delta: np.ndarray  # (2, K, V)
    u: np.ndarray  # (2, V, dims)
    prior: tuple[float, float] = (0.0, 0.0)  # draw variances of theta and delta before evidence

    @classmethod
    def empty(cls, base_rate: float, config: ContextualConfig, dims: int) -> SegmentModel:
        """A model that has seen nothing: only its priors (restrict fills them in)."""
        p = _priors(base_rate, config)
        shape = (2, 0)
        return cls(
            [],
            [],
            np.zeros((0, dims)),
            np.zeros(shape),
            np.zeros((2, 0, 0)),
            np.zeros((2, 0, dims)),
            (config.arm_temperature**2 / p.theta, 1 / p.delta),
        )

    def restrict(self, ids: Sequence[int], prior_means: Sequence[float]) -> SegmentModel:
        """The model over exactly `ids` (the creatives a decision chooses among); one it
        was not trained on (new since) gets its prior: the score prior, no context term."""
        index = {v: i for i, v in enumerate(self.ids)}
        k, v, d = len(ids), len(self.vocab), self.z.shape[1]
        z, theta = np.zeros((k, d)), np.zeros((2, k))
        delta, u = np.zeros((2, k, v)), self.u
        delta[1] = self.prior[1]
        for pos, (variant, mean) in enumerate(zip(ids, prior_means, strict=True)):
            i = index.get(int(variant))
            if i is None:
                theta[:, pos] = (mean, self.prior[0])
                continue
            z[pos], theta[:, pos], delta[:, pos] = self.z[i], self.theta[:, i], self.delta[:, i]
        return SegmentModel([int(x) for x in ids], self.vocab, z, theta, delta, u, self.prior)

    def context_index(self, context: dict[str, str]) -> np.ndarray:
        index = {v: i for i, v in enumerate(self.vocab)}
        found = [index.get(f"{k}={v}") for k, v in sorted(context.items())]
        return np.array([i for i in found if i is not None], dtype=np.int64)

    def score_moments(self, ctx: np.ndarray):
        """Per creative: mean and variance of the independent part; the shared term's
        mean and variance vectors (dims)."""
        mean = self.theta[0] + self.delta[0][:, ctx].sum(axis=1)
        var = self.theta[1] + self.delta[1][:, ctx].sum(axis=1)
        return mean, var, self.u[0][ctx].sum(axis=0), self.u[1][ctx].sum(axis=0)

    def sample(self, rng: np.random.Generator, ctx: np.ndarray, size: int | None = None):
        """Thompson draws of every creative's expected reward: (K,) or (size, K)."""
        mean, var, u_mean, u_var = self.score_moments(ctx)
        n = size or 1
        u = u_mean + np.sqrt(u_var) * rng.standard_normal((n, len(u_mean)))
        draws = mean + u @ self.z.T + np.sqrt(var) * rng.standard_normal((n, len(mean)))
        return draws if size else draws[0]

    def _given_shared(self, rng, ctx: np.ndarray, positions: np.ndarray):
        """Per draw of the shared term: the creatives' means at `positions` (draws, K'),
        and their own sd (K'); given the shared term, the scores are independent."""
        mean, var, u_mean, u_var = self.score_moments(ctx)
        u = u_mean + np.sqrt(u_var) * _shared_draws(rng, len(u_mean), np.any(u_var > 0))
        return (mean + u @ self.z.T)[:, positions], np.sqrt(var[positions])

    def propensity(self, rng, ctx: np.ndarray, mask: np.ndarray, position: int) -> float:
        """P(the creative at `position` has the highest draw among `mask`)."""
        from scipy.special import ndtr  # imported when first needed

        positions = np.flatnonzero(mask)
        if len(positions) == 1:
            return 1.0
        chosen = int(np.searchsorted(positions, position))
        means, sd = self._given_shared(rng, ctx, positions)
        # Arms that draw below the chosen one's lowest grid point in every case have
        # CDF 1 on the whole grid: leave them out (most of a large pool, once learnt).
        low = means[:, chosen].min() - 8 * sd[chosen]
        rivals = np.flatnonzero((means.max(axis=0) + 8 * sd > low) & (np.arange(len(sd)) != chosen))
        x = means[:, chosen, None] + sd[chosen] * _T  # (draws, G)
        z = (x[:, :, None] - means[:, None, rivals]) / sd[rivals]  # (draws, G, rivals)
        beaten = ndtr(z).prod(axis=2)
        return float(np.clip(np.trapezoid(beaten * _DENSITY, _T, axis=1).mean(), 0.0, 1.0))

    def propensities(self, rng, ctx: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """`propensity` of every creative in `mask` at once (0 outside it), on the same
        draws of the shared term: the policy's whole distribution, for offline
        evaluation. One array operation instead of one call per creative (no pruning of
        rivals: meant for a decision's candidates, not a large pool)."""
        from scipy.special import ndtr

        out = np.zeros(len(mask))
        positions = np.flatnonzero(mask)
        if len(positions) <= 1:
            out[positions] = 1.0
            return out
        means, sd = self._given_shared(rng, ctx, positions)
        k = np.arange(len(positions))
        wins = np.zeros(len(positions))
        for start in range(0, len(means), 32):  # a few draws at a time bounds the memory
            m = means[start : start + 32]
            x = m[:, :, None] + sd[:, None] * _T  # (draws, chosen, G)
            cdf = ndtr((x[..., None] - m[:, None, None, :]) / sd)  # (draws, chosen, G, rival)
            cdf[:, k, :, k] = 1.0  # a creative does not compete with itself
            wins += np.trapezoid(cdf.prod(axis=3) * _DENSITY, _T, axis=2).sum(axis=0)
        out[positions] = np.clip(wins / len(means), 0.0, 1.0)
        return out

    def to_dict(self) -> dict:
        return {
            "ids": self.ids,
            "vocab": self.vocab,
            "z": self.z.tolist(),
            "theta": self.theta.tolist(),
            "delta": self.delta.tolist(),
            "u": self.u.tolist(),
            "prior": list(self.prior),
        }

    @classmethod
    def from_dict(cls, data: dict) -> SegmentModel:
        k, v = len(data["ids"]), len(data["vocab"])
        dims = len(data["z"][0]) if k else 0
        return cls(
            list(data["ids"]),
            list(data["vocab"]),
            np.asarray(data["z"], dtype=np.float64).reshape(k, dims),
            np.asarray(data["theta"], dtype=np.float64).reshape(2, k),
            np.asarray(data["delta"], dtype=np.float64).reshape(2, k, v),
            np.asarray(data["u"], dtype=np.float64).reshape(2, v, dims),
            tuple(data.get("prior", (0.0, 0.0))),
        )


def fit(
    ids: list[int],
    prior_means: np.ndarray,
    z: np.ndarray,
    vocab: list[str],
    cells: Cells,
    *,
    base_rate: float,
    config: ContextualConfig = ContextualConfig(),
) -> SegmentModel:
    """Posterior of one segment's model from its evidence cells: backfitting, each block
    (theta, then each context key's deltas and u's) given the others' current means;
    the means are exact at convergence, the variances those of each block alone."""
    k, v, d = len(ids), len(vocab), z.shape[1]
    noise = base_rate * (1 - base_rate)
    priors = _priors(base_rate, config)
    w = config.sharpen * cells.n / noise  # each cell's precision
    y = np.where(cells.n > 0, cells.s / np.maximum(cells.n, 1e-12), 0.0)
    known = cells.values >= 0
    vals = np.where(known, cells.values, 0)
    zc = z[cells.arm]
    theta = prior_means.astype(np.float64).copy()
    delta, u, u_var = np.zeros((k, v)), np.zeros((v, d)), np.full((v, d), 1 / priors.u)
    theta_prec = priors.theta + np.bincount(cells.arm, w, k)
    delta_prec = np.full((k, v), priors.delta)
    for j in range(vals.shape[1]):
        sel = known[:, j]
        np.add.at(delta_prec, (cells.arm[sel], vals[sel, j]), w[sel])

    def terms(j: int) -> tuple[np.ndarray, np.ndarray]:  # key j's delta and u terms
        on = known[:, j]
        return delta[cells.arm, vals[:, j]] * on, (zc * u[vals[:, j]]).sum(axis=1) * on

    for _ in range(config.sweeps):
        parts = [terms(j) for j in range(vals.shape[1])]
        context = sum((a + b for a, b in parts), np.zeros(len(y)))
        r = y - context
        theta = (priors.theta * prior_means + np.bincount(cells.arm, w * r, k)) / theta_prec
        for j in range(vals.shape[1]):
            sel = known[:, j]
            old_delta, old_u = terms(j)
            r = y - theta[cells.arm] - (context - old_delta - old_u)
            num = np.zeros((k, v))
            np.add.at(num, (cells.arm[sel], vals[sel, j]), (w * (r - old_u))[sel])
            touched = np.zeros((k, v), dtype=bool)
            touched[cells.arm[sel], vals[sel, j]] = True
            delta = np.where(touched, num / delta_prec, delta)
            new_delta, _ = terms(j)
            u, u_var = _u_solve(
                u, u_var, priors.u, zc[sel], vals[sel, j], w[sel], (r - new_delta)[sel]
            )
            new_delta, new_u = terms(j)
            context = context - old_delta - old_u + new_delta + new_u
    return SegmentModel(
        list(ids),
        list(vocab),
        z,
        np.stack([theta, config.arm_temperature**2 / theta_prec]),
        np.stack([delta, 1 / delta_prec]),
        np.stack([u, u_var]),
        (config.arm_temperature**2 / priors.theta, 1 / priors.delta),
    )


@dataclass(frozen=True)
class _Priors:
    theta: float  # prior precisions
    delta: float
    u: float


def _priors(base_rate: float, config: ContextualConfig) -> _Priors:
    noise = base_rate * (1 - base_rate)
    return _Priors(
        theta=config.arm_strength / noise,
        delta=1 / (config.interaction_sd * base_rate) ** 2,
        u=1 / (config.embed_sd * base_rate) ** 2,
    )


def _u_solve(u, u_var, prior_prec, zc, values, w, r):
    """Gaussian posterior of u[v] (a dims-vector) for the values present, from their
    cells' residuals; values absent keep their current mean and variance."""
    present = np.unique(values)
    if len(present) == 0 or not zc.any():
        return u, u_var
    d = zc.shape[1]
    prec = np.zeros((u.shape[0], d, d)) + prior_prec * np.eye(d)
    np.add.at(prec, values, w[:, None, None] * zc[:, :, None] * zc[:, None, :])
    rhs = np.zeros((u.shape[0], d))
    np.add.at(rhs, values, (w * r)[:, None] * zc)
    cov = np.linalg.inv(prec[present])
    u, u_var = u.copy(), u_var.copy()
    u[present] = np.einsum("vij,vj->vi", cov, rhs[present])
    u_var[present] = np.diagonal(cov, axis1=1, axis2=2)
    return u, u_var


_QMC: dict[int, np.ndarray] = {}


def _shared_draws(rng: np.random.Generator, dims: int, random: bool) -> np.ndarray:
    """Standard normal points for the shared term: a scrambled Sobol set (the integral
    over u is smooth, so quasi-random points converge far faster than random ones),
    rotated by a random shift per call so the estimate stays unbiased."""
    if not random or dims == 0:
        return np.zeros((1, dims))
    base = _QMC.get(dims)
    if base is None:
        from scipy.stats import qmc

        base = qmc.Sobol(dims, scramble=True, seed=1234).random(U_DRAWS)
        _QMC[dims] = base
    from scipy.special import ndtri

    shifted = (base + rng.random(dims)) % 1.0
    return ndtri(np.clip(shifted, 1e-12, 1 - 1e-12))


def choose(model: SegmentModel, ctx: np.ndarray, mask: np.ndarray, rng) -> tuple[int, float]:
    """One Thompson draw over the eligible creatives: (position, its sampled reward)."""
    draws = np.where(mask, model.sample(rng, ctx), -np.inf)
    position = int(np.argmax(draws))
    return position, float(draws[position])
