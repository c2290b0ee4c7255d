"""The view-only RFB filter: split and coalesced frames, every type."""

import struct

import testtools

from console_api.proxy import rfb_filter

SET_PIXEL_FORMAT = b'\x00' + b'\x01' * 19
SET_ENCODINGS = struct.pack('!BxH', 2, 3) + struct.pack('!3i', 0, 7, -223)
UPDATE_REQUEST = struct.pack('!BBHHHH', 3, 1, 0, 0, 640, 480)
CONTINUOUS = struct.pack('!BBHHHH', 150, 1, 0, 0, 640, 480)
FENCE = struct.pack('!BxxxIB', 248, 0, 3) + b'abc'
AUDIO_ENABLE = struct.pack('!BBH', 255, 1, 0)
AUDIO_FORMAT = struct.pack('!BBHBBI', 255, 1, 2, 3, 2, 44100)
FORWARDED = [SET_PIXEL_FORMAT, SET_ENCODINGS, UPDATE_REQUEST, CONTINUOUS,
             FENCE, AUDIO_ENABLE, AUDIO_FORMAT]

KEY = struct.pack('!BBxxI', 4, 1, 0x61)
POINTER = struct.pack('!BBHH', 5, 1, 10, 20)
CUT_TEXT = struct.pack('!Bxxxi', 6, 5) + b'hello'
EXTENDED_CUT_TEXT = struct.pack('!Bxxxi', 6, -8) + b'\x00' * 8
QEMU_KEY = struct.pack('!BBHII', 255, 0, 1, 0x61, 30)
DESKTOP_SIZE = struct.pack('!BxHHBx', 251, 800, 600, 1) + b'\x00' * 16
XVP = struct.pack('!BxBB', 250, 1, 2)
DROPPED = [KEY, POINTER, CUT_TEXT, EXTENDED_CUT_TEXT, QEMU_KEY,
           DESKTOP_SIZE, XVP]


class ViewOnlyFilterTest(testtools.TestCase):

    def stream(self):
        messages = []
        for forwarded, dropped in zip(FORWARDED, DROPPED):
            messages += [forwarded, dropped]
        return b''.join(messages), b''.join(FORWARDED)

    def test_one_frame_with_every_message(self):
        data, expected = self.stream()
        self.assertEqual(expected, rfb_filter.ViewOnlyFilter().feed(data))

    def test_split_at_every_byte(self):
        data, expected = self.stream()
        view_only = rfb_filter.ViewOnlyFilter()
        out = b''.join(view_only.feed(data[i:i + 1])
                       for i in range(len(data)))
        self.assertEqual(expected, out)

    def test_forwarded_messages_only_whole(self):
        view_only = rfb_filter.ViewOnlyFilter()
        self.assertEqual(b'', view_only.feed(UPDATE_REQUEST[:5]))
        self.assertEqual(UPDATE_REQUEST, view_only.feed(UPDATE_REQUEST[5:]))

    def test_huge_clipboard_is_skipped_not_buffered(self):
        view_only = rfb_filter.ViewOnlyFilter()
        size = 50 * 1024 * 1024
        self.assertEqual(b'', view_only.feed(
            struct.pack('!Bxxxi', 6, size)))
        chunk = b'x' * 65536
        for _ in range(size // len(chunk)):
            self.assertEqual(b'', view_only.feed(chunk))
            self.assertEqual(b'', view_only._buffer)
        self.assertEqual(UPDATE_REQUEST, view_only.feed(UPDATE_REQUEST))

    def test_garbage_is_unparsable(self):
        view_only = rfb_filter.ViewOnlyFilter()
        self.assertRaises(rfb_filter.UnparsableStream, view_only.feed,
                          UPDATE_REQUEST + b'\x99garbage')

    def test_absurd_encoding_count_is_unparsable(self):
        self.assertRaises(rfb_filter.UnparsableStream,
                          rfb_filter.ViewOnlyFilter().feed,
                          struct.pack('!BxH', 2, 60000))

    def test_unknown_qemu_message_is_unparsable(self):
        self.assertRaises(rfb_filter.UnparsableStream,
                          rfb_filter.ViewOnlyFilter().feed,
                          struct.pack('!BB', 255, 9))
