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

## demo: analyze every capture in Captures/ (a message when there is none)
demo: deps build
	@shopt -s nullglob; files=(Captures/*.pcap Captures/*.pcapng Captures/*.gz); \
	if [[ $${#files[@]} -eq 0 ]]; then echo "demo: no captures in Captures/"; \
	else echo "$(BINARY) analyze $${files[*]}"; $(BINARY) analyze "$${files[@]}"; fi

## test: every test target (Swift Testing runs tests in parallel)
test: deps
	$(SWIFT) test
