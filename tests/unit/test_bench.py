"""The benchmark's own arithmetic: what it prints must be what it measured."""

from pipeline.cli.bench import overhead


def test_overhead_is_the_median_per_file_difference_over_files_measured_both_ways() -> None:
    latency = {"a": 4.0, "b": 5.0, "c": 2.5, "lost": 9.0}
    plain = {"a": 1.0, "b": 4.0, "c": 2.0}
    o = overhead(latency, plain)
    assert o["files"] == 3  # "lost" has no plain time and is left out
    assert o["latency"] == 4.0 and o["plain"] == 2.0
    assert o["overhead"] == 1.0  # median of 3.0, 1.0, 0.5, not the difference of the medians (2.0)
