"""SQLAlchemy models of console-api's tables.

The alembic migrations under ``console_api/db/migrations`` create exactly
this schema; ``tests/functional/db/test_migrations.py`` proves the two agree.
"""

from oslo_db.sqlalchemy import models
from sqlalchemy import orm
from sqlalchemy import schema
from sqlalchemy import types


class Base(models.ModelBase, orm.DeclarativeBase):
    """Declarative base with oslo.db's dict-style helpers."""

    # Tables are used with InnoDB/utf8mb4 on MySQL; other backends ignore it.
    __table_args__ = {'mysql_engine': 'InnoDB', 'mysql_charset': 'utf8mb4'}


class ConsoleAuthToken(models.TimestampMixin, Base):
    """A console token, stored only as its SHA-256.

    ``compute_host`` is the agent that issued the token: before it connects,
    the proxy reads in the database that the instance is still on that
    host. ``host``/``port`` are where the console itself listens.
    """

    __tablename__ = 'console_auth_tokens'
    __table_args__ = (
        schema.UniqueConstraint(
            'token_hash', name='uniq_console_auth_tokens0token_hash'),
        schema.Index('console_auth_tokens_instance_uuid_idx',
                     'instance_uuid'),
        schema.Index('console_auth_tokens_host_expires_idx',
                     'host', 'expires'),
        schema.Index('console_auth_tokens_token_hash_instance_uuid_idx',
                     'token_hash', 'instance_uuid'),
        # The purge walks expired rows through this index.
        schema.Index('console_auth_tokens_expires_idx', 'expires'),
        schema.Index('console_auth_tokens_session_id_idx', 'session_id'),
        Base.__table_args__,
    )

    id = schema.Column(types.Integer, primary_key=True, autoincrement=True)
    token_hash = schema.Column(types.String(255), nullable=False)
    console_type = schema.Column(types.String(255), nullable=False)
    host = schema.Column(types.String(255), nullable=False)
    port = schema.Column(types.Integer, nullable=False)
    tls_port = schema.Column(types.Integer, nullable=True)
    internal_access_path = schema.Column(types.String(255), nullable=True)
    instance_uuid = schema.Column(types.String(36), nullable=False)
    compute_host = schema.Column(types.String(255), nullable=True)
    access_url_base = schema.Column(types.String(255), nullable=True)
    # Unix seconds; valid while expires > now.
    expires = schema.Column(types.Integer, nullable=False)
    # The console session this token opens (its uuid); null for tokens
    # issued before sessions were recorded.
    session_id = schema.Column(types.String(36), nullable=True)


class ConsoleSession(models.TimestampMixin, Base):
    """One console handed out: who asked, who connected, how it ended.

    Outlives its token (kept ``[consoleauth] session_retention`` after it
    ends) and never holds the token or its hash. ``status`` is one of
    ``console_api.console.sessions.STATUSES``.
    """

    __tablename__ = 'console_sessions'
    __table_args__ = (
        schema.UniqueConstraint('uuid', name='uniq_console_sessions0uuid'),
        # The list: a project's sessions, newest first, by status.
        schema.Index('console_sessions_project_created_idx',
                     'project_id', 'created_at'),
        schema.Index('console_sessions_created_idx', 'created_at'),
        schema.Index('console_sessions_updated_idx', 'updated_at'),
        schema.Index('console_sessions_user_idx', 'user_id'),
        # Active sessions of a server (limits, server gone).
        schema.Index('console_sessions_instance_status_idx',
                     'instance_uuid', 'status'),
        # Active sessions of a proxy (its checks, proxy_lost).
        schema.Index('console_sessions_proxy_status_idx',
                     'proxy_host', 'status'),
        # The purge and the expiry of unused ones.
        schema.Index('console_sessions_status_closed_idx',
                     'status', 'closed_at'),
        Base.__table_args__,
    )

    id = schema.Column(types.Integer, primary_key=True, autoincrement=True)
    uuid = schema.Column(types.String(36), nullable=False)
    instance_uuid = schema.Column(types.String(36), nullable=False)
    project_id = schema.Column(types.String(255), nullable=True)
    user_id = schema.Column(types.String(255), nullable=True)
    protocol = schema.Column(types.String(32), nullable=False)
    console_type = schema.Column(types.String(32), nullable=False)
    view_only = schema.Column(types.Boolean, nullable=False, default=False)
    status = schema.Column(types.String(16), nullable=False)
    expires_at = schema.Column(types.DateTime, nullable=False)
    connected_at = schema.Column(types.DateTime, nullable=True)
    closed_at = schema.Column(types.DateTime, nullable=True)
    close_reason = schema.Column(types.String(32), nullable=True)
    client_address = schema.Column(types.String(64), nullable=True)
    proxy_host = schema.Column(types.String(255), nullable=True)
    bytes_to_client = schema.Column(types.BigInteger, nullable=False,
                                    default=0)
    bytes_to_console = schema.Column(types.BigInteger, nullable=False,
                                     default=0)
    request_id = schema.Column(types.String(255), nullable=True)


class Instance(models.TimestampMixin, Base):
    """A server as its compute agent last reported it.

    Soft delete keeps ``uuid`` unique: an instance that reappears after it
    was removed gets its old row back (``deleted`` reset to 0) instead of a
    second row. ``deleted`` holds the row id once deleted, 0 while alive.
    """

    __tablename__ = 'instances'
    __table_args__ = (
        schema.UniqueConstraint('uuid', name='uniq_instances0uuid'),
        schema.Index('instances_project_id_idx', 'project_id'),
        schema.Index('instances_host_idx', 'host'),
        Base.__table_args__,
    )

    id = schema.Column(types.Integer, primary_key=True, autoincrement=True)
    uuid = schema.Column(types.String(36), nullable=False)
    name = schema.Column(types.String(255), nullable=True)
    project_id = schema.Column(types.String(255), nullable=True)
    user_id = schema.Column(types.String(255), nullable=True)
    host = schema.Column(types.String(255), nullable=True)
    power_state = schema.Column(types.Integer, nullable=False, default=0)
    task_state = schema.Column(types.String(255), nullable=True)
    deleted_at = schema.Column(types.DateTime, nullable=True)
    deleted = schema.Column(types.Integer, nullable=False, default=0)


class Service(models.TimestampMixin, Base):
    """A running service (a compute agent or proxy), its last heartbeat."""

    __tablename__ = 'services'
    __table_args__ = (
        schema.UniqueConstraint('host', 'binary',
                                name='uniq_services0host0binary'),
        Base.__table_args__,
    )

    id = schema.Column(types.Integer, primary_key=True, autoincrement=True)
    host = schema.Column(types.String(255), nullable=True)
    binary = schema.Column(types.String(255), nullable=True)
    rpc_version = schema.Column(types.String(32), nullable=True)
    last_seen_up = schema.Column(types.DateTime, nullable=True)
