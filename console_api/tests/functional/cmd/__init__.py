"""Tests of console_api.cmd."""
