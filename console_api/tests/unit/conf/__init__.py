"""Tests of console_api.conf."""
