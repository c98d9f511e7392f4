"""The PostgreSQL privileges of the role the application runs as.

Production connects as a role that does not own the tables (migrations run as the owner). The
application role may read and write the product's tables but may only INSERT and SELECT audit
events, and UPDATE only the three columns that seal an event into the hash chain (its place and
hashes; the append-only trigger lets a sealer set them once, on an unsealed event): it holds no
DELETE or TRUNCATE on them and cannot change what an event says, so a compromised application
cannot rewrite the trail even with the append-only trigger removed.
"""

import re

AUDIT_TABLES = ("audit_auditevent",)
SEAL_COLUMNS = "seq, prev_hash, event_hash"
ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
BAD_ROLE_NAME = "The role name must be lower-case letters, digits and underscores, starting with a letter."


def application_role_sql(role: str, schema: str = "public") -> list[str]:
    """The statements, run by the tables' owner, that give `role` the application's privileges."""
    if not ROLE_NAME.match(role) or not ROLE_NAME.match(schema):
        raise ValueError(BAD_ROLE_NAME)
    statements = [
        f"GRANT USAGE ON SCHEMA {schema} TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
    ]
    statements += [f"REVOKE UPDATE, DELETE, TRUNCATE ON {schema}.{table} FROM {role}" for table in AUDIT_TABLES]
    statements.append(f"GRANT UPDATE ({SEAL_COLUMNS}) ON {schema}.audit_auditevent TO {role}")
    return statements
