# ssmpath: build, test and demo targets. Run as root on Debian (see README.md, "Set-up").

SHELL := /bin/bash
SWIFT ?= $(shell command -v swift 2>/dev/null || echo /opt/swift/usr/bin/swift)
BINARY := .build/release/ssmpath

.PHONY: deps build demo test bench fuzz fuzz-replay dist live-test check

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

## bench: speed and memory vs the raw libpcap loop and tshark on a >= 1 GiB lab capture, a million SYNs,
## live replay (root, ~10 min; results in /var/tmp/ssmpath-bench)
bench: deps
	bash scripts/bench/run.sh

## fuzz: libFuzzer + AddressSanitizer on the decoders and the pipeline, FUZZ_SECONDS (default 60) per
## target; crashers are kept in Fuzz/Crashers/
fuzz: deps
	bash Fuzz/run.sh

## fuzz-replay: every saved crasher in Fuzz/Crashers/ once; fails if one still crashes
fuzz-replay:
	bash Fuzz/run.sh --replay

## dist: portable release binary (Swift runtime, libpcap, zlib linked in): dist/ssmpath-VERSION-linux-ARCH.tar.gz
dist: deps
	SWIFT=$(SWIFT) bash scripts/dist.sh

## live-test: only the live-capture tests (root; brings the lab up and down; ~45 s)
live-test:
	$(SWIFT) test --filter 'LiveCommandTests|LivePrivilegeTests'

## check: the whole test suite, then the CLI on every lab capture, under AddressSanitizer (own scratch
## dir .build-asan; slow)
check: deps
	SWIFT=$(SWIFT) bash scripts/check-asan.sh
