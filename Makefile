# Only python3 and make are needed: everything else is installed into .venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
OUT    ?= out

.PHONY: demo test e2e bench lint install install-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

demo: install
	$(BIN)/planner validate examples/soc2025
	$(BIN)/planner draft examples/soc2025 --out $(OUT)/draft
	$(BIN)/planner history --out $(OUT)/history
	$(BIN)/planner history template --edition 2026 --out $(OUT)/template
	$(BIN)/planner check $(OUT)/draft/agenda.xlsx --format md --out $(OUT)/draft/clashes.md
	@echo
	@echo "Outputs:"
	@echo "  $(OUT)/draft/agenda.html       the drafted SOC25 programme: a grid per day with filters (open in a browser)"
	@echo "  $(OUT)/draft/agenda.xlsx       the same as a spreadsheet: day grids, Sessions, People, Themes, Clashes"
	@echo "  $(OUT)/draft/programme.ics     calendar of the whole programme; calendars/people and calendars/rooms"
	@echo "  $(OUT)/draft/schedule.json     our format (solver status, objective by term); schedule.frab.json for apps"
	@echo "  $(OUT)/draft/agenda.md         Markdown for e-mails; clashes.md: what planner check found (warnings only)"
	@echo "  $(OUT)/history/history.html   past programmes: day shapes, theme trend chart, recurring people"
	@echo "  $(OUT)/history/history.md     the same as Markdown"
	@echo "  $(OUT)/template/conference.yaml  a draft grid for the next edition, derived from past day shapes"

test: install-test
	$(BIN)/ruff check planner tests
	$(BIN)/ruff format --check planner tests
	$(BIN)/python -m pytest

# Browser tests in Debian's Chromium (installed when missing); `make test` skips them where Chromium is absent.
e2e: install-test
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; }
	PLANNER_E2E=1 $(BIN)/python -m pytest -q -rs tests/export/test_agenda_html.py -k chromium

# Benchmark against the peers (each in its own venv under .venv-bench, never needed by demo or test); writes
# BENCHMARKS.md and benchmarks/objective-L.png. BENCH_ARGS="--sizes S,M --repeat 1" for a quick look.
BENCH_VENVS := .venv-bench
BENCH_ARGS ?= --repeat 3
PEERS      := timefold_peer conference_scheduler_peer

$(BENCH_VENVS)/%/.installed: pyproject.toml
	$(PYTHON) -m venv $(BENCH_VENVS)/$*
	$(BENCH_VENVS)/$*/bin/python -m pip install --quiet --upgrade pip
	$(BENCH_VENVS)/$*/bin/python -m pip install --quiet -e '.[bench-$(subst _,-,$*)]'
	touch $@

bench: install $(foreach peer,$(PEERS),$(BENCH_VENVS)/$(peer)/.installed)
	$(BIN)/python -m planner.bench $(BENCH_ARGS)

lint: install-test
	$(BIN)/ruff check --fix planner tests
	$(BIN)/ruff format planner tests

clean:
	rm -rf $(VENV) $(BENCH_VENVS) $(OUT) .pytest_cache .ruff_cache *.egg-info
