"""Tests of console_api.liveness."""

import datetime

from oslo_utils import fixture as utils_fixture
import testtools

from console_api.db import models
from console_api import liveness


class ServiceIsUpTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.now = datetime.datetime(2026, 1, 1, 12, 0, 0)
        self.useFixture(utils_fixture.TimeFixture(self.now))

    def _service(self, seconds_ago):
        seen = None
        if seconds_ago is not None:
            seen = self.now - datetime.timedelta(seconds=seconds_ago)
        return models.Service(host='h', binary='b', last_seen_up=seen)

    def test_recent(self):
        self.assertTrue(liveness.is_up(self._service(10), 60))
        self.assertTrue(liveness.is_up(self._service(60), 60))

    def test_stale(self):
        self.assertFalse(liveness.is_up(self._service(61), 60))

    def test_slightly_in_future(self):
        self.assertTrue(liveness.is_up(self._service(-5), 60))

    def test_never_seen(self):
        self.assertFalse(liveness.is_up(self._service(None), 60))
        self.assertFalse(liveness.is_up(None, 60))
