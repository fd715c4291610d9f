# The verbs of this project. Each target is one line that calls a script or a tool.
# First use creates .venv from the hash-pinned requirements.txt (needs only python3.11, pip, make).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve test lint route-tools build figures bench linkcheck-external test-browser published publish add-source lock clean

serve: $(VENV)/.installed  ## live-reloading site on http://127.0.0.1:8000
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

test: lint route-tools  ## the linter, then every test, the strict build included
	$(BIN)/python -m pytest

route-tools:  ## citeproc-js (citation-js, package-lock.json) for tests/test_routes.py, when Node is installed
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory node_modules/.installed; else echo "Node.js not found: tests/test_routes.py will be skipped (install Node.js 16 or later and npm, e.g. apt-get install nodejs npm, then make test)"; fi

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error && touch $@

lint: $(VENV)/.installed  ## ruff over scripts/ (the primer package) and tests/ (pyproject.toml: [tool.ruff])
	$(BIN)/ruff check scripts tests

build: $(VENV)/.installed  ## strict build into site/
	$(BIN)/mkdocs build --strict --clean

figures: $(VENV)/.installed  ## check every figure and quotation in docs/ against its cited source; the claims to review in reports/claims-review.md
	$(BIN)/python -m primer.checks.figures --review reports/claims-review.md

test-browser: $(VENV)/.installed  ## the browser tests only: the built site in Chromium (Playwright)
	$(BIN)/python -m pytest tests/browser -m browser

bench: $(VENV)/.installed  ## build time, page weight and load time; writes reports/bench.json and .md
	$(BIN)/python -m primer.bench

linkcheck-external: $(VENV)/.installed  ## check every external URL (needs the network); report in reports/
	$(BIN)/python -m primer.linkcheck_external

published: $(VENV)/.installed  ## record the site's page URLs and section anchors in published.json (deliberately, after a release or removal)
	$(BIN)/python -m primer.published --update

publish: $(VENV)/.installed  ## publish the edition with mike onto gh-pages (PUSH=1 pushes; FORCE=1 replaces a published edition)
	$(BIN)/python -m primer.publish $(if $(PUSH),--push) $(if $(FORCE),--force) $(if $(TAG),--tag $(TAG))

add-source: $(VENV)/.installed  ## add a source: FILE= KEY= TITLE= LICENCE= RECEIVED= [AUTHOR= DATE= URL= TYPE= EXCERPT=1] (CONTRIBUTING.md)
	$(BIN)/python -m primer.add_source --file "$(FILE)" --key "$(KEY)" --title "$(TITLE)" --licence "$(LICENCE)" --received "$(RECEIVED)" $(if $(AUTHOR),--author "$(AUTHOR)") $(if $(DATE),--date "$(DATE)") $(if $(URL),--url "$(URL)") $(if $(TYPE),--type "$(TYPE)") $(if $(EXCERPT),--excerpt)

$(VENV)/.installed: requirements-pip.txt requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-pip.txt
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation --editable .
	touch $@

lock: $(VENV)/.installed  ## re-pin requirements.txt from requirements.in (needs the package index)
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe -o requirements.txt requirements.in

clean:
	rm -rf site .pytest_cache
