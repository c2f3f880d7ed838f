# The two set-up commands (see README): `make serve` and `make test`.
export PATH := /opt/swift/usr/bin:$(PATH)

SWIFT ?= swift
# Release executables link the Swift runtime statically: CGI pays process start-up per request.
RELEASE := -c release --static-swift-stdlib
RELEASE_BIN = $(shell $(SWIFT) build $(RELEASE) --show-bin-path)
PORT ?= 54321
MODE ?= cgi

.PHONY: all deps build serve test fuzz format clean

all: build

deps:
	@deploy/install-debian-packages.sh

build: deps
	$(SWIFT) build $(RELEASE)

# Runs the gateway locally on the embedded SQLite default: http://127.0.0.1:54321/functions/v1/<name>
serve: build
	$(RELEASE_BIN)/local-runner serve --port $(PORT) --mode $(MODE)

# The whole test suite: unit tests plus real nginx, fcgiwrap, CGI processes and FastCGI workers.
# Built once, optimised: the integration tests exercise release binaries. (XCTest cannot link
# with --static-swift-stdlib, and that flag changes every module's compilation, so the tests
# cannot share the static build; CI compiles the packages once this way.)
# Tests/run-tests.sh also fails the run if a test API key shows up in anything it logged.
test: deps
	Tests/run-tests.sh

# Coverage-guided fuzzing (Fuzz/README.md): every libFuzzer harness for 60 s; fails on a crash, hang or leak.
fuzz:
	Fuzz/run.sh 60

# Formats the Swift code with .swift-format (make test fails on code left unformatted).
format:
	$(SWIFT) format format --in-place --configuration .swift-format --recursive $$(cat .swift-format-paths)

clean:
	rm -rf .build
