# SmoothTask: `make run` and `make test` do every set-up step on a fresh Debian 12 / Ubuntu 24.04 (as root).

SWIFT_TOOLCHAIN ?= /opt/swift/usr/bin
export PATH := $(PATH):$(SWIFT_TOOLCHAIN)

SOCKET    ?= /run/smoothtask.sock
LOG       ?= /var/log/smoothtaskd.log
PIDFILE   ?= /run/smoothtaskd.pid
RELEASE   := .build/release
# Build: libbpf + libelf + zlib (linked), pkg-config (finds them); the BPF programs compile with the
# Swift toolchain's own clang. Tests: bpftool (lists loaded programs), setpriv and unshare (run as
# nobody, mount a hidepid /proc), python3 + jsonschema (checks replies against protocol/openrpc.json
# and runs the documented Python client).
APT_PACKAGES := libbpf-dev libelf-dev zlib1g-dev pkg-config bpftool util-linux python3

.PHONY: run test bench fuzz deps build release stop clean help

help:
	@echo "make run    install what is missing, build, start smoothtaskd on $(SOCKET), show its status"
	@echo "make test   install what is missing and run the whole test suite (real eBPF: run as root)"
	@echo "make stop   stop the daemon that make run started"
	@echo "make bench  measure what SmoothTask costs against bpftrace and hand-written floors; writes BENCHMARKS.md (root, ~5 min)"
	@echo "make fuzz   feed FUZZ_CASES seeded random streams to the frame decoder and dispatcher"

deps:
	@missing=$$(for package in $(APT_PACKAGES); do dpkg -s $$package >/dev/null 2>&1 || echo $$package; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing missing packages:" $$missing; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi
	@python3 -c 'import jsonschema' 2>/dev/null || { echo "Installing python3-jsonschema"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-jsonschema >/dev/null; \
		python3 -c 'import jsonschema' 2>/dev/null || python3 -m pip install -q jsonschema; }
	@command -v swift >/dev/null || { echo "Swift 6 toolchain not found: install it from swift.org into /opt/swift (or set SWIFT_TOOLCHAIN)"; exit 1; }

build: deps
	swift build

release: deps
	swift build -c release

run: release
	@if $(RELEASE)/smoothtaskctl config get --socket $(SOCKET) >/dev/null 2>&1; then \
		echo "smoothtaskd is already serving $(SOCKET)"; \
	else \
		echo "Starting smoothtaskd on $(SOCKET) (log: $(LOG); stop with: make stop)"; \
		nohup $(RELEASE)/smoothtaskd --socket $(SOCKET) >>$(LOG) 2>&1 & echo $$! >$(PIDFILE); \
		for attempt in $$(seq 50); do \
			$(RELEASE)/smoothtaskctl config get --socket $(SOCKET) >/dev/null 2>&1 && break; sleep 0.1; \
		done; \
		sleep 1.2; \
	fi
	$(RELEASE)/smoothtaskctl status --socket $(SOCKET)

stop:
	@if [ -f $(PIDFILE) ]; then kill -TERM $$(cat $(PIDFILE)) && rm -f $(PIDFILE) && echo "smoothtaskd stopped"; \
	else echo "no $(PIDFILE): smoothtaskd was not started by make run"; fi

test: build
	swift test --disable-swift-testing

# Not part of test: it takes minutes, switches kernel.bpf_stats_enabled for a while and installs the
# peers it compares against (bpftrace, hyperfine).
bench: release
	python3 bench/bench.py

# The suite runs 10,000 cases; this runs as many as asked (seeded: FUZZ_SEED replays a run).
FUZZ_CASES ?= 1000000
FUZZ_SEED  ?= 1592590339
fuzz: build
	SMOOTHTASK_FUZZ_CASES=$(FUZZ_CASES) SMOOTHTASK_FUZZ_SEED=$(FUZZ_SEED) swift test --disable-swift-testing --filter DispatcherFuzzTests

clean:
	rm -rf .build
