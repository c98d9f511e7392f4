"""What the linkage benchmarks share: scoring a linkage of the synthetic UK extracts against their truth."""

from dataclasses import dataclass

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]

from earlyhelp.matching.model import Link
from earlyhelp.matching.rules import Band
from earlyhelp.matching.synthetic import Extracts


@dataclass(frozen=True)
class Outcome:
    """Counted over partner records: each is auto-linked (rightly or not), sent to review, or left unmatched."""

    partner_records: int
    known: int
    auto_linked: int
    correct: int
    # Auto-linked to someone else in the record's own household: a parent for a child, one twin for the other.
    household_confusions: int
    review: int

    @property
    def precision(self) -> float:
        return self.correct / self.auto_linked if self.auto_linked else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.known if self.known else 0.0

    @property
    def review_share(self) -> float:
        return self.review / self.partner_records if self.partner_records else 0.0


def outcome(links: list[Link], extracts: Extracts) -> Outcome:
    outcomes = pa.table(
        {
            "record_id": pa.array([link.record_id for link in links], pa.string()),
            "person_id": pa.array([link.person_id for link in links], pa.string()),
            "band": pa.array([link.band.value for link in links], pa.string()),
        }
    )
    connection = duckdb.connect(":memory:")
    connection.register("outcomes", outcomes)
    connection.register("partner", extracts.partner)
    connection.register("register", extracts.register)
    row = connection.execute(
        """
        SELECT
            count(*),
            count(*) FILTER (WHERE p.true_person_id <> ''),
            count(*) FILTER (WHERE o.band = $auto),
            count(*) FILTER (WHERE o.band = $auto AND o.person_id = p.true_person_id),
            count(*) FILTER (WHERE o.band = $auto AND o.person_id IS DISTINCT FROM p.true_person_id
                AND r.household_id = p.household_id),
            count(*) FILTER (WHERE o.band = $review)
        FROM outcomes o
        JOIN partner p USING (record_id)
        LEFT JOIN register r ON r.record_id = o.person_id
        """,
        {"auto": Band.AUTO_LINK.value, "review": Band.REVIEW.value},
    ).fetchone()
    connection.close()
    return Outcome(*(row or ()))
