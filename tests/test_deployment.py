"""Production settings: `check --deploy` clean, static files under gunicorn with DEBUG
off (WhiteNoise, hashed names), and a Content-Security-Policy the pages live within."""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[1]


def production_env(tmp_path: Path) -> dict[str, str]:
    """The environment the README's production section documents."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "STUDIO_"))}
    env.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        STUDIO_USER_ID_SALT=secrets.token_urlsafe(32),
        DJANGO_ALLOWED_HOSTS="studio.example.com,127.0.0.1",
        DJANGO_SECURE_PROXY_SSL_HEADER="true",
        DJANGO_SECURE_HSTS_PRELOAD="true",
        STUDIO_VAR_DIR=str(tmp_path / "var"),
    )
    return env


def manage(env, *args, timeout=180):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_check_deploy_is_clean_with_the_documented_production_settings(tmp_path):
    result = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> tuple[int, dict, bytes]:
    # Behind the documented TLS proxy: X-Forwarded-Proto says the client used HTTPS.
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def test_gunicorn_with_debug_off_serves_hashed_static_files(tmp_path):
    env = production_env(tmp_path)
    collected = manage(env, "collectstatic", "--no-input")
    assert collected.returncode == 0, collected.stderr
    port = free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "studio.wsgi", "-w", "1",
         "-b", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                status, headers, body = fetch(f"{base}/accounts/login/")
                break
            except OSError:
                assert server.poll() is None, server.stdout.read().decode()
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.3)
        assert status == 200
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert "max-age=" in headers["Strict-Transport-Security"]
        page = body.decode()
        htmx = re.search(r'src="(/static/vendor/htmx/htmx\.min\.[0-9a-f]{12}\.js)"', page)
        css = re.search(r'href="(/static/css/studio\.[0-9a-f]{12}\.css)"', page)
        assert htmx and css, page[:600]
        status, headers, body = fetch(base + htmx.group(1))
        assert status == 200 and b"htmx" in body[:2000]
        assert "immutable" in headers["Cache-Control"]  # hashed names cache for good
        assert fetch(base + css.group(1))[0] == 200
        assert fetch(f"{base}/static/js/studio.js")[0] == 200
    finally:
        server.terminate()
        server.wait(timeout=20)


# --- Content-Security-Policy: what the pages send and what they contain ---------------

INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "inline <style>"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event handler attribute"),
    (re.compile(r"\shx-on", re.I), "hx-on handler (needs eval)"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


@pytest.mark.django_db
def test_pages_send_a_strict_csp_and_have_nothing_inline_it_would_block(
    client, make_user, brand, campaign, segments
):
    from campaigns import roles

    client.force_login(make_user("mia", roles.CAMPAIGN_MANAGER, brand))
    urls = [
        reverse("campaigns:campaign_list"),
        reverse("campaigns:campaign_detail", args=[campaign.pk]),
        reverse("campaigns:campaign_edit", args=[campaign.pk]),
        reverse("campaigns:brand_list"),
        reverse("campaigns:segment_create", args=[campaign.pk]),
        reverse("campaigns:review_grid", args=[campaign.pk]),
        reverse("campaigns:generate", args=[campaign.pk]),
        reverse("campaigns:analytics", args=[campaign.pk]),
        reverse("campaigns:export_campaign", args=[campaign.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        html = response.content.decode()
        for pattern, what in INLINE:
            match = pattern.search(html)
            assert match is None, (
                f"{url}: {what} the CSP blocks: {html[match.start() - 80 :][:200]}"
            )
    assert '"includeIndicatorStyles": false' in html  # htmx adds no inline <style>
