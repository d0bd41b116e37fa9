# Every target sets up the virtual environment it needs.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-failure lint demo bench clean chromium oidc-provider asyncapi-parser

# The runtime's pins (requirements.lock, all the image installs) and development's (tests, checks).
$(STAMP): pyproject.toml requirements.lock requirements-dev.lock
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock -r requirements-dev.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

venv: $(STAMP)

# On this machine, in development mode (HS256 tokens accepted; README, "Access").
run: $(STAMP)
	TDKT_DEVELOPMENT=$${TDKT_DEVELOPMENT:-1} $(BIN)/python -m shared.ops.launcher

test: $(STAMP) chromium oidc-provider asyncapi-parser
	$(BIN)/python -m pytest -q -m "not slow" tests

# The console's browser tests (tests/console) drive Debian's chromium package (never a browser
# download); installed here when missing and we may (root with apt-get), else said what to do.
chromium:
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
	  && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
	  || { echo "tests/console need Debian's chromium: apt-get install -y chromium"; exit 1; }

# The console's sign-in tests start a real OpenID provider (tests/oidc: oidc-provider under
# Node.js 20), its packages exactly as package-lock.json pins them (the tests also do this).
oidc-provider:
	@test -f tests/oidc/node_modules/oidc-provider/package.json || npm ci --prefix tests/oidc --no-audit --no-fund --ignore-scripts

# The AsyncAPI documents are checked by the AsyncAPI Initiative's own parser (tests/contract:
# @asyncapi/parser under Node.js 20), its packages exactly as package-lock.json pins them.
asyncapi-parser:
	@test -f tests/contract/node_modules/@asyncapi/parser/package.json || npm ci --prefix tests/contract --no-audit --no-fund --ignore-scripts

test-failure: $(STAMP)
	$(BIN)/python -m pytest -q tests/failure

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy shared services

# The benchmark (not a test; not in CI): the quick profile, or ARGS="--scale nation".
bench: $(STAMP)
	$(BIN)/python -m bench $(ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

# Seed 000's year into the product `make run` is running (in another terminal), left there for
# the console; ARGS=--private: on a stack of its own that it cleans up (README, "Demo").
demo: $(STAMP)
	$(BIN)/python -m scripts.demo $(ARGS)
