"""The client-to-guest RFB stream of a view-only VNC session, filtered.

After the RFB handshake a client sends a stream of messages, each led by a
type byte. A view-only session may only ask the guest for pictures, so
``ViewOnlyFilter`` forwards the messages that do nothing else
(SetPixelFormat, SetEncodings, FramebufferUpdateRequest, continuous
updates, fences and QEMU's audio control) and drops the rest: key and
pointer events, clipboard text (classic and extended), QEMU's extended
key events, desktop resizing and power (xvp) requests. It parses
incrementally, so a message split over many websocket frames, or many
messages in one frame, work alike; a dropped message's payload is skipped
as it streams, never buffered, so a huge clipboard costs no memory. A
stream it cannot parse (an unknown type) raises ``UnparsableStream``:
the session must end without forwarding the unparsed bytes.
"""

import struct

# Message type -> (length of its fixed part, forwarded?).
_SET_PIXEL_FORMAT = 0
_SET_ENCODINGS = 2
_FRAMEBUFFER_UPDATE_REQUEST = 3
_KEY_EVENT = 4
_POINTER_EVENT = 5
_CLIENT_CUT_TEXT = 6
_ENABLE_CONTINUOUS_UPDATES = 150
_FENCE = 248
_XVP = 250
_SET_DESKTOP_SIZE = 251
_QEMU = 255
_QEMU_EXTENDED_KEY = 0
_QEMU_AUDIO = 1

# Most encodings a SetEncodings may list: real clients send a few dozen.
MAX_ENCODINGS = 1024


class UnparsableStream(Exception):
    """The client sent something that is not an RFB client message."""


class ViewOnlyFilter(object):
    """Feed it client bytes; it returns the bytes the guest may see."""

    def __init__(self):
        self._buffer = b''
        self._skip = 0

    def feed(self, data):
        """Return what of ``data`` (with earlier leftovers) may go on.

        :raises UnparsableStream: nothing more may be forwarded.
        """
        if self._skip:
            skipped = min(self._skip, len(data))
            self._skip -= skipped
            data = data[skipped:]
        self._buffer += data
        out = []
        while self._buffer and not self._skip:
            length = self._message_length(self._buffer)
            if length is None:
                break
            size, forward = length
            if forward:
                if len(self._buffer) < size:
                    break
                out.append(self._buffer[:size])
                self._buffer = self._buffer[size:]
            else:
                dropped = min(size, len(self._buffer))
                self._skip = size - dropped
                self._buffer = self._buffer[dropped:]
        return b''.join(out)

    @staticmethod
    def _message_length(buf):
        """``(size, forward)`` of the message at the start of ``buf``.

        ``None`` while its header is incomplete.
        """
        kind = buf[0]
        fixed = {_SET_PIXEL_FORMAT: (20, True),
                 _FRAMEBUFFER_UPDATE_REQUEST: (10, True),
                 _ENABLE_CONTINUOUS_UPDATES: (10, True),
                 _KEY_EVENT: (8, False), _POINTER_EVENT: (6, False),
                 _XVP: (4, False)}.get(kind)
        if fixed is not None:
            return fixed
        if kind == _SET_ENCODINGS:
            if len(buf) < 4:
                return None
            count = struct.unpack_from('!H', buf, 2)[0]
            if count > MAX_ENCODINGS:
                raise UnparsableStream('SetEncodings lists %d' % count)
            return 4 + 4 * count, True
        if kind == _CLIENT_CUT_TEXT:
            if len(buf) < 8:
                return None
            # Extended clipboard messages give a negative length.
            return 8 + abs(struct.unpack_from('!i', buf, 4)[0]), False
        if kind == _FENCE:
            if len(buf) < 9:
                return None
            return 9 + buf[8], True
        if kind == _SET_DESKTOP_SIZE:
            if len(buf) < 8:
                return None
            return 8 + 16 * buf[6], False
        if kind == _QEMU:
            return ViewOnlyFilter._qemu_length(buf)
        raise UnparsableStream('client message type %d' % kind)

    @staticmethod
    def _qemu_length(buf):
        if len(buf) < 2:
            return None
        if buf[1] == _QEMU_EXTENDED_KEY:
            return 12, False
        if buf[1] == _QEMU_AUDIO:
            if len(buf) < 4:
                return None
            operation = struct.unpack_from('!H', buf, 2)[0]
            # 0 enable, 1 disable, 2 set format (+1+1+4 bytes).
            if operation in (0, 1):
                return 4, True
            if operation == 2:
                return 10, True
            raise UnparsableStream('QEMU audio operation %d' % operation)
        raise UnparsableStream('QEMU client message %d' % buf[1])
