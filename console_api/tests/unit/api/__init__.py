"""Unit tests of the WSGI layer."""
