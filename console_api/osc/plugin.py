"""The openstackclient plugin module (``openstack.cli.extension``).

openstackclient asks this module for its API name and version option and
calls ``make_client`` on first use of ``client_manager.console``. The
client talks to the compute endpoint, which console-api serves: the
catalog's ``compute`` endpoint under Keystone, or ``--os-endpoint`` with
``--os-auth-type admin_token`` (noauth2 deployments).
"""

import logging

from osc_lib import utils

from console_api.osc import client

LOG = logging.getLogger(__name__)

DEFAULT_API_VERSION = '1'
API_VERSION_OPTION = 'os_console_api_version'
API_NAME = 'console'
API_VERSIONS = {'1': 'console_api.osc.client.ConsoleClient'}


def make_client(instance):
    """Return a ``ConsoleClient`` on the client manager's session."""
    endpoint = instance.get_endpoint_for_service_type(
        client.SERVICE_TYPE, region_name=instance.region_name,
        interface=instance.interface)
    LOG.debug('console-api endpoint: %s', endpoint)
    return client.ConsoleClient(instance.session, endpoint)


def build_option_parser(parser):
    """Add the plugin's global option."""
    parser.add_argument(
        '--os-console-api-version',
        metavar='<console-api-version>',
        default=utils.env('OS_CONSOLE_API_VERSION'),
        help='console-api plugin API version, default=%s '
             '(Env: OS_CONSOLE_API_VERSION)' % DEFAULT_API_VERSION)
    return parser
