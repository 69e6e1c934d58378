"""Decision latency: p50 / p99 of POST /api/v1/decide in-process and over HTTP.

Seeds a scratch SQLite database (in a temp STUDIO_VAR_DIR) with one active campaign,
50 segments and 1,000 approved, cleared variants with renditions, scores, embeddings
and click statistics, then times:

  in-process   campaigns.serving.services.decisions.decision_make, propensity logging included
               (target p99 <= 10 ms, consented)
  HTTP         gunicorn (2 workers, gthread) on 127.0.0.1, keep-alive http.client

    .venv/bin/python bench/decide_latency.py
    .venv/bin/python bench/decide_latency.py --decisions 2000 --http-requests 1000
    .venv/bin/python bench/decide_latency.py --in-process-only --events
    .venv/bin/python bench/decide_latency.py --in-process-only --policy thompson

--policy default (the studio default, contextual unless STUDIO_SERVING_POLICY says
otherwise) and contextual first train the campaign's contextual policy from 3,000 served
decisions, as the worker would, so the timed decisions use a trained version.

--events records an impression (and ~3 % clicks) for every served decision, untimed, as
the events API would: the counts then change between posterior refreshes, so refreshed
posteriors and their propensities are recomputed while decisions are timed.
"""

from __future__ import annotations

import argparse
import gc
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scratch import django_on_scratch  # noqa: E402 - needs ROOT on sys.path

INTERESTS = ["running", "yoga", "cycling", "hiking", "tennis", "swimming", "climbing", "golf"]
RULES: list[dict] = []  # the seeded segments' rules, to draw matching users from


def setup_django(var_dir: str) -> None:
    django_on_scratch(var_dir=var_dir, STUDIO_LOG_LEVEL="WARNING")


def seed(segments: int, variants: int, rng) -> str:
    from bench.latency_seed import seed_campaign
    from campaigns.models import AudienceSegment

    key = seed_campaign(segments=segments, variants=variants, rng=rng)
    RULES[:] = list(AudienceSegment.objects.values_list("rules", flat=True))
    return key


def user_features(rng) -> dict:
    """A user who matches at least one segment's rules (the common, rules-only path)."""
    rules = RULES[int(rng.integers(len(RULES)))]
    other = str(rng.choice(INTERESTS))
    return {
        "age": int(rng.integers(rules["age"]["min"], rules["age"]["max"] + 1)),
        "interests": sorted({rules["interests"][0], other}),
        "locale": "en-GB",
        "device": "mobile",
    }


def fallback_features(i: int, distinct: int) -> dict:
    """A user no rule matches: the persona embeddings decide. `distinct` feature texts."""
    return {"age": 90, "interests": [f"topic {i % distinct}"], "locale": "fr-FR"}


def percentiles(samples_ms: list[float]) -> str:
    ordered = sorted(samples_ms)
    p50 = statistics.median(ordered)
    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
    return f"p50 {p50:6.2f} ms   p99 {p99:6.2f} ms   max {ordered[-1]:6.1f} ms"


EVENTS = False  # --events: record an impression (~3 % clicks) per decision, untimed


def in_process(key: str, n: int, rng, consent: bool, fallback: int = 0) -> list[float]:
    from campaigns.serving.services.decisions import DecideRequest, decision_make
    from campaigns.serving.services.placements import placement_authenticate
    from campaigns.serving.services.tracking import event_record

    placement = placement_authenticate(raw_key=key)
    timings = []
    for i in range(n):
        features = user_features(rng)
        if fallback:
            features = fallback_features(i, fallback)
        request = DecideRequest(features, consent=consent, user_id=f"user-{rng.integers(1e6)}")
        started = time.perf_counter()
        result = decision_make(placement=placement, request=request)
        timings.append(1000 * (time.perf_counter() - started))
        assert result.variant_id or result.explanation.get("no_fill")
        if EVENTS and result.tracking_token:
            event_record(placement=placement, token=result.tracking_token, type="impression")
            if rng.random() < 0.03:
                event_record(placement=placement, token=result.tracking_token, type="click")
    return timings


def train_contextual(key: str, rng, setting: str, decisions: int = 3000) -> str:
    """Set the campaign's policy ("" = the studio default, which is contextual) and train
    the contextual policy's first version from `decisions` served ones with impressions
    and ~3 % clicks (what the worker does)."""
    from campaigns.models import Campaign
    from campaigns.serving.services.contextual_policy import policy_train
    from campaigns.serving.services.decisions import DecideRequest, decision_make
    from campaigns.serving.services.placements import placement_authenticate
    from campaigns.serving.services.tracking import event_record

    placement = placement_authenticate(raw_key=key)
    campaign = Campaign.objects.get(pk=placement.campaign_id)
    campaign.serving_policy = setting
    campaign.save()
    for _ in range(decisions):
        features = {**user_features(rng), "device": str(rng.choice(["mobile", "desktop"]))}
        result = decision_make(placement=placement, request=DecideRequest(features, False))
        if result.tracking_token:
            event_record(placement=placement, token=result.tracking_token, type="impression")
            if rng.random() < 0.03:
                event_record(placement=placement, token=result.tracking_token, type="click")
    state = policy_train(campaign_id=campaign.pk)
    return f"contextual policy v{state.version}: {state.metrics}"


def start_gunicorn(var_dir: str, port: int) -> subprocess.Popen:
    env = {**os.environ, "STUDIO_VAR_DIR": var_dir, "STUDIO_LOG_LEVEL": "WARNING"}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    args = [str(gunicorn), "studio.wsgi", "-w", "2", "-k", "gthread", "--threads", "4"]
    args += ["-b", f"127.0.0.1:{port}", "--log-level", "warning", "--keep-alive", "30"]
    process = subprocess.Popen(args, cwd=ROOT, env=env)
    for _ in range(100):
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/")
            return process
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise SystemExit("gunicorn did not start")


def http_run(port: int, key: str, n: int, seed: int) -> list[float]:
    import numpy as np

    rng = np.random.default_rng(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    timings = []
    for _ in range(n):
        body = json.dumps({"user_id": f"u{rng.integers(1e6)}", "consent": True,
                           "features": user_features(rng)})  # fmt: skip
        started = time.perf_counter()
        conn.request("POST", "/api/v1/decide", body, headers)
        response = conn.getresponse()
        response.read()
        timings.append(1000 * (time.perf_counter() - started))
        if response.status != 200:
            raise SystemExit(f"HTTP {response.status}")
    conn.close()
    return timings


def http_throughput(port: int, key: str, clients: int, per_client: int) -> float:
    threads = [
        threading.Thread(target=http_run, args=(port, key, per_client, 100 + c))
        for c in range(clients)
    ]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return clients * per_client / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--segments", type=int, default=50)
    parser.add_argument("--variants", type=int, default=1000)
    parser.add_argument("--decisions", type=int, default=5000)
    parser.add_argument("--http-requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--in-process-only", action="store_true", help="skip the embedding and HTTP runs"
    )
    parser.add_argument(
        "--policy", choices=("default", "contextual", "thompson"), default="default",
        help="the campaign's policy; the default (STUDIO_SERVING_POLICY) and contextual "
        "are served from a trained version",
    )  # fmt: skip
    parser.add_argument(
        "--events", action="store_true",
        help="record an impression (~3 %% clicks) per served decision, untimed",
    )  # fmt: skip
    args = parser.parse_args()
    import numpy as np

    global EVENTS
    EVENTS = args.events

    var_dir = tempfile.mkdtemp(prefix="decide-bench-")
    setup_django(var_dir)
    rng = np.random.default_rng(0)
    key = seed(args.segments, args.variants, rng)
    print(f"{args.variants} eligible variants, {args.segments} segments, SQLite in {var_dir}")
    from django.conf import settings

    setting = "" if args.policy == "default" else args.policy
    if (setting or settings.STUDIO_SERVING["policy"]) == "contextual":
        print(train_contextual(key, rng, setting))
    else:
        from campaigns.models import Campaign

        for campaign in Campaign.objects.all():  # save(): the signals bump the state
            campaign.serving_policy = setting
            campaign.save()
    started = time.perf_counter()
    in_process(key, 1, rng, consent=True)
    print(f"cold state build (first decision): {1000 * (time.perf_counter() - started):.1f} ms")
    in_process(key, 500, rng, consent=True)  # warm-up
    n = args.decisions
    report("in-process, consent, default GC", in_process(key, n, rng, True))
    report("in-process, no consent, default GC", in_process(key, n, rng, False))
    gc.freeze()  # what studio/wsgi.py does once the app is loaded
    consented = in_process(key, n, rng, True)
    report("in-process, consent (Decision row + propensity)", consented)
    report("in-process, no consent (row without user hash)", in_process(key, n, rng, False))
    p99 = sorted(consented)[min(len(consented) - 1, int(0.99 * len(consented)))]
    verdict = "holds" if p99 <= 10 else "does NOT hold"
    print(f"target p99 <= 10 ms, consented, propensity logged: {verdict} ({p99:.2f} ms)")
    if args.in_process_only:
        return
    started = time.perf_counter()
    in_process(key, 1, rng, consent=False, fallback=1)
    print(f"first embedding fallback (loads MiniLM): {time.perf_counter() - started:.1f} s")
    in_process(key, 200, rng, consent=False, fallback=200)  # fills the feature-text cache
    gc.freeze()
    report("in-process, embedding fallback, cached text",
           in_process(key, 1000, rng, consent=False, fallback=200))  # fmt: skip
    from campaigns.serving.services import decisions as serving

    serving._embed.cache_clear()
    report("in-process, embedding fallback, new text",
           in_process(key, 200, rng, consent=False, fallback=200))  # fmt: skip
    server = start_gunicorn(var_dir, args.port)
    try:
        http_run(args.port, key, 200, 1)  # both workers build their state
        report("HTTP, one keep-alive client", http_run(args.port, key, args.http_requests, 2))
        per_client = max(args.http_requests // args.clients, 1)
        rate = http_throughput(args.port, key, args.clients, per_client)
        print(f"HTTP throughput, {args.clients} concurrent clients: {rate:,.0f} decisions/s")
    finally:
        server.terminate()
        server.wait(timeout=10)


def report(label: str, timings: list[float]) -> None:
    rate = 1000 * len(timings) / sum(timings)
    print(f"{label:<48} {percentiles(timings)}   {rate:,.0f}/s ({len(timings)} decisions)")


if __name__ == "__main__":
    main()
