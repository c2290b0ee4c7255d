"""Tests of console_api.wsgi."""
