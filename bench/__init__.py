"""Benchmarks. `python -m bench [NAME ...]` runs them and prints one JSON line per figure.

Each benchmark is a module in this package that defines `NAME`, `DEFAULTS` (its sizes, each
overridable from the environment as BENCH_<KEY>) and `run(sizes) -> Iterable[Figure]`.
"""
