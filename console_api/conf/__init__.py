"""Configuration options of console-api, one module per group.

``CONF`` is oslo.config's global object: oslo.messaging and oslo.log register
some of their options only there. Registering options is all that importing
this package does; nothing reads a value at import time.
"""

from oslo_config import cfg

from console_api.conf import api
from console_api.conf import compute
from console_api.conf import console
from console_api.conf import console_proxy
from console_api.conf import consoleauth
from console_api.conf import database
from console_api.conf import default
from console_api.conf import fake_driver
from console_api.conf import libvirt
from console_api.conf import log
from console_api.conf import messaging
from console_api.conf import middleware
from console_api.conf import mks
from console_api.conf import proxy
from console_api.conf import rdp
from console_api.conf import serial_console
from console_api.conf import spice
from console_api.conf import upgrade_levels
from console_api.conf import vnc
from console_api.conf import wsgi

CONF = cfg.CONF

for _module in (default, compute, api, wsgi, console, console_proxy,
                consoleauth, database, fake_driver, libvirt, log, messaging,
                middleware, mks, proxy, rdp, serial_console, spice,
                upgrade_levels, vnc):
    _module.register_opts(CONF)
