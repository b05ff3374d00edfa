"""A module-level app for WSGI servers that want one: ``gunicorn api.wsgi:app``.

Settings come from the ``TIMELINE_*`` environment variables.  ``timeline serve`` or
``gunicorn 'api:create_app()'`` do the same without this module.
"""
from __future__ import annotations

from . import create_app

app = create_app()
