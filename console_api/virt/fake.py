"""A hypervisor driver whose guests are listed in a YAML inventory file.

For demos and tests. ``[fake_driver] inventory_file`` names the file; the
shipped ``etc/console_api/fake-inventory.yaml`` documents the format. The
driver opens and stats the file on every call and parses it again only
when its identity, size or times changed, so a test or a demo moves,
stops or removes servers by rewriting the file. Rewrite it atomically
(write a new file, then rename it over the old one): a rename always
changes the identity, while an in-place rewrite of the same size within
the file system's timestamp granularity could go unnoticed.
"""

import functools
import os
import threading

import jsonschema
import yaml

from console_api.compute import power_state
from console_api.compute import task_states
from console_api import conf
from console_api.console import types as console_types
from console_api import exception
from console_api.virt import driver

CONSOLE_TYPES = tuple(dict.fromkeys(row.protocol
                                    for row in console_types.TYPES))

_UUID_PATTERN = (r'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-'
                 r'[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$')
_PORT = {'type': 'integer', 'minimum': 1, 'maximum': 65535}
_HOST = {'type': 'string', 'minLength': 1}
_ID = {'type': ['string', 'null'], 'minLength': 1}


def _endpoint_schema(kind):
    properties = {'host': _HOST, 'port': _PORT,
                  'internal_access_path': {'type': ['string', 'null']}}
    if kind == 'spice':  # only SPICE servers have a TLS port of their own
        properties['tls_port'] = _PORT
    return {'type': 'object', 'properties': properties,
            'required': ['host', 'port'], 'additionalProperties': False}


SCHEMA = {
    'type': 'object',
    'properties': {
        'servers': {
            'type': 'array',
            'items': {
                'type': 'object',
                'properties': {
                    'uuid': {'type': 'string', 'pattern': _UUID_PATTERN},
                    'name': {'type': 'string', 'minLength': 1},
                    'project_id': _ID,
                    'user_id': _ID,
                    'power_state': {'enum': sorted(power_state.BY_NAME)},
                    'task_state': {
                        'enum': sorted(task_states.CONSOLE_BLOCKING) + [None]},
                    'host': {'type': ['string', 'null'], 'minLength': 1},
                    'consoles': {
                        'type': 'object',
                        'properties': {kind: _endpoint_schema(kind)
                                       for kind in CONSOLE_TYPES},
                        'additionalProperties': False,
                    },
                },
                'required': ['uuid', 'name', 'power_state'],
                'additionalProperties': False,
            },
        },
    },
    'required': ['servers'],
    'additionalProperties': False,
}


class _Server:
    """One parsed inventory entry: its ``DomainInfo``, host and consoles."""

    def __init__(self, entry):
        self.host = entry.get('host')
        self.info = driver.DomainInfo(
            uuid=entry['uuid'].lower(),
            name=entry['name'],
            power_state=power_state.BY_NAME[entry['power_state']],
            project_id=entry.get('project_id'),
            user_id=entry.get('user_id'),
            task_state=entry.get('task_state'))
        self.consoles = {
            kind: driver.ConsoleEndpoint(
                host=spec['host'], port=spec['port'],
                tls_port=spec.get('tls_port'),
                internal_access_path=spec.get('internal_access_path'))
            for kind, spec in (entry.get('consoles') or {}).items()}


def _where(error):
    """Render a jsonschema error's location as ``servers[0].consoles``."""
    text = ''
    for part in error.absolute_path:
        text += '[%d]' % part if isinstance(part, int) else '.%s' % part
    return text.lstrip('.') or 'top level'


def parse_inventory(path, text):
    """Parse and validate inventory text; return ``{uuid: _Server}``.

    :raises console_api.exception.InventoryError: naming ``path`` and the
        first problem found.
    """
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise exception.InventoryError(path=path,
                                       reason='not valid YAML: %s' % exc)
    validator = jsonschema.Draft7Validator(SCHEMA)
    error = jsonschema.exceptions.best_match(validator.iter_errors(document))
    if error is not None:
        # The only pattern is the UUID's; its regex would not help a reader.
        message = ('%r is not a UUID' % error.instance
                   if error.validator == 'pattern' else error.message)
        raise exception.InventoryError(
            path=path, reason='%s: %s' % (_where(error), message))
    servers = {}
    for entry in document['servers']:
        server = _Server(entry)
        if server.info.uuid in servers:
            raise exception.InventoryError(
                path=path,
                reason='duplicate server uuid %s' % server.info.uuid)
        servers[server.info.uuid] = server
    return servers


class FakeDriver(driver.ComputeDriver):
    """Serves the guests of the inventory file that belong to this host.

    An entry without ``host`` belongs to every agent; an entry with one
    belongs only to the agent whose ``init_host`` received that name.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._host = None
        self._path = None
        self._stamp = None
        self._servers = {}

    def init_host(self, host):
        self._host = host
        self._path = os.path.abspath(conf.CONF.fake_driver.inventory_file)
        self._servers_now()

    def _servers_now(self):
        """Return the current ``{uuid: _Server}``, re-reading on change."""
        if self._path is None:
            raise exception.InventoryError(
                path=conf.CONF.fake_driver.inventory_file,
                reason='init_host() was not called')
        with self._lock:
            try:
                # Opened first and stat'ed through the descriptor, so the
                # stamp describes exactly the bytes read.
                with open(self._path, 'rb') as handle:
                    info = os.fstat(handle.fileno())
                    stamp = (info.st_dev, info.st_ino, info.st_size,
                             info.st_mtime_ns, info.st_ctime_ns)
                    if stamp == self._stamp:
                        return self._servers
                    text = handle.read()
            except OSError as exc:
                raise exception.InventoryError(
                    path=self._path, reason=exc.strerror or str(exc))
            # The stamp is stored only after a good parse: a broken file
            # keeps failing until it is fixed, never serves stale data.
            self._servers = parse_inventory(self._path, text)
            self._stamp = stamp
            return self._servers

    def _server(self, instance_uuid):
        server = self._servers_now().get(str(instance_uuid).lower())
        if server is None or not self._mine(server):
            raise exception.InstanceNotFound(instance_id=instance_uuid)
        return server

    def _mine(self, server):
        return server.host is None or server.host == self._host

    def _console(self, kind, instance_uuid):
        endpoint = self._server(instance_uuid).consoles.get(kind)
        if endpoint is None:
            raise exception.ConsoleTypeUnavailable(console_type=kind)
        return endpoint

    def list_domains(self):
        return [server.info for server in self._servers_now().values()
                if self._mine(server)]

    def cleanup_host(self):
        with self._lock:
            self._servers = {}
            self._stamp = None


# A getter per inventory key, so that a new console type needs no code here
# and a test can still make one kind's getter fail.
for _kind in CONSOLE_TYPES:
    setattr(FakeDriver, driver.getter_name(_kind),
            functools.partialmethod(FakeDriver._console, _kind))
