"""Start a real Celery worker process against the test database and broker."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection


def database_url() -> str:
    """The URL of the database the tests are using (the test database, not the dev one)."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    user = s.get("USER") or ""
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    return f"postgres://{auth}{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{s['NAME']}"


def purge_broker() -> None:
    """Drop messages left by earlier runs so the worker only sees this test's."""
    url = settings.CELERY_BROKER_URL
    if url.startswith("filesystem://"):
        shutil.rmtree(settings.BROKER_DIR, ignore_errors=True)
        for folder in ("out", "processed", "control"):
            (settings.BROKER_DIR / folder).mkdir(parents=True, exist_ok=True)
    else:
        from studio.celery import app

        with app.connection_for_write() as conn:
            for queue in ("default", "images", "render"):
                conn.default_channel.queue_purge(queue) if _queue_exists(conn, queue) else None


def _queue_exists(conn, queue: str) -> bool:
    try:
        conn.default_channel.queue_declare(queue=queue, passive=True)
        return True
    except Exception:  # noqa: BLE001 - a missing queue is fine
        return False


class WorkerProcess:
    def __init__(
        self, log_path: Path, extra_env: dict[str, str] | None = None, concurrency: int = 1
    ):
        env = os.environ.copy()
        env.update(
            DATABASE_URL=database_url(),
            STUDIO_MEDIA_ROOT=str(settings.MEDIA_ROOT),
            STUDIO_EXPORT_ROOT=str(settings.STUDIO_EXPORT_ROOT),
            CELERY_BROKER_URL=settings.CELERY_BROKER_URL,
            PYTHONUNBUFFERED="1",
        )
        env.update(extra_env or {})
        self.log_path = log_path
        self.log = open(log_path, "w")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "studio",
                "worker",
                "-Q",
                "default,images,render",
                "--concurrency",
                str(concurrency),
                "--pool",
                "prefork",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel",
                "INFO",
                "-n",
                f"test-{os.getpid()}-{time.monotonic_ns()}@%h",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self._wait_ready()

    def _wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if "ready." in self.log_path.read_text():
                return
            if self.proc.poll() is not None:
                raise RuntimeError(f"worker exited early:\n{self.log_path.read_text()}")
            time.sleep(0.2)
        raise RuntimeError(f"worker not ready after {timeout}s:\n{self.log_path.read_text()}")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


def start_worker(log_path: Path, **kwargs) -> WorkerProcess:
    """A fresh worker on an empty broker, with this process's connections closed so the
    worker's writes are not hidden behind a stale SQLite snapshot."""
    from django.db import connections

    purge_broker()
    connections.close_all()
    return WorkerProcess(log_path, **kwargs)


def wait_for(predicate, timeout=180, interval=0.05, worker: WorkerProcess | None = None):
    """Poll until predicate() is truthy and return its value; on timeout, fail with the
    worker's log so the cause is visible."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    log = worker.log_path.read_text() if worker else ""
    raise AssertionError(f"condition not met within {timeout}s\n{log}")
