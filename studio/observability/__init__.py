"""Operations endpoints: /healthz and Prometheus metrics (web and Celery workers)."""
