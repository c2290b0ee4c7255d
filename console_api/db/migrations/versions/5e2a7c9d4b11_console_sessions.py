"""Console sessions, and the link from a token to its session.

Revision ID: 5e2a7c9d4b11
Revises: 1b5c1d3a2e0f
Create Date: 2026-11-29 00:00:00
"""

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '5e2a7c9d4b11'
down_revision = '1b5c1d3a2e0f'
branch_labels = None
depends_on = None

_MYSQL = {'mysql_engine': 'InnoDB', 'mysql_charset': 'utf8mb4'}


def upgrade():
    op.create_table(
        'console_sessions',
        sa.Column('created_at', sa.DateTime(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column('uuid', sa.String(36), nullable=False),
        sa.Column('instance_uuid', sa.String(36), nullable=False),
        sa.Column('project_id', sa.String(255), nullable=True),
        sa.Column('user_id', sa.String(255), nullable=True),
        sa.Column('protocol', sa.String(32), nullable=False),
        sa.Column('console_type', sa.String(32), nullable=False),
        sa.Column('view_only', sa.Boolean(), nullable=False),
        sa.Column('status', sa.String(16), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.Column('connected_at', sa.DateTime(), nullable=True),
        sa.Column('closed_at', sa.DateTime(), nullable=True),
        sa.Column('close_reason', sa.String(32), nullable=True),
        sa.Column('client_address', sa.String(64), nullable=True),
        sa.Column('proxy_host', sa.String(255), nullable=True),
        sa.Column('bytes_to_client', sa.BigInteger(), nullable=False),
        sa.Column('bytes_to_console', sa.BigInteger(), nullable=False),
        sa.Column('request_id', sa.String(255), nullable=True),
        sa.UniqueConstraint('uuid', name='uniq_console_sessions0uuid'),
        sa.Index('console_sessions_project_created_idx',
                 'project_id', 'created_at'),
        sa.Index('console_sessions_created_idx', 'created_at'),
        sa.Index('console_sessions_updated_idx', 'updated_at'),
        sa.Index('console_sessions_user_idx', 'user_id'),
        sa.Index('console_sessions_instance_status_idx',
                 'instance_uuid', 'status'),
        sa.Index('console_sessions_proxy_status_idx',
                 'proxy_host', 'status'),
        sa.Index('console_sessions_status_closed_idx',
                 'status', 'closed_at'),
        **_MYSQL)
    with op.batch_alter_table('console_auth_tokens') as batch:
        batch.add_column(sa.Column('session_id', sa.String(36),
                                   nullable=True))
        batch.create_index('console_auth_tokens_session_id_idx',
                           ['session_id'])
