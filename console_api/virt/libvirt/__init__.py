"""The libvirt hypervisor driver (needs ``console-api[libvirt]``)."""
