"""Analysis for auditors and planners: chain verification, conformance, reports, export, simulation.

Reads procedures, cases and stores; never changes a case.
"""
