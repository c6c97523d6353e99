"""Benchmarks of anshin-lab, run from the repository root: `python -m benchmarks NAME`."""
