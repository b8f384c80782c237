"""Benchmarks: each measures a page side by side with a baseline served in the same run."""
