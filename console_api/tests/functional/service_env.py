"""Which database and message bus the functional suite runs on.

The functional tests run on sqlite with the in-process ``inproc://``
transport unless the environment asks for real services:

``CONSOLE_API_TEST_BACKEND``
    ``sqlite`` (default), ``postgresql`` or ``mysql``. For the last two each
    test process creates one database with a unique name under the
    ``openstack_citest`` account, builds the schema once, empties every
    table after each test and drops the database when the process exits.
``CONSOLE_API_TEST_TRANSPORT``
    ``inproc`` or ``rabbit``; the default is ``inproc`` with sqlite and
    ``rabbit`` with a real database. With ``rabbit`` each test process gets
    its own RabbitMQ virtual host (made with ``rabbitmqctl``), so parallel
    workers never share a queue; it is deleted when the process exits.
``CONSOLE_API_TEST_POSTGRESQL_URL``, ``CONSOLE_API_TEST_MYSQL_URL``,
``CONSOLE_API_TEST_RABBIT_URL``
    Where the servers are; the defaults are the conventional OpenStack CI
    accounts on 127.0.0.1 (see ``tools/test-setup.sh``) and
    ``rabbit://guest:guest@127.0.0.1:5672/``.
``CONSOLE_API_TEST_REQUIRE_SERVICES``
    ``1`` (CI): a service that cannot be reached fails the test instead of
    skipping it. The reason always names the service and its address.
"""

import atexit
import os
import shutil
import subprocess
import threading
import urllib.parse
import uuid

import sqlalchemy as sa

BACKEND_ENV = 'CONSOLE_API_TEST_BACKEND'
TRANSPORT_ENV = 'CONSOLE_API_TEST_TRANSPORT'
REQUIRE_ENV = 'CONSOLE_API_TEST_REQUIRE_SERVICES'

DEFAULT_URLS = {
    'postgresql': ('CONSOLE_API_TEST_POSTGRESQL_URL',
                   'postgresql+psycopg2://openstack_citest:openstack_citest'
                   '@127.0.0.1:5432/openstack_citest'),
    'mysql': ('CONSOLE_API_TEST_MYSQL_URL',
              'mysql+pymysql://openstack_citest:openstack_citest'
              '@127.0.0.1:3306/openstack_citest'),
    'rabbit': ('CONSOLE_API_TEST_RABBIT_URL',
               'rabbit://guest:guest@127.0.0.1:5672/'),
}

BACKENDS = ('sqlite', 'postgresql', 'mysql')
TRANSPORTS = ('inproc', 'rabbit')

# Tables the migrations own; never emptied between tests.
_KEEP_TABLES = frozenset(['alembic_version'])


class ServiceUnavailable(Exception):
    """A real service the tests were asked to use cannot be reached."""


def services_required():
    """True when an unreachable service must fail rather than skip."""
    return os.environ.get(REQUIRE_ENV, '').lower() in ('1', 'true', 'yes')


def backend_name():
    """The database backend asked for by the environment."""
    name = os.environ.get(BACKEND_ENV, 'sqlite').strip().lower() or 'sqlite'
    if name not in BACKENDS:
        raise ValueError('%s=%s: expected one of %s'
                         % (BACKEND_ENV, name, ', '.join(BACKENDS)))
    return name


def transport_name():
    """The transport asked for by the environment (default per backend)."""
    default = 'inproc' if backend_name() == 'sqlite' else 'rabbit'
    name = os.environ.get(TRANSPORT_ENV, default).strip().lower() or default
    if name not in TRANSPORTS:
        raise ValueError('%s=%s: expected one of %s'
                         % (TRANSPORT_ENV, name, ', '.join(TRANSPORTS)))
    return name


def service_url(kind):
    """The configured URL of ``postgresql``, ``mysql`` or ``rabbit``."""
    env, default = DEFAULT_URLS[kind]
    return os.environ.get(env) or default


def describe_address(url):
    """``host:port`` of a service URL, for messages (no credentials)."""
    parsed = urllib.parse.urlsplit(url)
    return '%s:%s' % (parsed.hostname or 'localhost', parsed.port or '-')


def unavailable(test, reason):
    """Skip ``test`` with ``reason``, or fail it when services are required.

    :raises testtools.TestCase.skipException: outside CI.
    :raises ServiceUnavailable: when ``CONSOLE_API_TEST_REQUIRE_SERVICES``.
    """
    if services_required():
        raise ServiceUnavailable('%s (%s=1, so this fails instead of '
                                 'skipping)' % (reason, REQUIRE_ENV))
    raise test.skipException(reason)


# Databases

class ProvisionedDatabase(object):
    """One uniquely named database on a PostgreSQL or MySQL server.

    :param kind: ``postgresql`` or ``mysql``.
    :param admin_url: URL of an account allowed to create databases.
    """

    def __init__(self, kind, admin_url):
        self.kind = kind
        self.admin_url = sa.engine.make_url(admin_url)
        self.name = 'console_api_%s' % uuid.uuid4().hex[:12]
        self.url = self.admin_url.set(database=self.name)
        self._engine = None

    @property
    def address(self):
        return '%s:%s' % (self.admin_url.host, self.admin_url.port)

    def create(self):
        """Create the database.

        :raises ServiceUnavailable: the server refused or cannot be reached.
        """
        try:
            admin = sa.create_engine(self.admin_url,
                                     isolation_level='AUTOCOMMIT')
            with admin.connect() as conn:
                conn.execute(sa.text('CREATE DATABASE %s' % self.name))
            admin.dispose()
        except sa.exc.DBAPIError as exc:
            raise ServiceUnavailable(
                '%s at %s as %s is unreachable or refused CREATE DATABASE: '
                '%s' % (self.kind, self.address, self.admin_url.username,
                        str(exc.orig).strip().splitlines()[0]))

    def engine(self):
        if self._engine is None:
            self._engine = sa.create_engine(self.url)
        return self._engine

    def empty_tables(self):
        """Delete every row of every table but the migrations' own."""
        engine = self.engine()
        meta = sa.MetaData()
        meta.reflect(bind=engine)
        with engine.begin() as conn:
            # Children before parents, should foreign keys ever appear.
            for table in reversed(meta.sorted_tables):
                if table.name not in _KEEP_TABLES:
                    conn.execute(table.delete())

    def drop(self):
        """Drop the database, closing this process's connections first."""
        if self._engine is not None:
            self._engine.dispose()
        admin = sa.create_engine(self.admin_url, isolation_level='AUTOCOMMIT')
        with admin.connect() as conn:
            if self.kind == 'postgresql':
                # A leftover pooled connection would make DROP wait forever.
                conn.execute(sa.text(
                    'SELECT pg_terminate_backend(pid) FROM pg_stat_activity '
                    'WHERE datname = :name AND pid <> pg_backend_pid()'),
                    {'name': self.name})
            conn.execute(sa.text('DROP DATABASE IF EXISTS %s' % self.name))
        admin.dispose()


# RabbitMQ

class RabbitVhost(object):
    """A virtual host of its own on the RabbitMQ broker for this process.

    :param base_url: ``rabbit://user:password@host:port/`` of the broker.
    """

    def __init__(self, base_url):
        self.base_url = base_url
        parsed = urllib.parse.urlsplit(base_url)
        self.user = urllib.parse.unquote(parsed.username or 'guest')
        self.address = describe_address(base_url)
        self.name = 'console_api_%s' % uuid.uuid4().hex[:12]
        self.url = urllib.parse.urlunsplit(
            parsed._replace(path='/' + self.name))

    def check_reachable(self):
        """Log in to the broker's default vhost once.

        :raises ServiceUnavailable: the broker cannot be reached.
        """
        import kombu
        url = self.base_url.replace('rabbit://', 'amqp://', 1)
        try:
            with kombu.Connection(url, connect_timeout=3) as conn:
                conn.ensure_connection(max_retries=1)
        except Exception as exc:
            raise ServiceUnavailable('RabbitMQ at %s is unreachable: %s'
                                     % (self.address, exc))

    def create(self):
        """Add the vhost and give the URL's user every permission on it.

        :raises ServiceUnavailable: the broker or ``rabbitmqctl`` fails.
        """
        self.check_reachable()
        if shutil.which('rabbitmqctl') is None:
            raise ServiceUnavailable(
                'RabbitMQ at %s: rabbitmqctl is not installed, so the tests '
                'cannot get a virtual host of their own' % self.address)
        for args in (['add_vhost', self.name],
                     ['set_permissions', '-p', self.name, self.user,
                      '.*', '.*', '.*']):
            result = subprocess.run(['rabbitmqctl', '-q'] + args,
                                    capture_output=True, text=True)
            if result.returncode:
                raise ServiceUnavailable(
                    'RabbitMQ at %s: rabbitmqctl %s failed: %s'
                    % (self.address, args[0],
                       (result.stderr or result.stdout).strip()))

    def delete(self):
        subprocess.run(['rabbitmqctl', '-q', 'delete_vhost', self.name],
                       capture_output=True)


# Per-process state: services are set up on first use and torn down at exit.

_LOCK = threading.Lock()
_DATABASES = {}
_VHOSTS = {}
_FAILURES = {}


def _once(registry, key, make):
    """Build ``registry[key]`` once per process; remember a failure too."""
    with _LOCK:
        if key in _FAILURES:
            raise ServiceUnavailable(_FAILURES[key])
        if key not in registry:
            try:
                registry[key] = make()
            except ServiceUnavailable as exc:
                _FAILURES[key] = str(exc)
                raise
        return registry[key]


def _make_database(kind):
    database = ProvisionedDatabase(kind, service_url(kind))
    database.create()
    atexit.register(database.drop)
    return database


def _make_vhost():
    vhost = RabbitVhost(service_url('rabbit'))
    vhost.create()
    atexit.register(vhost.delete)
    return vhost


def shared_database(kind):
    """This process's database on ``kind``, created on first call.

    :raises ServiceUnavailable: the server cannot be used.
    """
    return _once(_DATABASES, kind, lambda: _make_database(kind))


def shared_vhost():
    """This process's RabbitMQ virtual host, created on first call.

    :raises ServiceUnavailable: the broker cannot be used.
    """
    return _once(_VHOSTS, 'rabbit', _make_vhost)


def database_url(test, tmpdir):
    """The ``[database] connection`` for ``test`` on the selected backend.

    sqlite: a new file in ``tmpdir``. PostgreSQL/MySQL: the process's
    database; a cleanup on ``test`` empties its tables afterwards. Skips or
    fails ``test`` (see ``unavailable``) when the server cannot be used.
    """
    kind = backend_name()
    if kind == 'sqlite':
        return 'sqlite:///' + os.path.join(tmpdir, 'db.sqlite')
    try:
        database = shared_database(kind)
    except ServiceUnavailable as exc:
        unavailable(test, str(exc))
    test.addCleanup(database.empty_tables)
    return database.url.render_as_string(hide_password=False)


def transport_url(test):
    """The ``transport_url`` for ``test`` on the selected transport."""
    if transport_name() == 'inproc':
        return 'inproc://'
    try:
        return shared_vhost().url
    except ServiceUnavailable as exc:
        unavailable(test, str(exc))


def skip_unless_inproc(test, why):
    """Skip ``test`` on a real broker; ``why`` says what needs inproc."""
    if transport_name() != 'inproc':
        raise test.skipException('needs the inproc:// transport: ' + why)


def skip_unless_sqlite(test, why):
    """Skip ``test`` on a real database; ``why`` says what needs sqlite."""
    if backend_name() != 'sqlite':
        raise test.skipException('needs sqlite: ' + why)
