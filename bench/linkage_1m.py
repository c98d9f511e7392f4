"""Speed at scale: a partner file of N records linked against a register of N persons, end to end.

The data is the project's synthetic UK extracts (earlyhelp.matching.synthetic), written once per size to
var/bench_linkage/ as Parquet and reused. The linkage runs in a fresh process, from reading the two files to
writing the links, so that its peak memory (getrusage's maximum resident set) is its own. Afterwards, outside
the timing, the candidate comparisons and the blocking recall (the share of true pairs that some blocking
rule admits) are counted on the prepared tables, and the links are scored against the truth.

`make bench ONLY=linkage_1m` runs the default size; `BENCH_LINKAGE_SIZE=1000000` is the full run.
"""

import json
import multiprocessing
import resource
import sys
import time
from pathlib import Path

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from bench._linkage import outcome
from bench.harness import Figure
from earlyhelp.matching.model import Link, blocking_rules, link, prepared
from earlyhelp.matching.rules import Band
from earlyhelp.matching.synthetic import Extracts, uk_extracts

NAME = "linkage_1m"
DEFAULTS = {"linkage_size": 100_000, "linkage_seed": 2026}
TARGET_SECONDS = 120
TARGET_PEAK_GIB = 8
ROOT = Path(__file__).resolve().parent.parent / "var" / "bench_linkage"


def _files(size: int, seed: int) -> tuple[Path, Path]:
    folder = ROOT / f"uk_{size}_{seed}"
    register, partner = folder / "register.parquet", folder / "partner.parquet"
    if not partner.exists():
        print(f"Making the synthetic register and partner file of {size:,} records each…", file=sys.stderr)
        extracts = uk_extracts(persons=size, partner_records=size, seed=seed)
        folder.mkdir(parents=True, exist_ok=True)
        pq.write_table(extracts.register, register)
        pq.write_table(extracts.partner, partner)
    return register, partner


def _linkage(register: Path, partner: Path, out: Path, report: Path) -> None:
    """In its own process: read both files, link, write the links; report the time of each stage."""
    stages: list[tuple[str, float]] = []

    def progress(message: str) -> None:
        stages.append((message, time.perf_counter()))

    start = time.perf_counter()
    progress("Reading the two files")
    connection = duckdb.connect(":memory:")
    register_table = connection.read_parquet(str(register)).arrow().read_all()
    partner_table = connection.read_parquet(str(partner)).arrow().read_all()
    result = link(register=register_table, partner=partner_table, progress=progress)
    progress("Writing the links")
    links = result.links
    pq.write_table(
        _links_table(links),
        out,
    )
    end = time.perf_counter()
    timed = [
        (message, (stages[index + 1][1] if index + 1 < len(stages) else end) - at)
        for index, (message, at) in enumerate(stages)
    ]
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    report.write_text(json.dumps({"seconds": end - start, "stages": timed, "peak_kib": peak_kib}))


def _links_table(links: list[Link]):
    return pa.table(
        {
            "record_id": pa.array([row.record_id for row in links], pa.string()),
            "person_id": pa.array([row.person_id for row in links], pa.string()),
            "match_probability": pa.array([row.match_probability for row in links], pa.float64()),
            "band": pa.array([row.band.value for row in links], pa.string()),
        }
    )


def _any_rule(rules: list[str]) -> str:
    return " OR ".join(f"COALESCE(({rule}), false)" for rule in rules)


def _blocking(extracts: Extracts) -> tuple[int, float]:
    """Candidate comparisons (pairs some blocking rule admits, each once) and the blocking recall, under the rules
    the model chooses for tables of this size."""
    connection = prepared({"register": extracts.register, "partner": extracts.partner})
    rules = blocking_rules(connection, ["prepared_register", "prepared_partner"])
    comparisons = 0
    for index, rule in enumerate(rules):
        earlier = f"AND NOT ({_any_rule(rules[:index])})" if index else ""
        row = connection.execute(
            f"SELECT count(*) FROM prepared_register l JOIN prepared_partner r ON {rule} {earlier}"
        ).fetchall()
        comparisons += row[0][0]
    connection.register("truth", extracts.partner.select(["record_id", "true_person_id"]))
    found, total = connection.execute(
        f"""
        SELECT count(*) FILTER (WHERE {_any_rule(rules)}), count(*)
        FROM truth
        JOIN prepared_partner r ON r.record_id = truth.record_id
        JOIN prepared_register l ON l.record_id = truth.true_person_id
        """
    ).fetchall()[0]
    connection.close()
    return comparisons, found / total if total else 0.0


def run(sizes: dict[str, int]):
    size = sizes["linkage_size"]
    register, partner = _files(size, sizes["linkage_seed"])
    folder = register.parent
    out, report = folder / "links.parquet", folder / "report.json"
    child = multiprocessing.get_context("spawn").Process(target=_linkage, args=(register, partner, out, report))
    child.start()
    child.join()
    if child.exitcode != 0:
        raise RuntimeError(f"The linkage process failed with exit code {child.exitcode}")
    measured = json.loads(report.read_text())
    yield Figure("linkage_records_each_side", size, "records", None)
    yield Figure("linkage_end_to_end_seconds", measured["seconds"], "s", TARGET_SECONDS)
    for message, seconds in measured["stages"]:
        yield Figure(f"linkage_stage: {message}", seconds, "s", None)
    yield Figure("linkage_peak_memory", measured["peak_kib"] / 2**20, "GiB", TARGET_PEAK_GIB)

    extracts = Extracts(register=pq.read_table(register), partner=pq.read_table(partner))
    links_table = pq.read_table(out).to_pylist()
    links = [
        Link(row["record_id"], row["person_id"], row["match_probability"], Band(row["band"])) for row in links_table
    ]
    result = outcome(links, extracts)
    comparisons, blocking_recall = _blocking(extracts)
    yield Figure("linkage_candidate_comparisons", comparisons, "pairs", None)
    yield Figure("linkage_blocking_recall", blocking_recall * 100, "%", None, better="higher")
    yield Figure("linkage_review_share", result.review_share * 100, "%", None)
    yield Figure("linkage_precision", result.precision * 100, "%", None, better="higher")
    yield Figure("linkage_recall", result.recall * 100, "%", None, better="higher")
    yield Figure("linkage_household_confusions", result.household_confusions, "partner records", None)
