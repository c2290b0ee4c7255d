"""Tests of the libvirt driver that need no hypervisor."""
