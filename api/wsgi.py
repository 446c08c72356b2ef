"""WSGI entry for gunicorn (``gunicorn -c gunicorn.conf.py``): one engine per worker process, settings from
the environment; migrations and bundled processes are applied once by the master (see gunicorn.conf.py)."""
from api.app import create_app
from engine.config import Settings

app = create_app(Settings.from_env(embedded_worker=False))
