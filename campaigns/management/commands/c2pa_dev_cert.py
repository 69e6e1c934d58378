"""Make a development certificate chain and key for C2PA content credentials."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from studio.engine.credentials import make_dev_certificate


class Command(BaseCommand):
    help = (
        "Write a development root CA, a signing certificate issued by it and its key "
        "(PEM) for C2PA content credentials on exports. Not for production: readers will "
        "show the signer as untrusted unless they are given the development root."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(Path(settings.VAR_DIR) / "c2pa"))

    def handle(self, *args, **options):
        paths = make_dev_certificate(options["dir"])
        self.stdout.write(self.style.SUCCESS("Development C2PA signer written. Set:"))
        self.stdout.write(f"  STUDIO_C2PA_CERT={paths['cert']}")
        self.stdout.write(f"  STUDIO_C2PA_KEY={paths['key']}")
        self.stdout.write(f"Trust anchor for readers: {paths['trust_anchors']}")
