"""atheris harness: any bytes given to the loader yield diagnostics or a procedure, never an
exception, hang or unbounded memory. Run with ``make fuzz`` (installs the ``fuzz`` extra).

Seeds come from procedures/*.yaml and tests/fixtures/**.yaml (pass the folder as a corpus).
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from engine.procedure.source import read_bytes
    from engine.procedure.validate import _check


def test_one_input(data: bytes) -> None:
    checked = _check(read_bytes(data, "<fuzz>"), "", "en")
    # the invariant the loader promises: a procedure exactly when there is no error
    assert (checked.procedure is None) == any(d.is_error for d in checked.diagnostics)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
