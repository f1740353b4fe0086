# Every target creates .venv when it is missing and installs what it needs:
# on a fresh machine `make test` or `make demo` is the only command to type.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: test demo lint typecheck pytest docs bench fuzz mutation clean ci lowest

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev,docs]'
	touch $(STAMP)

test: lint typecheck pytest docs

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest --cov --cov-report=term

docs: $(STAMP)
	$(BIN)/sphinx-build --fail-on-warning --keep-going --quiet -b html docs docs/_build/html

# 100,000 examples per entry point of tests/test_fuzz.py, with the count of each.
fuzz: $(STAMP)
	$(BIN)/pytest tests/test_fuzz.py -p no:cacheprovider --no-cov --hypothesis-profile=fuzz \
		--hypothesis-show-statistics -q

$(VENV)/.mutation: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[mutation]'
	touch $(VENV)/.mutation

# mutmut over each module of [tool.service-recovery.mutation] against its own tests; the
# figures and the equivalent survivors are in docs/mutation.md. MODULES=_money.money runs one.
mutation: $(VENV)/.mutation
	$(BIN)/python tools/mutation.py $(MODULES)

demo: $(STAMP)
	$(BIN)/service-recovery demo

$(VENV)/.bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	touch $(VENV)/.bench

bench: $(VENV)/.bench
	PYTHONPATH=src:benchmarks $(BIN)/python benchmarks/bench_lifecycle.py
	PYTHONPATH=src:benchmarks $(BIN)/python benchmarks/bench_calendar.py
	PYTHONPATH=src:benchmarks $(BIN)/python benchmarks/bench_simulation.py
	PYTHONPATH=src:benchmarks $(BIN)/python benchmarks/bench_refusals.py

# What CI runs: `make test`, then the suite on every other Python found and on the floors.
ci:
	bash .ci/run

# The suite on the lowest versions of every dependency the package declares.
lowest: $(STAMP)
	$(BIN)/nox --sessions lowest

clean:
	rm -rf $(VENV) .mutation docs/_build .pytest_cache .mypy_cache .ruff_cache .coverage
