"""A throw-away Keystone for tests: sqlite, Fernet tokens, gunicorn.

``KeystoneServer.start()`` writes a keystone.conf in a temporary directory,
runs ``keystone-manage`` (db_sync, fernet_setup, credential_setup,
bootstrap) from the Keystone virtualenv that ``tools/ci/keystone-venv.sh``
builds, serves Keystone with gunicorn on a free loopback port, and creates
through Keystone's REST API the projects, users and role assignments the
tests log in as. ``stop()`` ends gunicorn and removes the directory.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid

from keystoneauth1.identity import v3
from keystoneauth1 import session as ks_session
import requests

HERE = os.path.dirname(os.path.abspath(__file__))
VENV_ENV = 'CONSOLE_API_KEYSTONE_VENV'
DEFAULT_VENV = '/tmp/console-api-keystone-venv'
REQUIRE_ENV = 'CONSOLE_API_TEST_REQUIRE_SERVICES'
START_TIMEOUT = 120
ADMIN_PROJECT = 'admin'
DOMAIN = 'default'

KEYSTONE_CONF = """[DEFAULT]
use_stderr = true

[database]
connection = sqlite:///{workdir}/keystone.sqlite

[token]
provider = fernet
expiration = 3600

[fernet_tokens]
key_repository = {workdir}/fernet-keys

[fernet_receipts]
key_repository = {workdir}/fernet-keys

[credential]
key_repository = {workdir}/credential-keys

[identity]
# The fewest bcrypt rounds allowed: tests log in often.
password_hash_rounds = 4

[cache]
enabled = false
"""


def services_required():
    """Whether a missing service fails the test instead of skipping it."""
    return os.environ.get(REQUIRE_ENV) == '1'


def venv_path():
    return os.environ.get(VENV_ENV, DEFAULT_VENV)


def venv_unavailable():
    """Return ``None`` when the Keystone virtualenv is usable, else why."""
    venv = venv_path()
    for tool in ('keystone-manage', 'gunicorn', 'python'):
        if not os.access(os.path.join(venv, 'bin', tool), os.X_OK):
            return ('no %s in the Keystone virtualenv %s; build it with '
                    'tools/ci/keystone-venv.sh' % (tool, venv))
    return None


def _free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


class User(object):
    """A Keystone user scoped to one project, with a fresh token per call."""

    def __init__(self, server, name, password, project_name, user_id=None,
                 project_id=None):
        self.server = server
        self.name = name
        self.password = password
        self.project_name = project_name
        self.user_id = user_id
        self.project_id = project_id

    def token(self):
        """Return a new project-scoped token of this user."""
        auth = v3.Password(auth_url=self.server.auth_url,
                           username=self.name, password=self.password,
                           user_domain_id=DOMAIN,
                           project_name=self.project_name,
                           project_domain_id=DOMAIN)
        return ks_session.Session(auth=auth).get_token()


class KeystoneServer(object):
    """One Keystone deployment on a loopback port.

    After ``start()``: ``auth_url`` (``http://127.0.0.1:PORT/v3``),
    ``users`` (name -> ``User``), ``projects`` (name -> id) and
    ``service_user`` (what keystonemiddleware validates tokens as).
    """

    #: project name -> {user name: role}
    LAYOUT = {
        'console-a': {'member-a': 'member', 'reader-a': 'reader'},
        'console-b': {'member-b': 'member'},
        'service': {'console-api': 'service'},
    }

    def __init__(self, venv=None):
        self.venv = venv or venv_path()
        self.workdir = None
        self.process = None
        self.port = None
        self.auth_url = None
        self.users = {}
        self.projects = {}
        self.log_path = None

    # -- lifecycle ---------------------------------------------------------

    def start(self):
        """Provision and serve Keystone; raise ``RuntimeError`` if it fails.

        On failure everything already started is stopped again.
        """
        self.workdir = tempfile.mkdtemp(prefix='console-api-keystone-')
        try:
            self._provision()
            self._serve()
            self._populate()
        except BaseException:
            self.stop()
            raise

    def stop(self):
        """Stop gunicorn and remove the deployment's directory."""
        if self.process is not None:
            if self.process.poll() is None:
                # gunicorn's arbiter stops its workers on SIGTERM.
                self.process.send_signal(signal.SIGTERM)
                try:
                    self.process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
            self.process = None
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None

    # -- steps ---------------------------------------------------------------

    @property
    def conf_file(self):
        return os.path.join(self.workdir, 'keystone.conf')

    def _bin(self, name):
        return os.path.join(self.venv, 'bin', name)

    def _run(self, *args):
        result = subprocess.run(
            [self._bin('keystone-manage'), '--config-file', self.conf_file]
            + list(args),
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, universal_newlines=True)
        if result.returncode != 0:
            raise RuntimeError('keystone-manage %s failed (%d): %s'
                               % (args[0], result.returncode,
                                  result.stdout[-2000:]))

    def _provision(self):
        self.port = _free_port()
        self.auth_url = 'http://127.0.0.1:%d/v3' % self.port
        with open(self.conf_file, 'w') as out:
            out.write(KEYSTONE_CONF.format(workdir=self.workdir))
        user = str(os.getuid())
        group = str(os.getgid())
        self._run('db_sync')
        self._run('fernet_setup', '--keystone-user', user,
                  '--keystone-group', group)
        self._run('credential_setup', '--keystone-user', user,
                  '--keystone-group', group)
        self.admin_password = uuid.uuid4().hex
        self._run('bootstrap', '--bootstrap-password', self.admin_password,
                  '--bootstrap-username', 'admin',
                  '--bootstrap-project-name', ADMIN_PROJECT,
                  '--bootstrap-role-name', 'admin',
                  '--bootstrap-region-id', 'RegionOne',
                  '--bootstrap-admin-url', self.auth_url,
                  '--bootstrap-public-url', self.auth_url,
                  '--bootstrap-internal-url', self.auth_url)

    def _serve(self):
        env = dict(os.environ,
                   OS_KEYSTONE_CONFIG_DIR=self.workdir,
                   OS_KEYSTONE_CONFIG_FILES='keystone.conf',
                   PYTHONWARNINGS='ignore')
        # Keystone's own variables only: our virtualenv's path would mix
        # the two dependency sets.
        env.pop('PYTHONPATH', None)
        env.pop('VIRTUAL_ENV', None)
        self.log_path = os.path.join(self.workdir, 'gunicorn.log')
        with open(self.log_path, 'w') as log:
            self.process = subprocess.Popen(
                [self._bin('gunicorn'), '--bind', '127.0.0.1:%d' % self.port,
                 '--workers', '1', '--threads', '4', '--timeout', '120',
                 '--chdir', HERE, 'keystone_wsgi:application'],
                env=env, stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if self.process.poll() is not None:
                raise RuntimeError('Keystone exited with status %s: %s'
                                   % (self.process.returncode, self._log()))
            try:
                if requests.get(self.auth_url, timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError('Keystone did not answer on %s in %ds: %s'
                                   % (self.auth_url, START_TIMEOUT,
                                      self._log()))
            time.sleep(0.2)

    def _log(self):
        try:
            with open(self.log_path) as log:
                return log.read()[-3000:]
        except OSError:
            return ''

    def _populate(self):
        admin = User(self, 'admin', self.admin_password, ADMIN_PROJECT)
        api = _AdminAPI(self.auth_url, admin.token())
        roles = {role['name']: role['id'] for role in api.get('roles')}
        if 'service' not in roles:
            roles['service'] = api.create('roles', 'role',
                                          {'name': 'service'})
        admin.user_id = api.find('users', 'admin')
        admin.project_id = api.find('projects', ADMIN_PROJECT)
        self.users['admin'] = admin
        self.projects[ADMIN_PROJECT] = admin.project_id
        for project_name, members in sorted(self.LAYOUT.items()):
            project_id = api.create('projects', 'project', {
                'name': project_name, 'domain_id': DOMAIN})
            self.projects[project_name] = project_id
            for user_name, role in sorted(members.items()):
                password = uuid.uuid4().hex
                user_id = api.create('users', 'user', {
                    'name': user_name, 'password': password,
                    'domain_id': DOMAIN, 'default_project_id': project_id})
                api.put('projects/%s/users/%s/roles/%s'
                        % (project_id, user_id, roles[role]))
                self.users[user_name] = User(self, user_name, password,
                                             project_name, user_id,
                                             project_id)

    @property
    def service_user(self):
        return self.users['console-api']

    def add_endpoint(self, service_type, url):
        """Put a service with a public ``url`` in the catalog.

        :returns: a function that takes it out again.
        """
        api = _AdminAPI(self.auth_url, self.users['admin'].token())
        service_id = api.create('services', 'service', {
            'type': service_type, 'name': 'test-' + service_type})
        api.create('endpoints', 'endpoint', {
            'service_id': service_id, 'interface': 'public', 'url': url,
            'region_id': 'RegionOne'})

        def remove():
            # Deleting a service deletes its endpoints.
            _AdminAPI(self.auth_url, self.users['admin'].token()).delete(
                'services/%s' % service_id)
        return remove

    def expired_token(self, user):
        """Return a token of ``user`` that Keystone signed but expired."""
        result = subprocess.run(
            [self._bin('python'), os.path.join(HERE, 'expired_token.py'),
             self.conf_file, user.user_id, user.project_id],
            env=dict(os.environ, PYTHONWARNINGS='ignore'),
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, universal_newlines=True, check=False)
        if result.returncode != 0:
            raise RuntimeError('expired_token.py failed: %s'
                               % result.stderr[-2000:])
        return result.stdout.strip().splitlines()[-1]


class _AdminAPI(object):
    """The few Keystone v3 admin calls the setup makes."""

    def __init__(self, base_url, token):
        self.base_url = base_url
        self.headers = {'X-Auth-Token': token,
                        'Content-Type': 'application/json'}

    def _check(self, response):
        if response.status_code >= 300:
            raise RuntimeError('%s %s: %s %s' % (
                response.request.method, response.url,
                response.status_code, response.text[:500]))
        return response

    def get(self, collection):
        response = self._check(requests.get(
            '%s/%s' % (self.base_url, collection), headers=self.headers,
            timeout=30))
        return response.json()[collection]

    def find(self, collection, name):
        for item in self.get(collection):
            if item['name'] == name:
                return item['id']
        raise RuntimeError('Keystone has no %s named %s' % (collection, name))

    def create(self, collection, member, body):
        response = self._check(requests.post(
            '%s/%s' % (self.base_url, collection), headers=self.headers,
            json={member: body}, timeout=30))
        return response.json()[member]['id']

    def put(self, path):
        self._check(requests.put('%s/%s' % (self.base_url, path),
                                 headers=self.headers, timeout=30))

    def delete(self, path):
        self._check(requests.delete('%s/%s' % (self.base_url, path),
                                    headers=self.headers, timeout=30))


if __name__ == '__main__':
    # Manual use: start a deployment, print its users, serve until Ctrl-C.
    server = KeystoneServer()
    server.start()
    try:
        print(server.auth_url)
        for name, user in sorted(server.users.items()):
            print(name, user.password, user.project_name)
        sys.stdout.flush()
        server.process.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
