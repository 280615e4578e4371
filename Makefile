# alur — every target installs what it needs first (a fresh machine needs nothing else).
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
DEMO_DB := demo/alur.db

.PHONY: install demo test lint bench reliability fuzz schema clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	@command -v dot >/dev/null 2>&1 || ( [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  (apt-get install -y -q graphviz >/dev/null 2>&1 || (apt-get update -q >/dev/null 2>&1 && apt-get install -y -q graphviz >/dev/null 2>&1)) ) || \
	  echo "note: Graphviz 'dot' not installed; SVG/PNG graphs are unavailable (DOT and Mermaid still work). Install: apt-get install graphviz"
	touch $(STAMP)

install: $(STAMP)

demo: install
	rm -rf demo && mkdir -p demo
	$(BIN)/alur validate procedures/*.yaml
	$(BIN)/alur --db sqlite:///$(DEMO_DB) run procedures/mediasi.yaml examples/mediasi-*.yaml --now 2026-12-31T17:00:00+07:00 || true
	$(BIN)/alur --db sqlite:///$(DEMO_DB) run procedures/sapa.yaml examples/sapa-*.yaml --now 2026-12-31T17:00:00+07:00 || true
	$(BIN)/alur --db sqlite:///$(DEMO_DB) audit verify
	$(BIN)/alur graph procedures/mediasi.yaml --format mermaid -o demo/mediasi.mmd
	@echo "demo store: $(DEMO_DB); graph: demo/mediasi.mmd"

test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check engine cli.py tests
	$(BIN)/mypy engine

reliability: install
	$(BIN)/python -m pytest -m reliability tests

fuzz: install
	$(BIN)/python -m pip install -q -e '.[fuzz]'
	mkdir -p .fuzz-corpus && cp procedures/*.yaml tests/fixtures/valid/*.yaml .fuzz-corpus/
	$(BIN)/python fuzz/fuzz_loader.py .fuzz-corpus -max_total_time=$${FUZZ_SECONDS:-120} -rss_limit_mb=2048 -timeout=10

schema: install
	$(BIN)/alur schema > schemas/procedure.schema.json

clean:
	rm -rf $(VENV) demo .pytest_cache .mypy_cache .ruff_cache .hypothesis
