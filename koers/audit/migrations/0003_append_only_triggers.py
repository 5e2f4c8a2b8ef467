"""Append-only logs in the database itself (SECURITY.md item 65).

An UPDATE may only fill the seal columns of an unsealed row (and clear the link to a deleted account); a DELETE
needs a row in ``audit_retentiongate`` and leaves the deleted row's hash in ``audit_chaincheckpoint``.
"""

from django.db import migrations

SEAL = ("chain_seq", "prev_hash", "entry_hash")
CONTENT = {
    "audit_auditevent": (
        "id",
        "at",
        "actor_username",
        "action",
        "object_type",
        "object_id",
        "client_id",
        "reason",
        "request_id",
        "ip_address",
    ),
    "audit_processinglogentry": (
        "id",
        "trace_id",
        "span_id",
        "parent_span_id",
        "name",
        "started_at",
        "status",
        "processing_activity",
        "data_subject",
        "data_subject_type",
    ),
}
NO_GATE = "NOT EXISTS (SELECT 1 FROM audit_retentiongate)"


def _sqlite(table: str) -> list[str]:
    changed = " OR ".join(f"NEW.{column} IS NOT OLD.{column}" for column in CONTENT[table])
    resealed = " OR ".join(f"NEW.{column} IS NOT OLD.{column}" for column in SEAL)
    actor = " OR (NEW.actor_id IS NOT OLD.actor_id AND NEW.actor_id IS NOT NULL)" if table == "audit_auditevent" else ""
    return [
        f"""CREATE TRIGGER {table}_append_only_update BEFORE UPDATE ON {table}
        WHEN {changed}{actor} OR (OLD.entry_hash <> '' AND ({resealed}))
        BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END""",
        f"""CREATE TRIGGER {table}_append_only_delete BEFORE DELETE ON {table}
        BEGIN
            SELECT RAISE(ABORT, '{table} is append-only') WHERE {NO_GATE};
            INSERT INTO audit_chaincheckpoint (table_name, seq, entry_hash)
                SELECT '{table}', OLD.chain_seq, OLD.entry_hash WHERE OLD.chain_seq IS NOT NULL;
        END""",
    ]


SQLITE_CHECKPOINT = [
    f"""CREATE TRIGGER audit_chaincheckpoint_gated_{operation} BEFORE {operation} ON audit_chaincheckpoint
    WHEN {NO_GATE} OR '{operation}' = 'UPDATE'
    BEGIN SELECT RAISE(ABORT, 'audit_chaincheckpoint changes only through the retention gate'); END"""
    for operation in ("INSERT", "UPDATE", "DELETE")
]

POSTGRESQL_FUNCTIONS = [
    f"""CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        sealed text[] := ARRAY['chain_seq', 'prev_hash', 'entry_hash', 'actor_id'];
    BEGIN
        IF TG_OP = 'DELETE' THEN
            IF {NO_GATE} THEN
                RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            IF OLD.chain_seq IS NOT NULL THEN
                INSERT INTO audit_chaincheckpoint (table_name, seq, entry_hash)
                    VALUES (TG_TABLE_NAME, OLD.chain_seq, OLD.entry_hash);
            END IF;
            RETURN OLD;
        END IF;
        IF TG_OP = 'TRUNCATE' THEN
            IF {NO_GATE} THEN
                RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            RETURN NULL;
        END IF;
        IF (to_jsonb(NEW) - sealed) IS DISTINCT FROM (to_jsonb(OLD) - sealed)
            OR (to_jsonb(NEW) ->> 'actor_id' IS DISTINCT FROM to_jsonb(OLD) ->> 'actor_id'
                AND to_jsonb(NEW) ->> 'actor_id' IS NOT NULL)
            OR (OLD.entry_hash <> '' AND (NEW.chain_seq IS DISTINCT FROM OLD.chain_seq
                OR NEW.prev_hash IS DISTINCT FROM OLD.prev_hash OR NEW.entry_hash IS DISTINCT FROM OLD.entry_hash))
        THEN
            RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END $$""",
    f"""CREATE FUNCTION audit_checkpoint_gated() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' OR {NO_GATE} THEN
            RAISE EXCEPTION 'audit_chaincheckpoint changes only through the retention gate'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NULL;
    END $$""",
]


def _postgresql(table: str) -> list[str]:
    return [
        f"""CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION audit_append_only()""",
        f"""CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
        FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()""",
    ]


POSTGRESQL_CHECKPOINT = [
    """CREATE TRIGGER audit_chaincheckpoint_gated BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON audit_chaincheckpoint FOR EACH STATEMENT EXECUTE FUNCTION audit_checkpoint_gated()""",
]


def create_gate_and_triggers(apps, schema_editor):
    schema_editor.create_model(apps.get_model("audit", "RetentionGate"))
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = [*_sqlite("audit_auditevent"), *_sqlite("audit_processinglogentry"), *SQLITE_CHECKPOINT]
    elif vendor == "postgresql":
        statements = [
            *POSTGRESQL_FUNCTIONS,
            *_postgresql("audit_auditevent"),
            *_postgresql("audit_processinglogentry"),
            *POSTGRESQL_CHECKPOINT,
        ]
    else:
        raise NotImplementedError(f"append-only audit triggers for {vendor}")
    for statement in statements:
        schema_editor.execute(statement, params=None)


def drop_gate_and_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    tables = [*CONTENT, "audit_chaincheckpoint"]
    if vendor == "sqlite":
        names = [f"{table}_append_only_{op}" for table in CONTENT for op in ("update", "delete")]
        names += [f"audit_chaincheckpoint_gated_{op}" for op in ("INSERT", "UPDATE", "DELETE")]
        for name in names:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        for table in tables:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_chaincheckpoint_gated ON audit_chaincheckpoint")
        schema_editor.execute("DROP FUNCTION IF EXISTS audit_append_only()")
        schema_editor.execute("DROP FUNCTION IF EXISTS audit_checkpoint_gated()")
    schema_editor.delete_model(apps.get_model("audit", "RetentionGate"))


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_chains_and_processing_log")]

    operations = [migrations.RunPython(create_gate_and_triggers, drop_gate_and_triggers)]
