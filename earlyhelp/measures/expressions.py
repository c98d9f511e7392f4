"""Date arithmetic the indicators need in the database, written once for SQLite and PostgreSQL."""

from typing import Any

from django.db.models import DateField, Func


class YearsAfter(Func):
    """The same day `years` years later (earlier if negative), 29 February becoming 28 February:
    `dataprotection.retention.years_after` in SQL, so that "within 12 months" is one comparison in the database."""

    output_field = DateField()

    def __init__(self, expression: Any, years: int) -> None:
        super().__init__(expression)
        self.years = int(years)

    def as_sql(self, compiler, connection, **extra_context):  # type: ignore[override]
        sql, params = compiler.compile(self.get_source_expressions()[0])
        return f"(({sql}) + interval '{self.years} years')::date", params

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.get_source_expressions()[0])
        shift = f"'{self.years:+d} years'"
        # SQLite carries 29 February over into 1 March; a day back gives the 28th, as PostgreSQL does.
        text = (
            f"CASE WHEN strftime('%%m-%%d', {sql}) = '02-29' THEN date({sql}, {shift}, '-1 day') "
            f"ELSE date({sql}, {shift}) END"
        )
        return text, (*params, *params, *params)
