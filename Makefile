# Tunewise: `make run` and `make test` work on a fresh clone; each sets up .venv as needed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q
# Reinstall whenever pyproject.toml changes.
RUN_STAMP  := $(VENV)/.stamp-run
TEST_STAMP := $(VENV)/.stamp-test
HEADLESS   := QT_QPA_PLATFORM=offscreen

.PHONY: run test bench lint screenshots report-example package install-desktop clean help

help:
	@echo "make run             set up .venv and open Tunewise with the support-bot example"
	@echo "make test            set up .venv with test extras and run the whole suite headless"
	@echo "make bench           benchmarks (not part of test)"
	@echo "make screenshots     PNGs of every wizard page and the dashboard in out/screenshots"
	@echo "make report-example  the example planning report in out/support-bot-report.pdf"
	@echo "make package         one-folder desktop bundle in dist/Tunewise"
	@echo "make install-desktop launcher entry, icon and .tunewise file type for this user"
	@echo "make lint            ruff, and mypy --strict on the whole package"

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): pyproject.toml | $(VENV)/bin/python
	$(PIP) install --upgrade pip
	$(PIP) install -e .
	@touch $@

$(TEST_STAMP): pyproject.toml | $(VENV)/bin/python
	$(PIP) install --upgrade pip
	$(PIP) install -e ".[test,dev,package]"
	@touch $@ $(RUN_STAMP)

run: $(RUN_STAMP)
	$(BIN)/python packaging/check_qt_libs.py
	$(BIN)/tunewise resources/examples/support-bot.tunewise

test: $(TEST_STAMP)
	$(HEADLESS) $(BIN)/python -m pytest

lint: $(TEST_STAMP)
	$(BIN)/ruff check desktop tests packaging
	$(BIN)/mypy

bench: $(TEST_STAMP)
	$(HEADLESS) $(BIN)/python tests/bench/run.py

screenshots: $(TEST_STAMP)
	$(HEADLESS) $(BIN)/python desktop/tools/screenshots.py out/screenshots

report-example: $(RUN_STAMP)
	@mkdir -p out
	$(BIN)/tunewise report resources/examples/support-bot.tunewise -o out/support-bot-report.pdf

package: $(TEST_STAMP)
	$(BIN)/pyinstaller --noconfirm --clean --distpath dist --workpath build packaging/tunewise.spec
	@$(BIN)/python -c "import pathlib; d = pathlib.Path('dist/Tunewise'); \
	  n = d.lstat().st_size + sum(p.lstat().st_size for p in d.rglob('*')); \
	  print(f'dist/Tunewise: {n / 1e6:.1f} MB unpacked (budget 200 MB)')"
	$(HEADLESS) dist/Tunewise/Tunewise --smoke-test

install-desktop:
	packaging/install-desktop.sh

clean:
	rm -rf build dist out .pytest_cache
