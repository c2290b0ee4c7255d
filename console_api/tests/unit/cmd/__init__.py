"""Unit tests of the command-line entry points."""
