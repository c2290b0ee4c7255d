#!/usr/bin/env bash
# Start virtlogd and libvirtd (QEMU driver, qemu:///system) when they are
# not running yet; do nothing when they are. For machines without systemd
# (CI containers): needs root and the Debian packages libvirt-daemon-system,
# libvirt-clients and qemu-system-x86. Exits non-zero when libvirtd does not
# answer on qemu:///system within the time limit.
set -euo pipefail

URI=qemu:///system
TIMEOUT=${LIBVIRTD_START_TIMEOUT:-30}

if [ "$(id -u)" != 0 ]; then
    echo "libvirtd.sh: must run as root" >&2
    exit 1
fi
for binary in virtlogd libvirtd virsh; do
    if ! command -v "$binary" >/dev/null 2>&1; then
        echo "libvirtd.sh: $binary not found; install libvirt-daemon-system" \
             "and libvirt-clients" >&2
        exit 1
    fi
done

# pgrep -x matches the process name exactly, so this script's own name
# never counts.
if ! pgrep -x virtlogd >/dev/null; then
    echo "libvirtd.sh: starting virtlogd"
    virtlogd -d
fi
if ! pgrep -x libvirtd >/dev/null; then
    echo "libvirtd.sh: starting libvirtd"
    # A pid file left by a daemon that died would make libvirtd refuse to
    # start; it is stale, as no libvirtd runs.
    rm -f /run/libvirtd.pid /var/run/libvirtd.pid
    libvirtd -d
fi

deadline=$((SECONDS + TIMEOUT))
until virsh -q -c "$URI" version >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then
        echo "libvirtd.sh: libvirtd does not answer on $URI after" \
             "${TIMEOUT}s" >&2
        virsh -c "$URI" version >&2 || true
        exit 1
    fi
    sleep 0.5
done
echo "libvirtd.sh: libvirtd answers on $URI"
