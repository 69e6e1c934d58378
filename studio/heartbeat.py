"""The worker heartbeat: a thread in a Celery worker's main process that records the
worker in the database every STUDIO_WORKER_HEARTBEAT_SECONDS (campaigns.WorkerHeartbeat),
so the studio can tell when no worker is taking jobs.

It also notices a hung pool: a task the worker has reserved that no pool process starts
although one is free (reported as `stuck_since` after STUDIO_WORKER_STUCK_SECONDS). With
the embedded filesystem broker the worker runs billiard's threaded pool (the transport
cannot drive Celery's async pool), whose children share one lock around the task pipe; an
idle child waits for a task while holding it, so killing that child (kill -9) leaves the
lock held for good and its replacement blocks on it: the worker still takes messages and
nothing runs. After twice that time the lock of the dead child is released here.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.db import connections
from django.utils import timezone

logger = logging.getLogger(__name__)


class Heartbeat(threading.Thread):
    def __init__(self, consumer):
        super().__init__(name="studio-heartbeat", daemon=True)
        self.consumer = consumer
        self.node = consumer.hostname
        self.started_at = timezone.now()
        self.interval = settings.STUDIO_WORKER_HEARTBEAT_SECONDS
        self.stopped = threading.Event()
        self.waiting_since: dict[str, float] = {}  # reserved, not started: id -> first seen

    def run(self) -> None:
        while True:
            try:
                self.beat()
            except Exception:  # noqa: BLE001 - a missed beat must never stop the worker
                logger.warning("Worker heartbeat not recorded", exc_info=True)
            finally:
                # No connection stays open in this thread: the main thread forks pool
                # processes, and a child must not inherit a live socket of ours.
                connections.close_all()
            if self.stopped.wait(self.interval):
                return

    def beat(self) -> None:
        from campaigns.services.workers import worker_heartbeat_record

        processes = self._processes()
        active, stuck_since = self._pool_state(len(processes))
        worker_heartbeat_record(
            name=self.node,
            hostname=socket.gethostname(),
            pid=os.getpid(),
            processes=processes,
            queues=self._queues(),
            active=active,
            stuck_since=stuck_since,
            started_at=self.started_at,
        )

    def _processes(self) -> list[int]:
        info = getattr(self.consumer.pool, "info", None) or {}
        return list(info.get("processes") or [os.getpid()])

    def _queues(self) -> list[str]:
        try:
            return [q.name for q in self.consumer.task_consumer.queues]
        except AttributeError:  # not consuming yet
            return []

    def _pool_state(self, pool_size: int):
        """(tasks running, when the pool got stuck or None)."""
        from celery.worker import state

        active = {r.id for r in list(state.active_requests)}
        waiting = {r.id for r in list(state.reserved_requests)} - active
        now = time.monotonic()
        self.waiting_since = {i: self.waiting_since.get(i, now) for i in waiting}
        # A free pool process and a task waiting for it: fine for a moment (the hand-over),
        # stuck when it lasts.
        oldest = min(self.waiting_since.values(), default=None)
        if oldest is None or len(active) >= pool_size:
            return len(active), None
        stuck_for = settings.STUDIO_WORKER_STUCK_SECONDS
        if now - oldest < stuck_for:
            return len(active), None
        if now - oldest >= 2 * stuck_for:
            self._free_lock_of_dead_child()
        return len(active), timezone.now() - timedelta(seconds=now - oldest)

    def _free_lock_of_dead_child(self) -> None:
        """Release the task pipe's shared read lock when its holder is dead.

        Only billiard's threaded pool (the filesystem broker's) has that lock; Celery's
        async pool (Redis) gives each child a pipe of its own. When a task has waited this
        long with a free pool process, no live child is reading the pipe (one would have
        read the task at once), so whoever holds the lock died holding it: an idle child
        killed while it waited for a task. Releasing it lets the other children read.
        """
        pool = getattr(self.consumer.pool, "_pool", None)
        lock = getattr(getattr(pool, "_inqueue", None), "_rlock", None)
        if lock is None:
            return
        if lock.acquire(False):  # free: the hang is something else; leave it as it was
            lock.release()
            return
        lock.release()
        logger.error(
            "The pool's task pipe lock was held by a dead pool process (an idle child killed "
            "with SIGKILL?); released it so the remaining pool processes can take tasks."
        )

    def stop(self) -> None:
        from campaigns.services.workers import worker_heartbeat_remove

        self.stopped.set()
        self.join(timeout=5)
        try:
            worker_heartbeat_remove(name=self.node)
        finally:
            connections.close_all()
