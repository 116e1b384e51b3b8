"""Background jobs: one task runner (Django's tasks API, from ``django-tasks``, with its
database backend) and the progress of each long job.

See docs/tasks.md. Foundation level: imports only Django, ``django_tasks`` and ``caunoi.core``.
"""
