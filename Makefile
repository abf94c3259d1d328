# SmoothTask: `make run` and `make test` do every set-up step on a fresh Debian 12 / Ubuntu 24.04 (as root).

SWIFT_TOOLCHAIN ?= /opt/swift/usr/bin
export PATH := $(PATH):$(SWIFT_TOOLCHAIN)

SOCKET    ?= /run/smoothtask.sock
LOG       ?= /var/log/smoothtaskd.log
PIDFILE   ?= /run/smoothtaskd.pid
RELEASE   := .build/release
# Build: libbpf + libelf + zlib (linked), pkg-config (finds them); the BPF programs compile with the
# Swift toolchain's own clang. Tests: bpftool (lists loaded programs), setpriv (runs as nobody).
APT_PACKAGES := libbpf-dev libelf-dev zlib1g-dev pkg-config bpftool util-linux

# make install: where things go. DESTDIR stages into another root (then no user is created and
# systemd is not told); BUILD_DIR installs binaries built elsewhere instead of a release build.
PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
UNITDIR   ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
DOCDIR    ?= $(PREFIX)/share/doc/smoothtask
CONFDIR   ?= /etc/smoothtask
BUILD_DIR ?= $(RELEASE)
SERVICE_USER := smoothtask

.PHONY: run test deps build release stop clean help install uninstall

help:
	@echo "make run    install what is missing, build, start smoothtaskd on $(SOCKET), show its status"
	@echo "make test   install what is missing and run the whole test suite (real eBPF: run as root)"
	@echo "make stop   stop the daemon that make run started"
	@echo "make install    binaries, systemd units, the smoothtask user and group, $(CONFDIR); then:"
	@echo "                systemctl enable --now smoothtask.socket"
	@echo "make uninstall  remove all of it again (DESTDIR=... stages either into another root)"

deps:
	@missing=$$(for package in $(APT_PACKAGES); do dpkg -s $$package >/dev/null 2>&1 || echo $$package; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing missing packages:" $$missing; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi
	@command -v swift >/dev/null || { echo "Swift 6 toolchain not found: install it from swift.org into /opt/swift (or set SWIFT_TOOLCHAIN)"; exit 1; }

build: deps
	swift build

release: deps
	swift build -c release

run: release
	@if $(RELEASE)/smoothtaskctl --socket $(SOCKET) config get >/dev/null 2>&1; then \
		echo "smoothtaskd is already serving $(SOCKET)"; \
	else \
		echo "Starting smoothtaskd on $(SOCKET) (log: $(LOG); stop with: make stop)"; \
		nohup $(RELEASE)/smoothtaskd --socket $(SOCKET) >>$(LOG) 2>&1 & echo $$! >$(PIDFILE); \
		for attempt in $$(seq 50); do \
			$(RELEASE)/smoothtaskctl --socket $(SOCKET) config get >/dev/null 2>&1 && break; sleep 0.1; \
		done; \
		sleep 1.2; \
	fi
	$(RELEASE)/smoothtaskctl --socket $(SOCKET) status

stop:
	@if [ -f $(PIDFILE) ]; then kill -TERM $$(cat $(PIDFILE)) && rm -f $(PIDFILE) && echo "smoothtaskd stopped"; \
	else echo "no $(PIDFILE): smoothtaskd was not started by make run"; fi

test: build
	swift test --disable-swift-testing

install: $(if $(filter $(RELEASE),$(BUILD_DIR)),release)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(DOCDIR)
	install -m 0755 $(BUILD_DIR)/smoothtaskd $(BUILD_DIR)/smoothtaskctl $(DESTDIR)$(BINDIR)/
	sed 's|/usr/local/bin/|$(BINDIR)/|' systemd/smoothtaskd.service >$(DESTDIR)$(UNITDIR)/smoothtaskd.service
	install -m 0644 systemd/smoothtask.socket $(DESTDIR)$(UNITDIR)/
	chmod 0644 $(DESTDIR)$(UNITDIR)/smoothtaskd.service
	install -m 0644 systemd/smoothtask.sysusers $(DESTDIR)$(SYSUSERSDIR)/smoothtask.conf
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
	rm -f $(DESTDIR)$(SYSUSERSDIR)/smoothtask.conf
	rm -rf $(DESTDIR)$(DOCDIR) $(DESTDIR)$(CONFDIR)
ifeq ($(DESTDIR),)
	if getent passwd $(SERVICE_USER) >/dev/null; then userdel $(SERVICE_USER); fi
	if getent group $(SERVICE_USER) >/dev/null; then groupdel $(SERVICE_USER); fi
	if [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
endif

clean:
	rm -rf .build
