"""Hypervisor drivers against real (test) hypervisors."""
