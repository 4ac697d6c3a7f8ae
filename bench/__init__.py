"""Benchmarks that show the speed and memory targets (medians; see `python -m bench`)."""
