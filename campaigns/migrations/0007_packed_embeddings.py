"""Embeddings move from JSON lists to packed float32 (campaigns.fields.VectorField).

PostgreSQL cannot cast jsonb to bytea, so each field is added anew, filled from the
old one, and takes its name.
"""

from django.db import migrations

import campaigns.fields

FIELDS = ("text_embedding", "image_embedding")


def _copy(apps, schema_editor, source: str, target: str) -> None:
    Variant = apps.get_model("campaigns", "Variant")
    rows = Variant.objects.exclude(**{f"{source}{f}": None for f in FIELDS})
    targets = [f"{target}{f}" for f in FIELDS]
    batch = []
    for variant in rows.only("pk", *(f"{source}{f}" for f in FIELDS)).iterator(chunk_size=500):
        for field in FIELDS:
            value = getattr(variant, f"{source}{field}")
            setattr(variant, f"{target}{field}", None if value is None else list(value))
        batch.append(variant)
        if len(batch) == 500:
            Variant.objects.bulk_update(batch, targets)
            batch = []
    if batch:
        Variant.objects.bulk_update(batch, targets)


def pack(apps, schema_editor):
    _copy(apps, schema_editor, "", "packed_")


def unpack(apps, schema_editor):
    _copy(apps, schema_editor, "packed_", "")


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0006_review_studio")]

    operations = [
        *(
            migrations.AddField(
                model_name="variant",
                name=f"packed_{field}",
                field=campaigns.fields.VectorField(blank=True, editable=False, null=True),
            )
            for field in FIELDS
        ),
        migrations.RunPython(pack, unpack),
        *(migrations.RemoveField(model_name="variant", name=field) for field in FIELDS),
        *(
            migrations.RenameField(model_name="variant", old_name=f"packed_{field}", new_name=field)
            for field in FIELDS
        ),
    ]
