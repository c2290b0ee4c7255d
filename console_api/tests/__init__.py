"""Tests of console-api."""
