"""WSGI entry point for production servers (gunicorn caunoi.wsgi)."""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caunoi.settings")
application = get_wsgi_application()

if settings.CAUNOI_TASKS_WORKER == "thread":
    # The embedded default: background tasks run in this process (docs/tasks.md).
    from caunoi.jobs.worker import start_in_process_worker

    start_in_process_worker()
