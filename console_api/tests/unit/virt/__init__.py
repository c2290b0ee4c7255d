"""Tests of the hypervisor drivers."""
