"""Authenticator app secrets sealed at rest

second_factors.secret now holds "v1:" and the AES-GCM box of the base-32 secret
(panel/accounts/secret_box.py), keyed from TOTP_ENCRYPTION_KEY or SECRET_KEY, so the
column grows to 128 characters and every secret stored in the clear is sealed. Run it
with the production settings (flask db upgrade does): the key comes from the app.
Downgrading opens them again.

Revision ID: 0005_sealed_totp
Revises: 0004_totp
Create Date: 2026-11-22 06:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_sealed_totp'
down_revision = '0004_totp'
branch_labels = None
depends_on = None

factors = sa.table('second_factors', sa.column('user_id', sa.Integer),
                   sa.column('secret', sa.String))


def _rewrite(change):
    connection = op.get_bind()
    for user_id, secret in connection.execute(
            sa.select(factors.c.user_id, factors.c.secret)).all():
        new = change(secret, user_id)
        if new != secret:
            connection.execute(factors.update().where(factors.c.user_id == user_id)
                               .values(secret=new))


def upgrade():
    from panel.accounts.secret_box import PREFIX, seal

    with op.batch_alter_table('second_factors', schema=None) as batch_op:
        batch_op.alter_column('secret', existing_type=sa.String(length=64),
                              type_=sa.String(length=128), existing_nullable=False)
    _rewrite(lambda secret, user_id: secret if secret.startswith(PREFIX)
             else seal(secret, user_id))


def downgrade():
    from panel.accounts.secret_box import unseal

    _rewrite(lambda secret, user_id: unseal(secret, user_id))
    with op.batch_alter_table('second_factors', schema=None) as batch_op:
        batch_op.alter_column('secret', existing_type=sa.String(length=128),
                              type_=sa.String(length=64), existing_nullable=False)
