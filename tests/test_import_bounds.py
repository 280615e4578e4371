"""Issue 16: ``alur import`` was quadratic (42 KB of text took 14 s, 199 KB ran past two minutes).

Two costs grew with the text: ``_Ids.take`` probed ``x``, ``x_2`` ... ``x_n`` again for each of n
steps of one name (n²/2 probes), and the draft was re-read by the pure-Python YAML loader. Ids now
resume where they stopped and the draft is read by libyaml; a text longer than the importer's
limit is refused by the CLI with a clear message instead of being cut.
"""

from __future__ import annotations

import time
from pathlib import Path

import yaml
from click.testing import CliRunner

from cli import main
from engine.authoring import importer
from engine.authoring.importer import MAX_INPUT_CHARS, _Ids, draft_procedure

HEAD = "Dinas Sosial Kota X\nLayanan Y\nPersyaratan\n1. KTP\nSistem, Mekanisme dan Prosedur\n"


class _CountingSet(set[str]):
    probes = 0

    def __contains__(self, item: object) -> bool:
        _CountingSet.probes += 1
        return super().__contains__(item)


def test_ids_of_one_name_take_linear_work() -> None:
    ids = _Ids()
    ids.used = _CountingSet()
    _CountingSet.probes = 0
    taken = [ids.take("langkah") for _ in range(5000)]
    assert taken[:3] == ["langkah", "langkah_2", "langkah_3"] and len(set(taken)) == 5000
    assert _CountingSet.probes < 3 * 5000  # quadratic: 12.5 million
    # an id taken on its own is skipped, as before
    ids = _Ids()
    assert [ids.take("a"), ids.take("a_2"), ids.take("a"), ids.take("a")] == \
        ["a", "a_2", "a_3", "a_4"]
    long = "x" * 64
    assert ids.take(long) == long and ids.take(long) == "x" * 62 + "_2"


def test_the_draft_is_read_back_by_libyaml() -> None:
    if getattr(yaml, "__with_libyaml__", False):
        assert importer._Loader is yaml.CSafeLoader


def test_a_large_text_drafts_in_bounded_time() -> None:
    """A 175 KB text of 6,000 steps of one actor: minutes when quadratic; a generous bound for
    a shared machine (about 3 s alone)."""
    text = HEAD + "\n".join(f"{i}. Petugas menerima berkas" for i in range(1, 6000))
    assert 150_000 < len(text) < MAX_INPUT_CHARS
    started = time.monotonic()
    draft = draft_procedure(text)
    assert time.monotonic() - started < 60
    assert draft.fallback == 0 and draft.yaml.count("- id: menerima_berkas_") > 100


def test_cli_refuses_a_text_past_the_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text(HEAD + "x" * MAX_INPUT_CHARS, encoding="utf-8")
    for lang, words in (("en", "longer than 200000 characters"),
                        ("id", "lebih dari 200000 karakter")):
        result = CliRunner().invoke(main, ["--lang", lang, "import", str(big)])
        assert result.exit_code == 1 and words in result.stderr, result.stderr
        assert result.exception is None or isinstance(result.exception, SystemExit)
    piped = CliRunner().invoke(main, ["import", "-"], input="y" * (4 * MAX_INPUT_CHARS + 1))
    assert piped.exit_code == 1 and "longer than" in piped.stderr
