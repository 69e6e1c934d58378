"""Serving's models live in campaigns/serving/ but stay in the `campaigns` app: the move
needs no migration, and the serving rows survive the migrations being rolled back to
0016_serving_propensity and applied again (any later migration is exercised on a
populated database the same way)."""

from decimal import Decimal
from io import StringIO

import numpy as np
import pytest
from django.apps import apps as current_apps
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from campaigns.serving.services.decisions import DecideRequest, decision_make
from campaigns.serving.services.placements import placement_authenticate
from campaigns.serving.services.tracking import event_record
from tests.serving_helpers import COMMUTER, TRAIL_USER, activate, make_placement, make_variants

BASE = ("campaigns", "0016_serving_propensity")
SERVING_MODELS = ("Placement", "Decision", "Event", "VariantSegmentStats", "DailyStats")


@pytest.mark.django_db
def test_models_and_migrations_agree():
    out = StringIO()
    # --check exits with status 1 (SystemExit) when a model differs from the migrations.
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_serving_models_keep_their_app_and_tables():
    for name in SERVING_MODELS:
        model = current_apps.get_model("campaigns", name)
        assert model.__module__ == "campaigns.serving.models"
        assert model._meta.db_table == f"campaigns_{name.lower()}"


def _serve(campaign, segments):
    """Decisions and events through the real path, with and without consent."""
    activate(campaign, segments)
    for segment in segments:
        make_variants(campaign, segment, 2)
    _, key = make_placement(campaign)
    placement = placement_authenticate(raw_key=key)
    rng = np.random.default_rng(3)
    users = [(TRAIL_USER, True), (COMMUTER, True), (TRAIL_USER, False), (COMMUTER, False)]
    for i, (features, consent) in enumerate(users * 2):
        request = DecideRequest(features=features, consent=consent, user_id=f"user-{i}")
        result = decision_make(placement=placement, request=request, rng=rng)
        assert result.tracking_token, result.explanation
        event_record(placement=placement, token=result.tracking_token, type="impression")
        if i % 2 == 0:
            event_record(placement=placement, token=result.tracking_token, type="click")
        if i % 4 == 0:
            event_record(
                placement=placement,
                token=result.tracking_token,
                type="conversion",
                value=Decimal("12.50"),
            )


def _rows(apps) -> dict[str, list[dict]]:
    """Every serving row as a dict of its columns, in primary-key order."""
    return {
        name: list(apps.get_model("campaigns", name).objects.order_by("pk").values())
        for name in SERVING_MODELS
    }


def _columns(rows: dict[str, list[dict]], apps) -> dict[str, list[dict]]:
    """The rows cut down to the columns the models have in `apps` (an older state has
    fewer: a later migration may add some)."""
    cut = {}
    for name, values in rows.items():
        columns = [f.attname for f in apps.get_model("campaigns", name)._meta.concrete_fields]
        cut[name] = [{c: row[c] for c in columns} for row in values]
    return cut


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_serving_rows_survive_migrating_back_and_forth(campaign, segments):
    _serve(campaign, segments)
    before = _rows(current_apps)
    assert all(before.values()), {name: len(rows) for name, rows in before.items()}
    assert any(row["type"] == "conversion" for row in before["Event"])
    assert any(not row["consented"] and not row["user_hash"] for row in before["Decision"])

    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        back = MigrationExecutor(connection)
        back.migrate([BASE])
        old_apps = back.loader.project_state([BASE]).apps
        at_base = _rows(old_apps)
        # 0017's tables are really gone: the database was migrated back, not left alone.
        assert "campaigns_apitoken" not in connection.introspection.table_names()
    finally:
        # Forward again whatever happened, so no later test finds an old schema.
        MigrationExecutor(connection).migrate(latest)
    assert at_base == _columns(before, old_apps)
    assert _rows(current_apps) == before
