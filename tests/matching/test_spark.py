"""The same linkage model on Splink's Spark backend, in local mode, gives the links DuckDB gives.

pyspark is not part of the test install (it adds about 300 MB); this module is skipped, saying so, unless it is
installed: `.venv/bin/pip install -r requirements/spark.txt -c requirements/constraints.txt`. Spark needs Java
17. The data is small, so that the Spark session's start-up is most of the cost.
"""

import shutil

import pytest

from earlyhelp.matching.model import link
from earlyhelp.matching.synthetic import uk_extracts

pyspark = pytest.importorskip(
    "pyspark", reason="pyspark is not installed: pip install -r requirements/spark.txt to run the Spark test"
)
pytestmark = [
    pytest.mark.xdist_group("matching_spark"),
    pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java 17, and java is not on the PATH"),
]


@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    session = (
        SparkSession.builder.master("local[1]")
        .appName("earlyhelp-matching-test")
        .config("spark.jars", similarity_jar_location())
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    # Splink breaks Spark's lineage between stages by checkpointing.
    session.sparkContext.setCheckpointDir(str(tmp_path_factory.mktemp("spark-checkpoints")))
    yield session
    session.stop()


def test_the_spark_backend_links_each_partner_record_as_duckdb_does(spark):
    extracts = uk_extracts(persons=400, seed=11)

    on_duckdb = link(register=extracts.register, partner=extracts.partner)
    on_spark = link(register=extracts.register, partner=extracts.partner, spark=spark)

    assert [(row.record_id, row.person_id, row.band) for row in on_spark.links] == [
        (row.record_id, row.person_id, row.band) for row in on_duckdb.links
    ]
    assert [row.match_probability for row in on_spark.links] == pytest.approx(
        [row.match_probability for row in on_duckdb.links], abs=1e-9
    )
    assert sum(row.person_id is not None for row in on_spark.links) > 0.7 * len(on_spark.links)
