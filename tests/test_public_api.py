"""The public API is deliberate: ``engine.__all__`` is pinned and every name resolves."""

import subprocess
import sys

import engine

EXPECTED = {
    "AccessDenied", "AddParticipant", "AlurError", "AttachDocument", "Attachment", "CaseError",
    "CaseNotFound", "CaseResult", "CaseState", "CommandRefused", "CompleteStep",
    "ConcurrencyConflict", "Diagnostic", "Engine", "Event", "ExtendDeadline",
    "InvalidCaseInput", "OpenCase", "Procedure", "ProcedureError", "ProcedureNotFound",
    "Roster", "SetFact", "Severity", "Store", "StoreError", "TamperDetected", "Terminate",
    "UsageError", "Withdraw", "load_procedure", "open_store", "validate",
}


def test_all_is_pinned() -> None:
    assert set(engine.__all__) == EXPECTED


def test_every_public_name_resolves() -> None:
    for name in engine.__all__:
        assert getattr(engine, name) is not None, name


def test_errors_share_one_root() -> None:
    for name in engine.__all__:
        value = getattr(engine, name)
        if isinstance(value, type) and issubclass(value, Exception):
            assert issubclass(value, engine.AlurError), name


def test_import_engine_loads_no_store_driver() -> None:
    code = ("import sys, engine; engine.validate; "
            "print('psycopg' in sys.modules, 'sqlite3' in sys.modules, "
            "'engine.api' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["False", "False", "False"]
