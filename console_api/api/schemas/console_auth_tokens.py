"""Query-string schema of ``GET /os-console-auth-tokens/{token}`` (2.99+)."""

# From 2.99 the query string must be empty: unknown parameters get 400.
show_query_v299 = {
    'type': 'object',
    'properties': {},
    'additionalProperties': False,
}
