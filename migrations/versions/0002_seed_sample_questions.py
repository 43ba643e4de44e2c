"""Seed the question bank with the career office's 12 sample questions.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SAMPLE_QUESTIONS = [
    ("The work", "What are your primary tasks and responsibilities?"),
    ("Skills", "What specific strengths and/or skills are needed to be successful in your field?"),
    ("Learning more", "What publications could I read to learn more about your field?"),
    ("Learning more", "What organizations/meetings could I join/attend to learn more?"),
    ("Career path", "What has made you successful in your career? What things did you do to "
                    "achieve your success?"),
    ("The field", "What are the challenges facing people in your field?"),
    ("The field", "What kinds of growth and new directions are you experiencing in your field?"),
    ("Preparing", "How can I best prepare for a career in your field?"),
    ("Career path", "Why did you choose your field?"),
    ("The work", "What rewards do you get from your field?"),
    ("Career path", "Would you choose this field again?"),
    ("Preparing", "What is something that you see new college graduates in this field struggle "
                  "with the most?"),
]

question = sa.table(
    "question",
    sa.column("text", sa.String),
    sa.column("category", sa.String),
    sa.column("origin", sa.String),
    sa.column("owner_id", sa.Integer),
    sa.column("is_active", sa.Boolean),
    sa.column("position", sa.Integer),
    sa.column("created_at", sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    now = datetime.now(UTC)
    op.bulk_insert(question, [
        {"text": text, "category": category, "origin": "sample", "owner_id": None,
         "is_active": True, "position": position, "created_at": now}
        for position, (category, text) in enumerate(SAMPLE_QUESTIONS, start=1)
    ])


def downgrade() -> None:
    op.execute(question.delete().where(question.c.origin == "sample"))
