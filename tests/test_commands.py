"""Commands are frozen values: keyword-only, fresh defaults per command, ``replace`` works."""

from __future__ import annotations

import dataclasses

import pytest

from engine.cases.commands import CompleteStep


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
