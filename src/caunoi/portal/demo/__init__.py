"""The demo data set: hand-written facts, a deterministic generator and the loader.

The facts in ``data/`` (JSON, read and validated by :mod:`caunoi.portal.demo.dataset`) were
written by the project from public knowledge and the ministry documents in ``shared/seeds``
(summarised in our own words); :mod:`caunoi.portal.demo.generate` adds a few hundred
plausible records so that lists, filters and dashboards are meaningful;
:func:`caunoi.portal.demo.load.load_demo` writes both into the database after
``reference_sync()``.
"""
