# SmoothTask: `make run` and `make test` do every set-up step on a fresh Debian 12 / Ubuntu 24.04 (as root).

SWIFT_TOOLCHAIN ?= /opt/swift/usr/bin
export PATH := $(PATH):$(SWIFT_TOOLCHAIN)

SOCKET    ?= /run/smoothtask.sock
LOG       ?= /var/log/smoothtaskd.log
PIDFILE   ?= /run/smoothtaskd.pid
RELEASE   := .build/release
# Build: libbpf + libelf + zlib (linked), libsqlite3-dev (GRDB's SQLite, the history store), pkg-config (finds them); the BPF programs compile with the
# Swift toolchain's own clang. Tests: bpftool (lists loaded programs), setpriv and unshare (run as
# nobody, mount a hidepid /proc), python3 + jsonschema (checks replies against protocol/openrpc.json
# and runs the documented Python client).
# stress-ng overloads the run queue in the scheduler-latency test. gcc builds the C load generators
# in Tests/Tools (short_lived.c, worker_idle.c); strace and perf count their syscalls and CPU
# independently (perf is linux-perf on Debian, linux-tools-common on Ubuntu). libsqlite3-dev: the
# history store (GRDB). mandoc and man-db (with groff) lint the man pages: no mdoc warnings, as `man -l` renders them.
PERF_PACKAGE := $(shell . /etc/os-release 2>/dev/null; if [ "$$ID" = ubuntu ]; then echo linux-tools-common; else echo linux-perf; fi)
APT_PACKAGES := libbpf-dev libelf-dev zlib1g-dev libsqlite3-dev libncurses-dev tmux pkg-config bpftool util-linux python3 stress-ng gcc strace tzdata $(PERF_PACKAGE) mandoc man-db
# make test-systemd: a Debian 12 root filesystem and systemd-nspawn. Without --no-install-recommends
# libnss-mymachines comes along and edits the host's /etc/nsswitch.conf.
SYSTEMD_TEST_PACKAGES := debootstrap systemd-container
# make deb: Debian's own packaging tools and its policy checker.
DEB_PACKAGES := dpkg-dev debhelper lintian

# make install: where things go. DESTDIR stages into another root (then no user is created and
# systemd is not told); BUILD_DIR installs binaries built elsewhere instead of a release build.
PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
UNITDIR   ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
TMPFILESDIR ?= $(PREFIX)/lib/tmpfiles.d
DOCDIR    ?= $(PREFIX)/share/doc/smoothtask
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/site-functions
CONFDIR   ?= /etc/smoothtask
BUILD_DIR ?= $(RELEASE)
SERVICE_USER := smoothtask

TOOLS     := .build/tools
PROMTOOL  := $(TOOLS)/usr/bin/promtool

.PHONY: run test test-systemd systemd-test-deps deb deb-deps bench bench-client bench-scrape bench-history fuzz fuzz-build fuzz-smoke fuzz-seeded deps test-deps promtool build release stop clean help man install uninstall install-completions install-man otlp test-otlp

help:
	@echo "make run    install what is missing, build, start smoothtaskd on $(SOCKET), show its status"
	@echo "make test   install what is missing and run the whole test suite (real eBPF: run as root)"
	@echo "make stop   stop the daemon that make run started"
	@echo "make test-systemd  install the service into a Debian 12 container booted with systemd-nspawn and check it (root; ~1 min the first time)"
	@echo "make test-otlp  build the OTLP bridge (Bridges/otlp, ~4 min the first time) and test it against a loopback receiver (root)"
	@echo "make bench  measure what SmoothTask costs against bpftrace and hand-written floors; writes BENCHMARKS.md (root, ~5 min)"
	@echo "make bench-client  only the client start-up rows (smoothtaskctl vs a Swift hello world); rewrites that section"
	@echo "make bench-scrape  only the /metrics scrape row (1,000 processes, 100 cgroups); rewrites that section"
	@echo "make bench-history only the history rows (recording cost, bytes per collection, range queries); rewrites that section"
	@echo "make fuzz   libFuzzer + AddressSanitizer on frame decoding, parsing and dispatch for FUZZ_SECONDS=$(FUZZ_SECONDS)"
	@echo "            (FUZZ_RUNS=1000000 stops after that many inputs); make test runs $(FUZZ_SMOKE_SECONDS) s of it"
	@echo "make fuzz-seeded  feed FUZZ_CASES seeded random streams to the decoder and dispatcher (swift test)"
	@echo "make install-completions install-man   bash/zsh/fish completions and man pages under PREFIX=$(PREFIX)"
	@echo "make man    regenerate man/*.1 from the binaries' --help (slow the first time)"
	@echo "make deb   build .build/deb/smoothtask_VERSION_amd64.deb with dpkg-buildpackage (release build, static Swift runtime) and run lintian on it"
	@echo "make install    binaries, systemd units, the smoothtask user and group, $(CONFDIR); then:"
	@echo "                systemctl enable --now smoothtask.socket"
	@echo "make uninstall  remove all of it again (DESTDIR=... stages either into another root)"

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

# The Swift runtime linked statically: smoothtaskctl starts in 6.6 ms instead of 12.6 (a Swift hello
# world takes 4.5 here; the dynamic loader resolving a dozen Swift libraries was most of it), and the
# installed binaries need no Swift toolchain on the machine.
# -function-sections: every Swift function in a section of its own (the compiler otherwise puts a
# file's functions in one), so that the linker can put the code the binaries run next to each other
# in the order link-order/ lists (Package.swift says why; bench/link_order.py writes the lists).
RELEASE_SWIFT_FLAGS := -Xswiftc -Xfrontend -Xswiftc -function-sections
release: deps
	swift build -c release --static-swift-stdlib $(RELEASE_SWIFT_FLAGS)

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

# The tests parse the exposition with Python's prometheus_client and lint it with promtool.
test-deps: promtool
	@python3 -c 'import prometheus_client' 2>/dev/null || pip install -q prometheus-client

# promtool from Debian's prometheus package, unpacked rather than installed: installing the package
# would start a Prometheus server.
promtool: $(PROMTOOL)
$(PROMTOOL):
	mkdir -p $(TOOLS)
	cd $(TOOLS) && { apt-get download prometheus 2>/dev/null || { apt-get update -qq && apt-get download prometheus; }; } \
		&& dpkg -x prometheus_*.deb . && rm -f prometheus_*.deb

# The fuzz smoke run goes first so the suite's own summary is printed near the end; the service under a
# real systemd (make test-systemd: a release build, the .deb, two container boots) runs last.
test: build test-deps
	$(MAKE) --no-print-directory fuzz-smoke
	swift test --disable-swift-testing
	$(MAKE) --no-print-directory test-systemd

# The OTLP bridge is a package of its own and not part of test: its first build compiles
# async-http-client, swift-nio-http2 and BoringSSL, minutes on 2 cores beside the main build.
OTLP_PACKAGE := Bridges/otlp
otlp: build
	swift build --package-path $(OTLP_PACKAGE)

# A real smoothtaskd, the bridge, and an OTLP/HTTP receiver on loopback that decodes each push with
# opentelemetry-proto; checks the figures against /proc and the daemon's own replies.
test-otlp: otlp
	@python3 -c 'import opentelemetry.proto' 2>/dev/null || pip install -q opentelemetry-proto
	python3 $(OTLP_PACKAGE)/Tests/otlp_receiver_test.py .build/debug/smoothtaskd $(OTLP_PACKAGE)/.build/debug/smoothtask-otlp

# The installed service under a real systemd: Debian 12 booted with systemd-nspawn (root filesystem
# debootstrapped once into SMOOTHTASK_TEST_CACHE), checked end to end. Root; see scripts/test-systemd.sh.
SMOOTHTASK_TEST_CACHE ?= /var/cache/smoothtask-test
export SMOOTHTASK_TEST_CACHE
# The checks run twice: on a make install DESTDIR tree of the debug build, and on the .deb of make deb
# installed with apt in a fresh container.
test-systemd: build systemd-test-deps deb
	scripts/test-systemd.sh $(CURDIR)/.build/debug $(CURDIR)/$(DEB_DIR)/smoothtask_$$(dpkg-parsechangelog -S Version)_amd64.deb

systemd-test-deps deb-deps:
	@missing=$$(for package in $(if $(filter deb-deps,$@),$(DEB_PACKAGES),$(SYSTEMD_TEST_PACKAGES)); do dpkg -s $$package >/dev/null 2>&1 || echo $$package; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing missing packages:" $$missing; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

# The package: debian/ drives dpkg-buildpackage and debhelper, which call make release and make install
# (debian/rules). dpkg-buildpackage writes next to the work tree; the results are moved to DEB_DIR.
# lintian must have nothing to say (--fail-on warning; info tags are printed too).
DEB_DIR := .build/deb
deb: deb-deps
	dpkg-buildpackage -b -us -uc
	mkdir -p $(DEB_DIR)
	version=$$(dpkg-parsechangelog -S Version); \
	for file in smoothtask_$${version}_amd64.deb smoothtask-dbgsym_$${version}_amd64.deb smoothtask_$${version}_amd64.buildinfo smoothtask_$${version}_amd64.changes; do \
		if [ -f ../$$file ]; then mv ../$$file $(DEB_DIR)/; fi; \
	done; \
	lintian --fail-on warning --info $(DEB_DIR)/smoothtask_$${version}_amd64.deb && echo "lintian: clean" && ls -l $(DEB_DIR)/smoothtask_$${version}_amd64.deb

# Not part of test: it takes minutes, switches kernel.bpf_stats_enabled for a while and installs the
# peers it compares against (bpftrace, hyperfine).
bench: release
	python3 bench/bench.py

bench-client: release
	python3 bench/bench.py --only client

bench-scrape: release
	python3 bench/bench.py --only scrape

bench-history: release
	python3 bench/bench.py --only history

# The suite runs 10,000 cases; this runs as many as asked (seeded: FUZZ_SEED replays a run).
FUZZ_CASES ?= 1000000
FUZZ_SEED  ?= 1592590339
fuzz-seeded: build
	SMOOTHTASK_FUZZ_CASES=$(FUZZ_CASES) SMOOTHTASK_FUZZ_SEED=$(FUZZ_SEED) swift test --disable-swift-testing --filter DispatcherFuzzTests

# The libFuzzer target (Fuzzing/) is a package of its own with its own build directory: every module
# under test is compiled with -sanitize=fuzzer,address (coverage for libFuzzer, AddressSanitizer and
# LeakSanitizer), which the normal build must not be. --sanitize=fuzzer tells SwiftPM that libFuzzer
# provides main; the -Xswiftc flag, which comes later on each command line and so wins, adds
# AddressSanitizer. make fuzz runs an optimized build (about 6x the inputs per second); the smoke run
# in make test runs a debug build, which also keeps every assert() and skips the optimizer: the
# optimized fuzz build took 3 of make test's 20 minutes on 2 cores (its user CPU time, 2x this one's).
FUZZ_PACKAGE := Fuzzing
FUZZ_SECONDS ?= 300
FUZZ_RUNS    ?= 0
FUZZ_SMOKE_SECONDS ?= 20
FUZZ_FLAGS   := --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address -Xswiftc -enable-testing
fuzz-build:
	swift build --package-path $(FUZZ_PACKAGE) -c release --product smoothtask-fuzz $(FUZZ_FLAGS)

fuzz: fuzz-build
	$(FUZZ_PACKAGE)/run-fuzzer.sh $(FUZZ_PACKAGE)/.build/release/smoothtask-fuzz $(FUZZ_SECONDS) $(FUZZ_RUNS)

fuzz-smoke:
	swift build --package-path $(FUZZ_PACKAGE) -c debug --product smoothtask-fuzz $(FUZZ_FLAGS)
	$(FUZZ_PACKAGE)/run-fuzzer.sh $(FUZZ_PACKAGE)/.build/debug/smoothtask-fuzz $(FUZZ_SMOKE_SECONDS)

# Shell completions, generated by the built smoothtaskctl and smoothtaskd (swift-argument-parser). The
# bash script is sourced by bash-completion, never run, so its #! line goes (lintian).
install-completions: $(if $(filter $(RELEASE),$(BUILD_DIR)),release)
	install -d $(DESTDIR)$(PREFIX)/share/bash-completion/completions $(DESTDIR)$(ZSHCOMPDIR) \
		$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	for tool in smoothtaskctl smoothtaskd; do \
		$(BUILD_DIR)/$$tool --generate-completion-script bash | sed '1{/^#!/d}' >$(DESTDIR)$(PREFIX)/share/bash-completion/completions/$$tool && \
		$(BUILD_DIR)/$$tool --generate-completion-script zsh >$(DESTDIR)$(ZSHCOMPDIR)/_$$tool && \
		$(BUILD_DIR)/$$tool --generate-completion-script fish >$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/$$tool.fish \
		|| exit 1; \
	done

# The man pages in man/ are generated (make man) and committed: building argument-parser's
# generate-manual tool takes minutes, too long for every install. scripts/finish-manual.py then
# writes what the generator cannot: EXIT STATUS as the tools exit, ENVIRONMENT, FILES, SEE ALSO,
# examples as displays, and no blank lines (each an mdoc warning).
install-man:
	install -d $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 644 man/smoothtaskctl.1 man/smoothtaskd.1 $(DESTDIR)$(PREFIX)/share/man/man1/

man: build
	swift package --allow-writing-to-package-directory generate-manual --date $$(git log -1 --format=%cs)
	cp .build/plugins/GenerateManual/outputs/smoothtaskctl/smoothtaskctl.1 .build/plugins/GenerateManual/outputs/smoothtaskd/smoothtaskd.1 man/
	python3 scripts/finish-manual.py man/smoothtaskctl.1 man/smoothtaskd.1

install: $(if $(filter $(RELEASE),$(BUILD_DIR)),release) install-completions install-man
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(DOCDIR)
	install -m 0755 $(BUILD_DIR)/smoothtaskd $(BUILD_DIR)/smoothtaskctl $(DESTDIR)$(BINDIR)/
	for unit in smoothtaskd.service smoothtask.socket; do \
		sed -e 's|/usr/local/bin/|$(BINDIR)/|' -e 's|/usr/local/share/doc/smoothtask/|$(DOCDIR)/|' systemd/$$unit >$(DESTDIR)$(UNITDIR)/$$unit \
		&& chmod 0644 $(DESTDIR)$(UNITDIR)/$$unit || exit 1; \
	done
	install -m 0644 systemd/smoothtask.sysusers $(DESTDIR)$(SYSUSERSDIR)/smoothtask.conf
	install -D -m 0644 systemd/smoothtask.tmpfiles $(DESTDIR)$(TMPFILESDIR)/smoothtask.conf
	install -m 0644 README.md $(DESTDIR)$(DOCDIR)/
	install -d -m 0755 $(DESTDIR)$(CONFDIR)
ifeq ($(DESTDIR),)
	getent passwd $(SERVICE_USER) >/dev/null || useradd --system --user-group --home-dir / --no-create-home \
		--shell /usr/sbin/nologin --comment "SmoothTask eBPF metrics daemon" $(SERVICE_USER)
	chown $(SERVICE_USER):$(SERVICE_USER) $(CONFDIR)
	if [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
	@echo "Installed. Start it with: systemctl enable --now smoothtask.socket"
endif

uninstall:
ifeq ($(DESTDIR),)
	if [ -d /run/systemd/system ]; then systemctl disable --now smoothtask.socket smoothtaskd.service || true; fi
endif
	rm -f $(DESTDIR)$(BINDIR)/smoothtaskd $(DESTDIR)$(BINDIR)/smoothtaskctl
	rm -f $(DESTDIR)$(UNITDIR)/smoothtaskd.service $(DESTDIR)$(UNITDIR)/smoothtask.socket
	rm -f $(DESTDIR)$(SYSUSERSDIR)/smoothtask.conf $(DESTDIR)$(TMPFILESDIR)/smoothtask.conf
	rm -rf $(DESTDIR)$(DOCDIR) $(DESTDIR)$(CONFDIR)
	rm -f $(DESTDIR)$(PREFIX)/share/man/man1/smoothtaskctl.1 $(DESTDIR)$(PREFIX)/share/man/man1/smoothtaskd.1
	for tool in smoothtaskctl smoothtaskd; do rm -f $(DESTDIR)$(PREFIX)/share/bash-completion/completions/$$tool \
		$(DESTDIR)$(ZSHCOMPDIR)/_$$tool $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/$$tool.fish; done
ifeq ($(DESTDIR),)
	if getent passwd $(SERVICE_USER) >/dev/null; then userdel $(SERVICE_USER); fi
	if getent group $(SERVICE_USER) >/dev/null; then groupdel $(SERVICE_USER); fi
	if [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
endif

clean:
	rm -rf .build
