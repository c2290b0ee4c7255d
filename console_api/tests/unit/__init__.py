"""Unit tests of console-api."""
