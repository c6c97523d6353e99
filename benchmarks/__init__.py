"""Benchmarks of anshin-lab, run from the repository root: ``python -m benchmarks NAME [options]``.

Not part of the installed package. Each benchmark measures the product
against the way a first attempt would write it, in the same run, prints a
readable report and ends with one line of JSON holding its figures.
"""
