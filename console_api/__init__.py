"""console-api: remote consoles for OpenStack-style clouds."""
