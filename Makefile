# ssmpath: build, test and demo targets. Run as root on Debian (see README.md, "Set-up").

SHELL := /bin/bash
SWIFT ?= $(shell command -v swift 2>/dev/null || echo /opt/swift/usr/bin/swift)
BINARY := .build/release/ssmpath

.PHONY: deps build demo test

## deps: install the Debian packages that are missing (idempotent, quick when all present)
deps:
	bash scripts/install-deps.sh

## build: the release binary at .build/release/ssmpath
build:
	$(SWIFT) build -c release

## demo: analyze every capture in Captures/; a report per capture (all formats, en and ja) in reports/
demo: deps build
	bash scripts/demo.sh

## test: every test target (Swift Testing runs tests in parallel)
test: deps
	$(SWIFT) test
