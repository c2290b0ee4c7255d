"""Black-box tests: drive a running console-api over HTTP only.

Configured by environment variables or an ini file (see ``config``); the
suite skips, naming what is missing, when no endpoint is configured.
"""
