"""Commands behave as the dataclasses they declare: CompleteStep writes its __init__ out (for
speed), so it is held here to what @dataclass would have generated."""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from engine.cases.commands import Attachment, CompleteStep

# CompleteStep's own fields with the __init__ @dataclass generates for them: a field added to
# the class and not to its written-out __init__ makes the two differ below
GeneratedCompleteStep = dataclasses.make_dataclass(
    "GeneratedCompleteStep",
    [(f.name, f.type, dataclasses.field(default=f.default, default_factory=f.default_factory))
     for f in dataclasses.fields(CompleteStep)],
    frozen=True, slots=True, kw_only=True)
FIELDS = [f.name for f in dataclasses.fields(CompleteStep)]
VALUES = {
    "user": st.text(max_size=5), "role": st.text(max_size=5),
    "at": st.none() | st.just("2026-03-02T09:00:00+07:00"),
    "case_id": st.text(max_size=5), "step": st.text(max_size=5),
    "outcome": st.none() | st.text(max_size=5),
    "documents": st.just((Attachment("ktp", "ktp.pdf", "0" * 64, 1, "application/pdf"),)),
    # None too: the generated __init__ keeps an explicit None (only a missing one is a new dict)
    "facts": st.none() | st.dictionaries(st.text(max_size=3), st.booleans(), max_size=2),
    "participants": st.none() | st.dictionaries(st.text(max_size=3), st.text(max_size=3),
                                                max_size=2),
    "note": st.none() | st.text(max_size=5),
    "unexpected": st.just("x"),  # an argument neither accepts
}


@given(st.fixed_dictionaries({}, optional=VALUES))
@example({"user": "u", "role": "r", "case_id": "c", "step": "s",  # every field given
          "documents": (Attachment("ktp", "ktp.pdf", "0" * 64, 1, "application/pdf"),),
          "at": None, "outcome": "o", "facts": {"a": True}, "participants": {"p": "n"},
          "note": "catatan"})
def test_complete_step_is_built_as_the_generated_init_builds_it(kwargs: dict[str, Any]) -> None:
    try:
        expected = GeneratedCompleteStep(**kwargs)
    except TypeError:
        with pytest.raises(TypeError):
            CompleteStep(**kwargs)
        return
    built = CompleteStep(**kwargs)
    assert [getattr(built, name) for name in FIELDS] == [getattr(expected, name)
                                                         for name in FIELDS]
    assert repr(built) == repr(expected).replace("GeneratedCompleteStep", "CompleteStep")
    assert built == CompleteStep(**kwargs)
    assert (built == CompleteStep(user=built.user, role=built.role, case_id=built.case_id,
                                  step=built.step)) == (expected == GeneratedCompleteStep(
        user=built.user, role=built.role, case_id=built.case_id, step=built.step))


def test_the_signature_reads_as_the_generated_one() -> None:
    written = inspect.signature(CompleteStep)
    generated = inspect.signature(GeneratedCompleteStep)
    assert list(written.parameters) == list(generated.parameters)
    assert [str(p.default) for p in written.parameters.values()] == [
        str(p.default) for p in generated.parameters.values()]


def test_complete_step_stays_frozen_and_positional_arguments_are_refused() -> None:
    command = CompleteStep(user="u", role="r", case_id="c", step="s")
    with pytest.raises(dataclasses.FrozenInstanceError):
        command.step = "t"  # type: ignore[misc]
    with pytest.raises(TypeError):
        CompleteStep("u", "r", None, "c", "s")  # type: ignore[misc]


def test_defaults_are_fresh_per_command_and_replace_works() -> None:
    first = CompleteStep(user="u", role="r", case_id="c", step="s")
    second = CompleteStep(user="u", role="r", case_id="c", step="s")
    assert first.facts == {} and first.facts is not second.facts
    assert first.participants is not second.participants
    changed = dataclasses.replace(first, outcome="setuju", note="catatan")
    assert (changed.outcome, changed.note, changed.step) == ("setuju", "catatan", "s")
    assert first.outcome is None
