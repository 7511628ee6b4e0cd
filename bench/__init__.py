"""`make bench`: the storage and server benchmark; results go to BENCHMARKS.md."""
