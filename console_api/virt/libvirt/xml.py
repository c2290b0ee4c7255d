"""Reading console endpoints and Nova ownership from libvirt domain XML.

Pure functions over ``xml.etree`` elements, so they are tested without a
hypervisor. The XML comes from libvirt itself (``virDomainGetXMLDesc``),
which never emits a DTD, so expat's handling of entities is not a concern.
"""

from xml.etree import ElementTree

from console_api import exception
from console_api.virt import driver

NOVA_NS = 'http://openstack.org/xmlns/libvirt/nova/1.1'
_OWNER = './metadata/{%s}instance/{%s}owner' % (NOVA_NS, NOVA_NS)


def parse(text):
    """Return the root element of a domain XML document.

    :raises ValueError: the text is not well-formed XML.
    """
    try:
        return ElementTree.fromstring(text)
    except ElementTree.ParseError as exc:
        raise ValueError('domain XML is not well-formed: %s' % exc)


def owner(root):
    """Return ``(project_id, user_id)`` from Nova's metadata, or Nones.

    Nova writes ``<nova:owner>`` with ``<nova:project uuid=...>`` and
    ``<nova:user uuid=...>``; the ``uuid`` attributes are the ids, the
    element texts only display names.
    """
    element = root.find(_OWNER)
    if element is None:
        return None, None
    return (_attr(element.find('{%s}project' % NOVA_NS), 'uuid'),
            _attr(element.find('{%s}user' % NOVA_NS), 'uuid'))


def _attr(element, name):
    if element is None:
        return None
    return element.get(name) or None


def _port(value):
    """Return a listening TCP port from an attribute, or ``None``.

    An inactive domain with ``autoport`` reports ``-1`` or nothing.
    """
    try:
        port = int(value)
    except (TypeError, ValueError):
        return None
    return port if 0 < port < 65536 else None


def graphics_endpoint(root, graphics_type, host):
    """Return the ``ConsoleEndpoint`` of the first graphics of a type.

    :param graphics_type: ``vnc``, ``spice`` or ``rdp``; also the
        ``console_type`` of the error.
    :param host: the address a proxy uses to reach this compute host.
    :raises console_api.exception.ConsoleTypeUnavailable: no such graphics,
        or it has no port yet.
    """
    graphics = root.find("./devices/graphics[@type='%s']" % graphics_type)
    port = None if graphics is None else _port(graphics.get('port'))
    if port is None:
        raise exception.ConsoleTypeUnavailable(console_type=graphics_type)
    tls_port = None
    if graphics_type == 'spice':
        tls_port = _port(graphics.get('tlsPort'))
    return driver.ConsoleEndpoint(host=host, port=port, tls_port=tls_port)


def serial_endpoint(root, default_host):
    """Return the ``ConsoleEndpoint`` of the first TCP serial in bind mode.

    Serial ports come first; a TCP ``<console>`` is the fallback (s390x
    guests have no serial device). The endpoint host is the source's
    ``host`` attribute; ``default_host`` is used when the source listens on
    every address or names none.

    :raises console_api.exception.ConsoleTypeUnavailable: no TCP serial
        port or console listens.
    """
    for device in ('serial', 'console'):
        for source in root.findall(
                "./devices/%s[@type='tcp']/source[@mode='bind']" % device):
            port = _port(source.get('service'))
            if port is None:
                continue
            host = source.get('host')
            if not host or host in ('0.0.0.0', '::'):
                host = default_host
            return driver.ConsoleEndpoint(host=host, port=port)
    raise exception.ConsoleTypeUnavailable(console_type='serial')
