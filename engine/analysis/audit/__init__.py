"""Auditor tools: pure functions over stored events and procedures, returning data.

* :mod:`engine.analysis.audit.integrity`: why a store fails verification (edited, deleted, inserted
or
  reordered events; snapshots that no longer match).
* :mod:`engine.analysis.audit.conformance`: replaying recorded cases against their pinned procedure
  version; deviations and fitness.
* :mod:`engine.analysis.audit.report`: service performance over a period (time limits, step times,
  breaches, refusals).
* :mod:`engine.analysis.audit.export`: the event log as XES, CSV or JSON Lines, masked by default.

Nothing here prints, exits or writes to the store; the commands in :mod:`engine.cli.audit`
read the store, call these and format the results.
"""

from engine.analysis.audit.conformance import ConformanceReport, conformance
from engine.analysis.audit.export import export_rows, write_csv, write_jsonl, write_xes
from engine.analysis.audit.integrity import Finding, inspect_case
from engine.analysis.audit.report import Performance, performance

__all__ = ["ConformanceReport", "Finding", "Performance", "conformance", "export_rows",
           "inspect_case", "performance", "write_csv", "write_jsonl", "write_xes"]
