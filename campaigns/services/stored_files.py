"""Files on disk follow their rows: a replaced, cleared or deleted upload is removed.

`files_follow_rows(Model, "field", ...)` connects the signals for any FileField or
ImageField; the removal runs on commit (a rolled-back save or delete keeps the file)
and only when no other row of the model still names the same file. Reusable for any
model with uploads (brand logos, product images, asset libraries, renditions).
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save, pre_save

logger = logging.getLogger(__name__)


def stored_file_delete_on_commit(*, model: type[Model], field: str, name: str) -> None:
    """Delete the stored file `name` of `model.field` once the transaction commits,
    unless a row (of the model, after the commit) still refers to it."""
    if not name:
        return
    storage = model._meta.get_field(field).storage

    def delete() -> None:
        if model._default_manager.filter(**{field: name}).exists():
            return  # shared with another row (e.g. a copied campaign): keep it
        try:
            storage.delete(name)
        except OSError:
            # A file that cannot be removed must not fail the request that replaced it.
            logger.warning("could not delete replaced file %s", name, exc_info=True)

    transaction.on_commit(delete)


def files_follow_rows(model: type[Model], *fields: str, on_replace: bool = True) -> None:
    """Remove a row's files when the row is deleted, and (with on_replace) the old file
    when a save replaces or clears it."""
    uid = f"files_follow_rows:{model._meta.label}"

    def remember_old_names(sender, instance, raw=False, update_fields=None, **kwargs):
        instance._stored_file_names = {}
        if raw or instance._state.adding or instance.pk is None:
            return
        watched = [f for f in fields if update_fields is None or f in update_fields]
        if watched:
            old = sender._default_manager.filter(pk=instance.pk).values(*watched).first()
            instance._stored_file_names = old or {}

    def delete_replaced(sender, instance, raw=False, **kwargs):
        for field, old_name in getattr(instance, "_stored_file_names", {}).items():
            if old_name and old_name != getattr(instance, field).name:
                stored_file_delete_on_commit(model=sender, field=field, name=old_name)
        instance._stored_file_names = {}

    def delete_with_row(sender, instance, **kwargs):
        for field in fields:
            stored_file_delete_on_commit(
                model=sender, field=field, name=getattr(instance, field).name
            )

    if on_replace:
        pre_save.connect(remember_old_names, sender=model, weak=False, dispatch_uid=uid)
        post_save.connect(delete_replaced, sender=model, weak=False, dispatch_uid=uid)
    post_delete.connect(delete_with_row, sender=model, weak=False, dispatch_uid=uid)
