"""Commands of the ``console`` plugin, API version 1."""
