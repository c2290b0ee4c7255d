"""Request schemas derived from the console-type registry (spec B 1.2, 2)."""

import testtools

from console_api.api import microversion
from console_api.api.schemas import remote_consoles

V = microversion.Version
PROTOCOLS_V26 = ['vnc', 'spice', 'serial', 'rdp']
TYPES_V26 = ['novnc', 'xvpvnc', 'spice-html5', 'serial', 'rdp-html5']


def enums(schema, key, *fields):
    properties = schema['properties'][key]['properties']
    return tuple(properties[field]['enum'] for field in fields)


class RemoteConsolesSchemaTest(testtools.TestCase):

    def test_nova_enums_per_version(self):
        for versions, protocols, types in (
                ((V(2, 6), V(2, 7)), PROTOCOLS_V26, TYPES_V26),
                ((V(2, 8), V(2, 98)), PROTOCOLS_V26 + ['mks'],
                 TYPES_V26 + ['webmks']),
                ((V(2, 99), V(2, 104)), PROTOCOLS_V26 + ['mks'],
                 TYPES_V26 + ['webmks', 'spice-direct'])):
            for version in versions:
                self.assertEqual(
                    (protocols, types),
                    enums(remote_consoles.create(version), 'remote_console',
                          'protocol', 'type'), version)

    def test_ranges_split_where_types_appear(self):
        self.assertEqual(
            [(V(2, 6), V(2, 7)), (V(2, 8), V(2, 98)), (V(2, 99), None)],
            [(low, high) for low, high, _schema
             in remote_consoles.create_ranges(microversion.REMOTE_CONSOLES)])

    def test_legacy_action_enums(self):
        for action, types in (('os-getVNCConsole', ['novnc', 'xvpvnc']),
                              ('os-getSPICEConsole', ['spice-html5']),
                              ('os-getSerialConsole', ['serial']),
                              ('os-getRDPConsole', ['rdp-html5'])):
            self.assertEqual(
                (types,),
                enums(remote_consoles.action(action), action, 'type'))
