"""Print N TCP ports on 127.0.0.1 that are free right now (default 1)."""

import socket
import sys


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    sockets = []
    for _ in range(count):
        sock = socket.socket()
        sock.bind(('127.0.0.1', 0))
        sockets.append(sock)
    # All bound at once so that the ports differ from each other.
    print(' '.join(str(s.getsockname()[1]) for s in sockets))
    for sock in sockets:
        sock.close()


if __name__ == '__main__':
    main()
