"""Query-string schema of the read-only server listing."""

index_query = {
    'type': 'object',
    'properties': {
        'all_tenants': {'type': 'string'},
        'project_id': {'type': 'string'},
        'host': {'type': 'string'},
    },
    # Nova ignores query parameters it does not know; so does this listing.
    'additionalProperties': True,
}
