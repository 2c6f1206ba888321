# The two commands for a fresh machine: `make run` and `make test`. Both install what is
# missing (Debian packages, ansible-core in .venv) before they build.
SWIFT ?= swift
BIN_DEBUG = .build/debug

.PHONY: run test build deps bench fuzz dist format clean

deps:
	@scripts/ensure-deps.sh

build: deps
	$(SWIFT) build

run: deps
	@scripts/run-demo.sh

# dist/inventory-script is built first: its portability test (DistBinaryTests) checks it.
# Schemathesis against the running service (Tests/contract/, about a minute; reports in .build/schemathesis-report).
# The dashboard's browser tests (headless chromium) run last; screenshots go to .build/dashboard-screenshots.
test: deps
	DIST_PRODUCTS=inventory-script scripts/dist.sh
	$(SWIFT) build --build-tests
	BATCH_SOURCE_BIN=$(CURDIR)/$(BIN_DEBUG)/batch-source INVENTORY_SCRIPT_BIN=$(CURDIR)/$(BIN_DEBUG)/inventory-script \
		DIST_INVENTORY_SCRIPT=$(CURDIR)/dist/inventory-script $(SWIFT) test --skip-build
	BATCH_SOURCE_BIN=$(CURDIR)/$(BIN_DEBUG)/batch-source Tests/contract/run-schemathesis.sh
	BATCH_SOURCE_BIN=$(CURDIR)/$(BIN_DEBUG)/batch-source .venv/bin/python Tests/browser/test_dashboard.py

# Release binaries with the Swift runtime linked in; dist/inventory-script runs in AWX's RHEL 9
# execution environments with nothing installed (see scripts/dist.sh). Then the Ansible collection.
dist: deps
	@scripts/dist.sh
	@scripts/dist-collection.sh

bench: deps
	@scripts/bench.sh

# The layout of every Swift file, by .swift-format (layout only: no rule rewrites code).
format:
	$(SWIFT) format --in-place --recursive --parallel Package.swift Sources Tests Plugins Fuzz

# Coverage-guided fuzzing of the readers, FUZZ_SECONDS (default 60) per harness; not part of
# `make test`, whose regression tests keep what it found fixed (see scripts/fuzz.sh).
fuzz: deps
	@scripts/fuzz.sh

clean:
	rm -rf .build .build-* dist data
