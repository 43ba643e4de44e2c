"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-26 01:12:57.460987
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('community_partner',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('organization', sqlmodel.sql.sqltypes.AutoString(length=160), nullable=False),
    sa.Column('field', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('occupation_major_group', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=True),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('consent_to_list', sa.Boolean(), nullable=False),
    sa.Column('monthly_request_cap', sa.Integer(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('community_partner', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_community_partner_field'), ['field'], unique=False)
        batch_op.create_index(batch_op.f('ix_community_partner_occupation_major_group'), ['occupation_major_group'], unique=False)

    op.create_table('institution_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=160), nullable=False),
    sa.Column('office_name', sqlmodel.sql.sqltypes.AutoString(length=160), nullable=False),
    sa.Column('office_phone', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('office_email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('office_address', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('office_url', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('onet_url_template', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('ooh_url', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('major_to_career_url', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('login_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('succeeded', sa.Boolean(), nullable=False),
    sa.Column('attempted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('login_attempt', schema=None) as batch_op:
        batch_op.create_index('ix_login_attempt_email_at', ['email', 'attempted_at'], unique=False)

    op.create_table('occupation',
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=150), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('major_group', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.PrimaryKeyConstraint('code')
    )
    with op.batch_alter_table('occupation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_occupation_major_group'), ['major_group'], unique=False)
        batch_op.create_index(batch_op.f('ix_occupation_title'), ['title'], unique=False)

    op.create_table('user_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('password_hash', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('major', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.Column('graduation_year', sa.Integer(), nullable=True),
    sa.Column('share_progress', sa.Boolean(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_account_graduation_year'), ['graduation_year'], unique=False)
        batch_op.create_index(batch_op.f('ix_user_account_major'), ['major'], unique=False)
        batch_op.create_index(batch_op.f('ix_user_account_role'), ['role'], unique=False)
    # Alembic cannot autogenerate expression indexes: one account per email, whatever its case.
    op.create_index('uq_user_account_email_lower', 'user_account', [sa.text('lower(email)')],
                    unique=True)

    op.create_table('auth_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('revoked_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('auth_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_auth_session_user_id'), ['user_id'], unique=False)

    op.create_table('exploration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('field_name', sqlmodel.sql.sqltypes.AutoString(length=150), nullable=False),
    sa.Column('occupation_code', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
    sa.Column('current_step', sa.Integer(), nullable=False),
    sa.Column('research_notes', sa.Text(), nullable=False),
    sa.Column('pitch', sa.Text(), nullable=False),
    sa.Column('job_search_started', sa.Boolean(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['occupation_code'], ['occupation.code'], ),
    sa.ForeignKeyConstraint(['owner_id'], ['user_account.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('exploration', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exploration_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_exploration_occupation_code'), ['occupation_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_exploration_owner_id'), ['owner_id'], unique=False)

    op.create_table('occupation_task',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('occupation_code', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('onet_task_id', sa.Integer(), nullable=True),
    sa.Column('statement', sa.Text(), nullable=False),
    sa.Column('task_type', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.ForeignKeyConstraint(['occupation_code'], ['occupation.code'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('occupation_task', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_occupation_task_occupation_code'), ['occupation_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_occupation_task_onet_task_id'), ['onet_task_id'], unique=False)

    op.create_table('question',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('category', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('origin', sa.String(length=16), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['user_account.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_question_origin'), ['origin'], unique=False)
        batch_op.create_index(batch_op.f('ix_question_owner_id'), ['owner_id'], unique=False)

    op.create_table('contact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('exploration_id', sa.Integer(), nullable=True),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=150), nullable=False),
    sa.Column('organization', sqlmodel.sql.sqltypes.AutoString(length=160), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('linkedin_url', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('mailing_address', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('source', sa.String(length=24), nullable=False),
    sa.Column('referred_by_id', sa.Integer(), nullable=True),
    sa.Column('may_use_referrer_name', sa.Boolean(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=True),
    sa.Column('stage', sa.String(length=16), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['exploration_id'], ['exploration.id'], ),
    sa.ForeignKeyConstraint(['owner_id'], ['user_account.id'], ),
    sa.ForeignKeyConstraint(['partner_id'], ['community_partner.id'], ),
    sa.ForeignKeyConstraint(['referred_by_id'], ['contact.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_exploration_id'), ['exploration_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contact_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contact_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contact_referred_by_id'), ['referred_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contact_source'), ['source'], unique=False)
        batch_op.create_index(batch_op.f('ix_contact_stage'), ['stage'], unique=False)

    op.create_table('exploration_question',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('exploration_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['exploration_id'], ['exploration.id'], ),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('exploration_question', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exploration_question_exploration_id'), ['exploration_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_exploration_question_question_id'), ['question_id'], unique=False)

    op.create_table('interview',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('exploration_id', sa.Integer(), nullable=False),
    sa.Column('scheduled_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('mode', sa.String(length=16), nullable=False),
    sa.Column('location', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('business_card_captured', sa.Boolean(), nullable=False),
    sa.Column('will_report_back', sa.Boolean(), nullable=False),
    sa.Column('completed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], ),
    sa.ForeignKeyConstraint(['exploration_id'], ['exploration.id'], ),
    sa.ForeignKeyConstraint(['owner_id'], ['user_account.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('interview', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interview_contact_id'), ['contact_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_interview_exploration_id'), ['exploration_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_interview_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_interview_scheduled_at'), ['scheduled_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_interview_status'), ['status'], unique=False)

    op.create_table('outreach_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('attempted_on', sa.Date(), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], ),
    sa.ForeignKeyConstraint(['owner_id'], ['user_account.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('outreach_attempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outreach_attempt_attempted_on'), ['attempted_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_outreach_attempt_contact_id'), ['contact_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outreach_attempt_owner_id'), ['owner_id'], unique=False)

    op.create_table('partner_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('student_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('requested_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], ),
    sa.ForeignKeyConstraint(['partner_id'], ['community_partner.id'], ),
    sa.ForeignKeyConstraint(['student_id'], ['user_account.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('partner_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partner_request_contact_id'), ['contact_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_partner_request_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_partner_request_requested_at'), ['requested_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_partner_request_student_id'), ['student_id'], unique=False)

    op.create_table('follow_up_task',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('exploration_id', sa.Integer(), nullable=True),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('interview_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('snoozed_until', sa.Date(), nullable=True),
    sa.Column('completed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contact.id'], ),
    sa.ForeignKeyConstraint(['exploration_id'], ['exploration.id'], ),
    sa.ForeignKeyConstraint(['interview_id'], ['interview.id'], ),
    sa.ForeignKeyConstraint(['owner_id'], ['user_account.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('follow_up_task', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follow_up_task_contact_id'), ['contact_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_follow_up_task_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_follow_up_task_exploration_id'), ['exploration_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_follow_up_task_interview_id'), ['interview_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_follow_up_task_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_follow_up_task_status'), ['status'], unique=False)

    op.create_table('interview_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('interview_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['interview_id'], ['interview.id'], ),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('interview_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interview_answer_interview_id'), ['interview_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_interview_answer_question_id'), ['question_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('interview_answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interview_answer_question_id'))
        batch_op.drop_index(batch_op.f('ix_interview_answer_interview_id'))

    op.drop_table('interview_answer')
    with op.batch_alter_table('follow_up_task', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_follow_up_task_status'))
        batch_op.drop_index(batch_op.f('ix_follow_up_task_owner_id'))
        batch_op.drop_index(batch_op.f('ix_follow_up_task_interview_id'))
        batch_op.drop_index(batch_op.f('ix_follow_up_task_exploration_id'))
        batch_op.drop_index(batch_op.f('ix_follow_up_task_due_on'))
        batch_op.drop_index(batch_op.f('ix_follow_up_task_contact_id'))

    op.drop_table('follow_up_task')
    with op.batch_alter_table('partner_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partner_request_student_id'))
        batch_op.drop_index(batch_op.f('ix_partner_request_requested_at'))
        batch_op.drop_index(batch_op.f('ix_partner_request_partner_id'))
        batch_op.drop_index(batch_op.f('ix_partner_request_contact_id'))

    op.drop_table('partner_request')
    with op.batch_alter_table('outreach_attempt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outreach_attempt_owner_id'))
        batch_op.drop_index(batch_op.f('ix_outreach_attempt_contact_id'))
        batch_op.drop_index(batch_op.f('ix_outreach_attempt_attempted_on'))

    op.drop_table('outreach_attempt')
    with op.batch_alter_table('interview', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interview_status'))
        batch_op.drop_index(batch_op.f('ix_interview_scheduled_at'))
        batch_op.drop_index(batch_op.f('ix_interview_owner_id'))
        batch_op.drop_index(batch_op.f('ix_interview_exploration_id'))
        batch_op.drop_index(batch_op.f('ix_interview_contact_id'))

    op.drop_table('interview')
    with op.batch_alter_table('exploration_question', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exploration_question_question_id'))
        batch_op.drop_index(batch_op.f('ix_exploration_question_exploration_id'))

    op.drop_table('exploration_question')
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_stage'))
        batch_op.drop_index(batch_op.f('ix_contact_source'))
        batch_op.drop_index(batch_op.f('ix_contact_referred_by_id'))
        batch_op.drop_index(batch_op.f('ix_contact_partner_id'))
        batch_op.drop_index(batch_op.f('ix_contact_owner_id'))
        batch_op.drop_index(batch_op.f('ix_contact_exploration_id'))

    op.drop_table('contact')
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_question_owner_id'))
        batch_op.drop_index(batch_op.f('ix_question_origin'))

    op.drop_table('question')
    with op.batch_alter_table('occupation_task', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_occupation_task_onet_task_id'))
        batch_op.drop_index(batch_op.f('ix_occupation_task_occupation_code'))

    op.drop_table('occupation_task')
    with op.batch_alter_table('exploration', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exploration_owner_id'))
        batch_op.drop_index(batch_op.f('ix_exploration_occupation_code'))
        batch_op.drop_index(batch_op.f('ix_exploration_created_at'))

    op.drop_table('exploration')
    with op.batch_alter_table('auth_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_auth_session_user_id'))

    op.drop_table('auth_session')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_account_role'))
        batch_op.drop_index(batch_op.f('ix_user_account_major'))
        batch_op.drop_index(batch_op.f('ix_user_account_graduation_year'))

    op.drop_index('uq_user_account_email_lower', table_name='user_account')
    op.drop_table('user_account')
    with op.batch_alter_table('occupation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_occupation_title'))
        batch_op.drop_index(batch_op.f('ix_occupation_major_group'))

    op.drop_table('occupation')
    with op.batch_alter_table('login_attempt', schema=None) as batch_op:
        batch_op.drop_index('ix_login_attempt_email_at')

    op.drop_table('login_attempt')
    op.drop_table('institution_settings')
    with op.batch_alter_table('community_partner', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_community_partner_occupation_major_group'))
        batch_op.drop_index(batch_op.f('ix_community_partner_field'))

    op.drop_table('community_partner')
