"""Tests of console_api.proxy."""
