"""filing and consistency: search documents of specifications with the store's full-text index (SQLite FTS5 and
its vocabulary table; PostgreSQL tsvector with GIN), consistency findings, filings and their objections.
Specifications registered before this revision are indexed by the engine after upgrading (WorkflowEngine.migrate),
not here: a migration never runs today's code against yesterday's tables.

Revision ID: 0017
Revises: 0016
"""
import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    op.create_table(
        "spec_search_documents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("spec_id", sa.String(40), nullable=False, unique=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("quantity", sa.Text, nullable=False),
        sa.Column("field", sa.Text, nullable=False),
        sa.Column("scope", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    if postgres:
        op.execute("ALTER TABLE spec_search_documents ADD COLUMN document tsvector")
        op.execute("CREATE INDEX ix_spec_search_documents_document ON spec_search_documents USING gin (document)")
    else:
        op.execute("CREATE VIRTUAL TABLE spec_search_fts USING fts5(title, quantity, field, scope, "
                   "tokenize = 'unicode61 remove_diacritics 0')")
        op.execute("CREATE VIRTUAL TABLE spec_search_vocab USING fts5vocab(spec_search_fts, 'row')")
    op.create_table(
        "consistency_findings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("spec_id", sa.String(40), nullable=False),
        sa.Column("occasion", sa.String(20), nullable=False),
        sa.Column("instance_id", sa.String(36)),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("matches", sa.JSON, nullable=False),
        sa.Column("national_overlap", sa.Boolean, nullable=False),
        sa.Column("reason", sa.Text),
    )
    op.create_index("ix_consistency_findings_spec", "consistency_findings", ["spec_id", "id"])
    op.create_table(
        "filings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("spec_id", sa.String(40), nullable=False),
        sa.Column("number", sa.String(60)),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("level", sa.String(20), nullable=False),
        sa.Column("jurisdiction", sa.String(100), nullable=False),
        sa.Column("issuing_authority", sa.String(200), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("filed_by", sa.String(200)),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
        sa.Column("instance_id", sa.String(36)),
        sa.Column("finding_id", sa.Integer),
    )
    op.create_index("ix_filings_status", "filings", ["status", "id"])
    op.create_index("ix_filings_spec", "filings", ["spec_id"])
    op.create_table(
        "filing_objections",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("filing_id", sa.Integer, nullable=False),
        sa.Column("raised_by", sa.String(200)),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opinion", sa.Text, nullable=False),
        sa.Column("conflicts_with", sa.String(60)),
        sa.Column("answer", sa.Text),
        sa.Column("resolution", sa.String(20)),
        sa.Column("answered_by", sa.String(200)),
        sa.Column("answered_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_filing_objections_filing", "filing_objections", ["filing_id", "id"])


def downgrade() -> None:
    op.drop_table("filing_objections")
    op.drop_table("filings")
    op.drop_table("consistency_findings")
    if op.get_bind().dialect.name != "postgresql":
        op.execute("DROP TABLE spec_search_vocab")
        op.execute("DROP TABLE spec_search_fts")
    op.drop_table("spec_search_documents")
