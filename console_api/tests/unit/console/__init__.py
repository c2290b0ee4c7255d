"""Tests of console_api.console."""
