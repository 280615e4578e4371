# alur — every target installs what it needs first (a fresh machine needs nothing else).
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
BASE    := $(VENV)/.installed-base
DEMO_DB := demo/alur.db
AXE     := .browser/node_modules/axe-core/axe.min.js

.PHONY: install demo test lint bench reliability fuzz schema clean

# two stamps: the demo needs only alur itself (and Graphviz for images); `make test`, `make
# lint` and the rest add the test extras (pytest, hypothesis, mypy, ruff, pm4py, psycopg)
$(BASE): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e .
	@command -v dot >/dev/null 2>&1 || ( [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  (apt-get install -y -q graphviz >/dev/null 2>&1 || (apt-get update -q >/dev/null 2>&1 && apt-get install -y -q graphviz >/dev/null 2>&1)) ) || \
	  echo "note: Graphviz 'dot' not installed; SVG/PNG graphs are unavailable (DOT and Mermaid still work). Install: apt-get install graphviz"
	touch $(BASE)

# the browser tests (tests/browser) drive the OS's Chromium with Playwright (never a browser of
# its own) and check accessibility with axe-core from the npm registry (kept in .browser/)
$(STAMP): $(BASE)
	$(BIN)/python -m pip install -q -e '.[test]'
	@command -v chromium >/dev/null 2>&1 || ( [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  (apt-get install -y -q chromium >/dev/null 2>&1 || (apt-get update -q >/dev/null 2>&1 && apt-get install -y -q chromium >/dev/null 2>&1)) ) || \
	  echo "note: Chromium not installed; tests/browser skip (and fail with CI=true). Install: apt-get install chromium"
	@test -f $(AXE) || (command -v npm >/dev/null 2>&1 && npm install --silent --no-audit --no-fund \
	  --prefix .browser axe-core@4 >/dev/null 2>&1) || \
	  echo "note: axe-core not installed (needs npm); the accessibility checks skip (and fail with CI=true)"
	touch $(STAMP)

install: $(STAMP)

demo: $(BASE)
	rm -rf demo && mkdir -p demo
	$(BIN)/alur validate procedures/*.yaml
	$(BIN)/alur --db sqlite:///$(DEMO_DB) run mediasi examples/mediasi-*.yaml --skip-existing --now 2026-06-30T17:00:00+07:00
	$(BIN)/alur --db sqlite:///$(DEMO_DB) run sapa examples/sapa-*.yaml --skip-existing --now 2026-06-30T17:00:00+07:00
	$(BIN)/alur --db sqlite:///$(DEMO_DB) run pendampingan examples/pendampingan-*.yaml --skip-existing --now 2026-06-30T17:00:00+07:00
	$(BIN)/alur --db sqlite:///$(DEMO_DB) case list
	$(BIN)/alur --db sqlite:///$(DEMO_DB) audit verify
	$(BIN)/alur --db sqlite:///$(DEMO_DB) report mediasi --format html > demo/report-mediasi.html
	$(BIN)/alur --db sqlite:///$(DEMO_DB) report sapa --format html > demo/report-sapa.html
	$(BIN)/alur --db sqlite:///$(DEMO_DB) report pendampingan --format html > demo/report-pendampingan.html
	$(BIN)/alur graph mediasi --format mermaid -o demo/mediasi.mmd
	$(BIN)/alur graph sapa --format mermaid -o demo/sapa.mmd
	$(BIN)/alur graph pendampingan --format mermaid -o demo/pendampingan.mmd
	-@command -v dot >/dev/null 2>&1 && $(BIN)/alur graph mediasi --format html -o demo/mediasi.html \
	  && $(BIN)/alur graph sapa --format html -o demo/sapa.html \
	  && $(BIN)/alur graph pendampingan --format html -o demo/pendampingan.html
	$(BIN)/python examples/serve_demo.py sqlite:///$(DEMO_DB)
	@echo "demo: store $(DEMO_DB); in demo/: report-*.html, *.mmd (Mermaid) and *.html graphs (with Graphviz)"

test: install
	$(BIN)/python -m pytest -rs

lint: install
	$(BIN)/ruff check engine cli.py tests
	$(BIN)/mypy engine
	$(BIN)/lint-imports

reliability: install
	$(BIN)/python -m pytest -m reliability tests

fuzz: install
	$(BIN)/python -m pip install -q -e '.[fuzz]'
	mkdir -p .fuzz-corpus && cp procedures/*.yaml tests/fixtures/valid/*.yaml .fuzz-corpus/
	$(BIN)/python fuzz/fuzz_loader.py .fuzz-corpus -max_total_time=$${FUZZ_SECONDS:-120} -rss_limit_mb=2048 -timeout=10

# The benchmark (docs/performance.md): installs the bench extra (peers, tqdm), runs every section
# three times (targets are judged on the median), writes bench/results/latest.json and
# regenerates the tables in docs/performance.md. PostgreSQL is measured when ALUR_PG_URL is set or 127.0.0.1:5432 answers.
bench: install
	$(BIN)/python -m pip install -q -e '.[test,bench]'
	$(BIN)/python bench/run.py --out bench/results/latest.json
	$(BIN)/python bench/report.py bench/results/latest.json docs/performance.md

# The JSON Schema, generated from engine/procedure/model.py: the copy alur reads (engine/data,
# package data)
# and the one editors point at (schemas/). Never edit either by hand; tests/test_schema_sync.py
# fails when they differ from the model.
schema: install
	$(BIN)/python -c "import sys; from engine.procedure.shape import write_schema; write_schema(*sys.argv[1:])" \
	  engine/data/procedure.schema.json schemas/procedure.schema.json

clean:
	rm -rf $(VENV) demo .pytest_cache .mypy_cache .ruff_cache .hypothesis .browser .screenshots
