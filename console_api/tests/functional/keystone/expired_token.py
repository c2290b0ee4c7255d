"""Print a Fernet token that expired in 2001, run in the Keystone venv.

Usage: ``python expired_token.py KEYSTONE_CONF USER_ID PROJECT_ID``. The
token is signed with the deployment's own keys and scoped like a password
token of the user on the project, so Keystone rejects it only because it
has expired.
"""

import base64
import os
import sys


def main():
    conf_file, user_id, project_id = sys.argv[1:4]
    sys.argv = sys.argv[:1]
    import keystone.conf
    from keystone.token import token_formatters

    keystone.conf.configure()
    keystone.conf.CONF(['--config-file', conf_file], project='keystone')
    audit_id = base64.urlsafe_b64encode(os.urandom(16)).rstrip(b'=')
    token = token_formatters.TokenFormatter().create_token(
        user_id, '2001-01-01T00:00:00.000000Z', [audit_id.decode()],
        token_formatters.ProjectScopedPayload, methods=['password'],
        project_id=project_id)
    print(token)


if __name__ == '__main__':
    main()
