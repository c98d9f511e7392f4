"""The PostgreSQL privileges of the role the application runs as.

Production connects as a role that does not own the tables (migrations run as the owner). The
application role may read and write the product's tables but may only INSERT and SELECT audit
events: it holds no UPDATE, DELETE or TRUNCATE on them, so a compromised application cannot
rewrite the trail even with the append-only trigger removed.
"""

import re

AUDIT_TABLES = ("audit_auditevent",)
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
    return statements
