"""The compute console API: WSGI pipeline pieces, routes and controllers."""
