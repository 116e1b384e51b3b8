"""WSGI entry point for production servers (gunicorn caunoi.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caunoi.settings")
application = get_wsgi_application()
