import time

from django.core.management.base import BaseCommand, CommandError

from campaigns.services.briefs import default_engine_config
from studio.engine import registry
from studio.engine.fetch import fetch
from studio.engine.types import EngineError


class Command(BaseCommand):
    help = "List the configured models, check that each loads, optionally download them."

    def add_arguments(self, parser):
        parser.add_argument(
            "--download",
            action="store_true",
            help="Fetch the configured hub models into the local cache (needs internet).",
        )
        parser.add_argument(
            "--no-load", action="store_true", help="Only list; do not load the models."
        )

    def handle(self, *args, **options):
        config = default_engine_config()
        jobs = [
            (
                "copywriter",
                config.copywriter,
                "text",
                config.text_model,
                "",
                registry.get_copywriter,
            ),
            ("painter", config.painter, "image", config.image_model, "", registry.get_painter),
            (
                "scorer",
                config.scorer,
                "clip",
                config.clip_model,
                config.clip_pretrained,
                registry.get_scorer,
            ),
        ]
        failures = 0
        for job, backend, kind, model, pretrained, getter in jobs:
            label = f"{model}" + (f" ({pretrained})" if pretrained else "") if model else "offline"
            self.stdout.write(f"{job:11} {backend:13} {label}")
            if options["download"] and model:
                failures += self._step(
                    "download", lambda k=kind, m=model, p=pretrained: fetch(k, m, p)
                )
            if not options["no_load"]:
                failures += self._step("load", lambda g=getter: g(config).describe())
        if failures:
            raise CommandError(f"{failures} model check(s) failed; see the messages above.")

    def _step(self, what, action) -> int:
        started = time.perf_counter()
        try:
            result = action()
        except EngineError as exc:
            self.stdout.write(self.style.ERROR(f"    {what}: FAILED: {exc}"))
            return 1
        seconds = time.perf_counter() - started
        detail = result if isinstance(result, str) else ""
        self.stdout.write(self.style.SUCCESS(f"    {what}: ok in {seconds:.1f}s {detail}".rstrip()))
        return 0
