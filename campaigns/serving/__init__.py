"""Serving's Django side, in one place: which creative a user sees, what happened next,
and what the studio learns from it. The policy itself (Thompson sampling, priors,
propensities, offline evaluation maths) is pure numpy in studio/serving/, without Django.

- models.py: Placement, Decision, Event and the per-(variant, segment) and daily totals
  (in the `campaigns` app, so their tables and migrations are the app's own).
- services/: the writes: placements and their keys, decisions and the state cache they
  read, signed tokens and rendition links, tracking events, reports, retention,
  simulated traffic, offline evaluation, spend and "more like the winners".
- selectors/: the reads of the analytics page (totals, intervals, lift, fatigue).
- views/: the serving API (/api/v1/decide, /api/v1/events, /api/v1/renditions/...), its
  payload validation and OpenAPI description, and the analytics pages and charts.
"""
