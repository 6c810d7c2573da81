"""Database triggers that refuse UPDATE and DELETE on append-only tables.

The model guards stop the ORM; these stop everyone else with a connection, so an edit to the
provenance or audit history has to disable a trigger first, which is itself visible.
"""

from __future__ import annotations

_POSTGRES = [
    """CREATE OR REPLACE FUNCTION refuse_change_to_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
    END;
    $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION refuse_change_to_append_only()""",
]


def append_only_statements(vendor: str, table: str) -> list[str]:
    # PostgreSQL only: TRUNCATE (test flushes, operators) passes row triggers there, while on
    # SQLite a flush is a DELETE and would be refused. The embedded default keeps the ORM guards.
    templates = _POSTGRES if vendor == "postgresql" else []
    return [template.format(table=table) for template in templates]


def make_append_only(*tables: str):
    """A RunPython function for a migration."""

    def forwards(apps, schema_editor) -> None:
        for table in tables:
            for statement in append_only_statements(schema_editor.connection.vendor, table):
                schema_editor.execute(statement, params=None)

    return forwards
