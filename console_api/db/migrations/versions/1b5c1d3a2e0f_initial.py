"""Initial schema: console_auth_tokens, instances and services.

Revision ID: 1b5c1d3a2e0f
Revises:
Create Date: 2026-09-01 00:00:00
"""

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '1b5c1d3a2e0f'
down_revision = None
branch_labels = None
depends_on = None

_MYSQL = {'mysql_engine': 'InnoDB', 'mysql_charset': 'utf8mb4'}


def upgrade():
    op.create_table(
        'console_auth_tokens',
        sa.Column('created_at', sa.DateTime(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column('token_hash', sa.String(255), nullable=False),
        sa.Column('console_type', sa.String(255), nullable=False),
        sa.Column('host', sa.String(255), nullable=False),
        sa.Column('port', sa.Integer(), nullable=False),
        sa.Column('tls_port', sa.Integer(), nullable=True),
        sa.Column('internal_access_path', sa.String(255), nullable=True),
        sa.Column('instance_uuid', sa.String(36), nullable=False),
        sa.Column('compute_host', sa.String(255), nullable=True),
        sa.Column('access_url_base', sa.String(255), nullable=True),
        sa.Column('expires', sa.Integer(), nullable=False),
        sa.UniqueConstraint('token_hash',
                            name='uniq_console_auth_tokens0token_hash'),
        sa.Index('console_auth_tokens_instance_uuid_idx', 'instance_uuid'),
        sa.Index('console_auth_tokens_host_expires_idx', 'host', 'expires'),
        sa.Index('console_auth_tokens_token_hash_instance_uuid_idx',
                 'token_hash', 'instance_uuid'),
        sa.Index('console_auth_tokens_expires_idx', 'expires'),
        **_MYSQL)

    op.create_table(
        'instances',
        sa.Column('created_at', sa.DateTime(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column('uuid', sa.String(36), nullable=False),
        sa.Column('name', sa.String(255), nullable=True),
        sa.Column('project_id', sa.String(255), nullable=True),
        sa.Column('user_id', sa.String(255), nullable=True),
        sa.Column('host', sa.String(255), nullable=True),
        sa.Column('power_state', sa.Integer(), nullable=False),
        sa.Column('task_state', sa.String(255), nullable=True),
        sa.Column('deleted_at', sa.DateTime(), nullable=True),
        sa.Column('deleted', sa.Integer(), nullable=False),
        sa.UniqueConstraint('uuid', name='uniq_instances0uuid'),
        sa.Index('instances_project_id_idx', 'project_id'),
        sa.Index('instances_host_idx', 'host'),
        **_MYSQL)

    op.create_table(
        'services',
        sa.Column('created_at', sa.DateTime(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column('host', sa.String(255), nullable=True),
        sa.Column('binary', sa.String(255), nullable=True),
        sa.Column('rpc_version', sa.String(32), nullable=True),
        sa.Column('last_seen_up', sa.DateTime(), nullable=True),
        sa.UniqueConstraint('host', 'binary',
                            name='uniq_services0host0binary'),
        **_MYSQL)
