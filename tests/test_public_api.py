"""The public API is deliberate: ``engine.__all__`` is pinned, every name is the object of that
name in a public module, and every type a public method returns is itself public.

In the manner of httpx's ``test_exported_members``: a name added to or dropped from the API, a
private module leaking through, or a method returning an unexported type fails here.
"""

import inspect
import re
import subprocess
import sys
from typing import Any

import engine

EXPECTED = {
    "AccessDenied", "AddParticipant", "AlurError", "AttachDocument", "Attachment", "AuditRecord",
    "CaseError", "CaseNotFound", "CaseResult", "CaseRun", "CaseSnapshot", "CaseState",
    "ChainBreak", "CommandRefused", "CompleteStep", "ConcurrencyConflict", "Context", "Diagnostic",
    "Document", "DueItem", "Engine", "Event", "ExtendDeadline", "Fact", "FileCheck", "Head",
    "LedgerEntry",
    "InvalidCaseInput", "MASK", "MemoryStore", "OpenCase", "Procedure", "ProcedureError",
    "ProcedureNotFound", "Role", "Roster", "SetFact", "Severity", "Step", "Store", "StoreError",
    "StoredProcedure", "TamperDetected", "Terminate", "UsageError", "Withdraw", "check_file",
    "load_procedure", "load_roster", "mask_event", "mask_state", "open_store", "run_case_file",
    "validate",
}
# names that may appear in a public method's return annotation without being alur's to export
NOT_OURS = {"Any", "None", "Iterator", "Iterable", "Sequence", "Mapping", "str", "int", "bool",
            "float", "bytes", "dict", "list", "tuple", "set", "frozenset", "object", "datetime",
            "date", "timedelta", "Path", "Self", "type"}


def test_all_is_pinned() -> None:
    assert set(engine.__all__) == EXPECTED
    assert len(engine.__all__) == len(EXPECTED)  # no name listed twice


def test_exported_members_come_from_public_modules_under_their_own_name() -> None:
    for name in engine.__all__:
        member = getattr(engine, name)
        if not (inspect.isclass(member) or inspect.isfunction(member)):
            assert name.isupper(), f"{name}: only constants may be plain values"
            continue
        module = member.__module__
        assert module.split(".")[0] == "engine", (name, module)
        assert not any(part.startswith("_") for part in module.split(".")), (name, module)
        assert member.__name__ == name, (name, member.__name__)


def test_no_public_attribute_beyond_all_and_the_subpackages() -> None:
    import types

    for name in engine.__all__:
        getattr(engine, name)  # load every lazy name first
    for name, value in vars(engine).items():
        if name.startswith("_") or isinstance(value, types.ModuleType):
            continue
        assert name in engine.__all__ or name in ("annotations", "TYPE_CHECKING", "Any"), name


def _returned_names(function: Any) -> set[str]:
    annotation = inspect.get_annotations(function).get("return")
    if annotation is None:
        return set()
    text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", "")
    return set(re.findall(r"[A-Za-z_][A-Za-z_0-9]*", text))


def test_types_returned_by_public_methods_are_exported() -> None:
    leaks = []
    for name in engine.__all__:
        member = getattr(engine, name)
        functions = [(name, member)] if inspect.isfunction(member) else []
        if inspect.isclass(member):
            for attr, value in vars(member).items():
                if attr.startswith("_"):
                    continue
                value = value.fget if isinstance(value, property) else value
                value = getattr(value, "__func__", value)  # staticmethod / classmethod
                if inspect.isfunction(value):
                    functions.append((f"{name}.{attr}", value))
        for where, function in functions:
            for returned in _returned_names(function) - NOT_OURS:
                if returned not in engine.__all__:
                    leaks.append(f"{where} -> {returned}")
    assert not leaks, leaks


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
