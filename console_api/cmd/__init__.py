"""Command-line entry points of console-api."""
