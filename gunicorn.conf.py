"""gunicorn configuration for the mtcflow API (``gunicorn -c gunicorn.conf.py``).

Timers are not fired here: run ``mtcflow worker`` processes beside the API (as many as you like, they claim
timers atomically). Every knob reads an environment variable so the same file serves the laptop, the
compose file and the national deployment.
"""
import os

wsgi_app = "api.wsgi:app"
bind = os.environ.get("MTCFLOW_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("MTCFLOW_WEB_WORKERS", "2"))
threads = int(os.environ.get("MTCFLOW_WEB_THREADS", "1"))  # > 1 selects the gthread worker
timeout = int(os.environ.get("MTCFLOW_WEB_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
preload_app = False  # each worker opens its own connection pool; pools must not cross a fork
accesslog = os.environ.get("MTCFLOW_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("MTCFLOW_LOG_LEVEL", "info")


def on_starting(server) -> None:
    """Migrate and deploy the bundled processes once, in the master, before any worker serves. Several API
    hosts starting together may race here; the loser retries and finds the work done (deploying identical
    content is a no-op). With a separate migration step, set MTCFLOW_SKIP_PREPARE=1."""
    if os.environ.get("MTCFLOW_SKIP_PREPARE"):
        return
    import time

    from engine.config import Settings
    from engine.workflow_engine import WorkflowEngine

    for attempt in range(3):
        engine = WorkflowEngine(Settings.from_env(embedded_worker=False))
        try:
            engine.migrate()
            engine.deploy_bundled()
            return
        except Exception:
            if attempt == 2:
                raise
            server.log.warning("preparing the database failed (another host preparing it?); retrying")
            time.sleep(1 + attempt)
        finally:
            engine.close()
