"""Hypervisor drivers: the contract in ``driver`` and its implementations."""
