"""The serving policy: plain Python + numpy, no Django.

`policy` chooses a creative for one user (Thompson sampling, caps, no-repeat, no near
duplicates back to back); `priors` turns model scores into Beta priors; `similarity`
finds near-duplicate creatives; `segments` matches a user to an audience segment;
`stats` holds the interval and density maths the analytics page shares. The simulation
benchmark and the unit tests call these directly; campaigns.serving.services.decisions wraps them.
"""
