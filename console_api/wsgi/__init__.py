"""WSGI entry points for uwsgi, gunicorn and mod_wsgi."""
