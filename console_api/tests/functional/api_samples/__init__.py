"""API samples: documented requests and responses, checked against the app."""
