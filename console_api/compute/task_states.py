"""Task states that stop a console from being opened, as Nova names them."""

DELETING = 'deleting'
MIGRATING = 'migrating'

# A console request during one of these gets 409.
CONSOLE_BLOCKING = frozenset([DELETING, MIGRATING])
