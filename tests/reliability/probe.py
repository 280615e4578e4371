"""Run in a child process by test_hostile_input: load hostile procedure files and evaluate hostile
conditions at run time, and print one JSON line with what happened and the peak RSS (from
``resource.getrusage``) before and after, so the parent can bound the memory it took.

Usage: ``python -m tests.reliability.probe FOLDER``; FOLDER holds ``load-*.yaml`` (procedures to
validate) and ``run-*.yaml`` (valid procedures whose first step has a hostile condition; the
facts to open the case with are in ``run-*.json``).
"""

from __future__ import annotations

import hashlib
import json
import resource
import sys
import time
from pathlib import Path
from typing import Any


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main(folder: Path) -> dict[str, Any]:
    from engine.api import Engine
    from engine.cases.commands import Attachment, CompleteStep
    from engine.errors import AlurError
    from engine.procedure.validate import check_path

    ktp = Attachment("ktp", "ktp.txt", hashlib.sha256(b"k").hexdigest(), 1, "text/plain", b"k")
    warm = sorted(folder.glob("run-*.yaml"))[0]  # imports and caches warmed up first
    check_path(warm)
    with Engine("memory://", lang="en") as engine:
        engine.open_case(str(warm), user="u", role="petugas", documents=(ktp,),
                         facts={"nama": "a", "jumlah": 1})
    report: dict[str, Any] = {"baseline_mb": peak_mb(), "load": {}, "run": {}}
    for path in sorted(folder.glob("load-*.yaml")):
        started = time.monotonic()
        checked = check_path(path)
        report["load"][path.stem] = {"codes": [d.code for d in checked.diagnostics],
                                     "valid": checked.procedure is not None,
                                     "seconds": round(time.monotonic() - started, 3)}
    report["after_load_mb"] = peak_mb()
    for path in sorted(folder.glob("run-*.yaml")):
        facts = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        started = time.monotonic()
        with Engine("memory://", lang="en") as engine:
            case = engine.open_case(str(path), user="u", role="petugas", documents=(ktp,),
                                    facts=facts).case
            try:
                engine.execute(CompleteStep(user="u", role="petugas", case_id=case.case_id,
                                            step="terima"))
                outcome = "ok"
            except AlurError as exc:
                outcome = f"{type(exc).__name__}:{getattr(exc, 'rule', exc.code)}"
            events = len(engine.store.events(case.case_id))
            audit = [r.rule for r in engine.store.audit_records(case.case_id)]
        report["run"][path.stem] = {"outcome": outcome, "events_after": events,
                                    "opened_events": case.version,
                                    "audit": audit,
                                    "seconds": round(time.monotonic() - started, 3)}
    report["after_run_mb"] = peak_mb()
    return report


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]))))
