import io
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from campaigns.models import Campaign, GenerationJob

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent():
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    campaign = Campaign.objects.get(name="Summit 2 launch")
    assert campaign.segments.count() == 3
    assert campaign.formats.count() >= 6


def test_generate_runs_a_round_and_prints_rendition_paths():
    call_command("seed_demo", stdout=io.StringIO())
    out = io.StringIO()
    call_command("generate", "Summit 2 launch", "-n", "1", "--seed", "5", stdout=out)
    job = GenerationJob.objects.get()
    assert job.status == GenerationJob.Status.SUCCEEDED
    text = out.getvalue()
    assert "100%" in text
    for rendition in job.variants.first().renditions.all():
        assert rendition.image.path in text


def test_generate_reports_bad_input_clearly(campaign):
    with pytest.raises(CommandError, match="No campaign"):
        call_command("generate", "nope", stdout=io.StringIO())
    with pytest.raises(CommandError, match="No such segments"):
        call_command("generate", str(campaign.pk), "--segments", "ghosts", stdout=io.StringIO())
    with pytest.raises(CommandError, match="at least one audience segment"):
        call_command("generate", str(campaign.pk), stdout=io.StringIO())
    assert not GenerationJob.objects.exists()


def test_dev_secret_key_refused_without_debug():
    env = {**os.environ, "DJANGO_DEBUG": "false"}
    env.pop("DJANGO_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**env, "DJANGO_SETTINGS_MODULE": "studio.settings"},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY" in result.stderr
