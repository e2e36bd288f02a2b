# Only python3 and make are needed: everything else is installed into .venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
OUT    ?= out

.PHONY: demo test e2e e2e-deps bench lint install install-test clean pretalx

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
	@echo "--- the same programme drafted as if nobody had picked anything (examples/soc2025/interest.csv ignored):"
	$(BIN)/planner draft examples/soc2025 --ignore-interest --out $(OUT)/draft-without-interest
	$(BIN)/planner history --out $(OUT)/history
	$(BIN)/planner history template --edition 2026 --out $(OUT)/template
	$(BIN)/planner check $(OUT)/draft/agenda.xlsx --format md --out $(OUT)/draft/clashes.md
	@echo
	@echo "Outputs:"
	@echo "  $(OUT)/draft/agenda.html       the drafted SOC25 programme: grids, filters, your own calendar (open in a browser)"
	@echo "  $(OUT)/draft/agenda.xlsx       the same as a spreadsheet: day grids, Sessions, People, Themes, Clashes"
	@echo "  $(OUT)/draft/programme.ics     calendar of the whole programme; calendars/people, rooms and themes"
	@echo "  $(OUT)/draft/schedule.json     our format (solver status, objective by term); schedule.frab.json and .xml for apps"
	@echo "  $(OUT)/draft-without-interest/  the programme drafted without the attendees' picks: compare the served lines above"
	@echo "  $(OUT)/draft/agenda.md         Markdown for e-mails, set beside SOC24; clashes.md: what planner check found"
	@echo "  $(OUT)/history/history.html   past programmes: day shapes, a heat map of theme shares, recurring people"
	@echo "  $(OUT)/history/history.md     the same as Markdown"
	@echo "  $(OUT)/template/conference.yaml  the next edition's grid, day shape and kinds' places, derived from history"

test: install-test pretalx
	$(BIN)/ruff check planner tests benchmarks
	$(BIN)/ruff format --check planner tests benchmarks
	$(BIN)/mypy planner
	$(BIN)/python -m pytest

# A real pretalx for the round-trip tests (tests/sources/pretalx): its own venv, never a dependency of planner. The
# tests migrate it once per run onto SQLite, seed it through its own shell and start it on 127.0.0.1. 2025.2.2 is the
# newest release for Python 3.11 and speaks the API v1 planner uses. Without this venv the tests skip, saying to run
# `make pretalx`; under CI or PLANNER_E2E=1 they fail instead.
PRETALX_VENV    := .venv-pretalx
PRETALX_VERSION := 2025.2.2

$(PRETALX_VENV)/.installed-$(PRETALX_VERSION):
	rm -rf $(PRETALX_VENV)
	$(PYTHON) -m venv $(PRETALX_VENV)
	$(PRETALX_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(PRETALX_VENV)/bin/python -m pip install --quiet 'pretalx==$(PRETALX_VERSION)'
	touch $@

pretalx: $(PRETALX_VENV)/.installed-$(PRETALX_VERSION)

# The real programs the tests open our outputs in: Debian's Chromium (the HTML agenda), LibreOffice (the workbook,
# printed to PDF) and poppler's pdfinfo (pages of that PDF). `make test` skips those tests where they are absent;
# CI and `make e2e` install them, and with PLANNER_E2E=1 a missing one is a failure, never a skip.
E2E_PACKAGES := chromium libreoffice-calc-nogui poppler-utils
e2e-deps:
	@command -v chromium >/dev/null 2>&1 && command -v soffice >/dev/null 2>&1 && command -v pdfinfo >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $(E2E_PACKAGES); }

e2e: install-test e2e-deps
	PLANNER_E2E=1 $(BIN)/python -m pytest -q -rs -m e2e

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

# CoSPLib (issue 18): its own solvers and checker in their own venv, from its requirements (less the line naming
# python itself) plus pulp and highspy; without ../shared/cosplib the target says so and the benchmark skips.
COSPLIB ?= ../shared/cosplib
$(BENCH_VENVS)/cosplib/.installed:
	@if [ -f $(COSPLIB)/requirements.txt ]; then \
	  $(PYTHON) -m venv $(BENCH_VENVS)/cosplib && \
	  $(BENCH_VENVS)/cosplib/bin/python -m pip install --quiet --upgrade pip && \
	  grep -v '^python[<>=]' $(COSPLIB)/requirements.txt > $(BENCH_VENVS)/cosplib/requirements.txt && \
	  $(BENCH_VENVS)/cosplib/bin/python -m pip install --quiet -r $(BENCH_VENVS)/cosplib/requirements.txt pulp highspy && \
	  touch $@; \
	else echo "CoSPLib is not at $(COSPLIB): no venv for it; its benchmark will be skipped"; fi

bench: install $(foreach peer,$(PEERS),$(BENCH_VENVS)/$(peer)/.installed) $(BENCH_VENVS)/cosplib/.installed
	$(BIN)/python -m benchmarks $(BENCH_ARGS)
	$(BIN)/python -m benchmarks.audience --repeat 3 --update BENCHMARKS.md
	$(BIN)/python -m benchmarks.cosplib --repeat 3 --update BENCHMARKS.md

lint: install-test
	$(BIN)/ruff check --fix planner tests benchmarks
	$(BIN)/ruff format planner tests benchmarks

clean:
	rm -rf $(VENV) $(BENCH_VENVS) $(PRETALX_VENV) $(OUT) .pytest_cache .ruff_cache *.egg-info
