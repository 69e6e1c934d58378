"""Django on a scratch database for the benchmarks: a temp STUDIO_VAR_DIR (SQLite +
filesystem broker) unless the environment already points elsewhere."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def django_on_scratch(
    prefix: str = "studio-bench-", *, var_dir: str | None = None, migrate: bool = True, **env: str
) -> Path:
    """Set up Django (extra settings as environment variables in `env`), migrate, and
    return the var dir. `var_dir` forces one, e.g. to share it with a server process."""
    if var_dir is not None:
        os.environ["STUDIO_VAR_DIR"] = var_dir
    os.environ.setdefault("STUDIO_VAR_DIR", tempfile.mkdtemp(prefix=prefix))
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studio.settings")
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    return Path(os.environ["STUDIO_VAR_DIR"])
