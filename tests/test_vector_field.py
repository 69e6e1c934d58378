"""Embeddings are stored packed as float32 (campaigns.fields.VectorField), and the
migration that moved them there keeps every value, both ways."""

import json

import pytest
from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from campaigns.fields import VectorField
from campaigns.models import Variant
from tests.factories import make_job, make_variant

VECTOR = [0.5, -1.25, 3.0, 1e-3]


@pytest.mark.django_db
def test_vectors_round_trip_as_float32(campaign, segments):
    variant = make_variant(make_job(campaign, segments[:1]), segments[0], text_embedding=VECTOR)
    stored = Variant.objects.get(pk=variant.pk)
    assert stored.text_embedding == pytest.approx(VECTOR, rel=1e-7)
    assert all(type(x) is float for x in stored.text_embedding)
    assert stored.image_embedding is None
    assert Variant.objects.exclude(text_embedding=None).count() == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT text_embedding FROM campaigns_variant WHERE id = %s", [variant.pk])
        assert len(bytes(cursor.fetchone()[0])) == 4 * len(VECTOR)


@pytest.mark.django_db
def test_vectors_survive_serialization(campaign, segments):
    # What serialized_rollback and dumpdata/loaddata go through.
    variant = make_variant(make_job(campaign, segments[:1]), segments[0], text_embedding=VECTOR)
    data = serializers.serialize("json", [variant])
    assert isinstance(json.loads(data)[0]["fields"]["text_embedding"], str)
    (restored,) = serializers.deserialize("json", data)
    assert restored.object.text_embedding == pytest.approx(VECTOR)


def test_bad_vectors_are_refused():
    field = VectorField()
    with pytest.raises(ValidationError):
        field.to_python(b"\x00\x00\x00")  # not a whole number of float32s
    with pytest.raises(ValidationError):
        field.get_prep_value([[1.0, 2.0]])


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_migration_keeps_the_embeddings_both_ways(campaign, segments):
    variant = make_variant(make_job(campaign, segments[:1]), segments[0], text_embedding=VECTOR)
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes("campaigns")
    executor.migrate([("campaigns", "0006_review_studio")])
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT text_embedding, image_embedding FROM campaigns_variant WHERE id = %s",
                [variant.pk],
            )
            text, image = cursor.fetchone()
        assert json.loads(text) == pytest.approx(VECTOR, rel=1e-7)
        assert image is None
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(latest)
    assert Variant.objects.get(pk=variant.pk).text_embedding == pytest.approx(VECTOR, rel=1e-7)
