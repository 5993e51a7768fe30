# odf — move data between Odoo databases.
#
#   make            build the programs into $(BUILD)/bin
#   make check      unit tests + bats suite, then the same under ASan+UBSan
#   make demo       a demo migration between two local test servers
#   make bench      benchmarks against the test server
#   make bench-real benchmarks against a real Odoo (BENCH_REAL_SRC/DST/RESET)
#   make install    PREFIX=/usr/local DESTDIR=
#   make deps       install the Debian packages the build and tests need

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share/odf
COMPDIR ?= $(PREFIX)/share/bash-completion/completions
BUILD   ?= build

CC      ?= cc
CSTD     = -std=c11 -D_DEFAULT_SOURCE
# Messages live in fixed buffers and are cut short by design.
WARN     = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wformat=2 -Wno-format-truncation
OPT     ?= -O2 -g
CPPFLAGS += -Iinclude -DODF_DATADIR='"$(DATADIR)"' -DODF_VERSION='"$(VERSION)"'
CFLAGS  += $(CSTD) $(WARN) $(OPT) $(SAN)
LDFLAGS += -Wl,--as-needed
LDLIBS  += -lcurl -lcjson -linih -ljq -lonig -lm
VERSION := $(shell cat VERSION 2>/dev/null || echo 0.1.0)

LIB_SRC  := $(sort $(wildcard lib/*.c))
CMD_SRC  := $(sort $(wildcard cmd/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
HEADERS  := $(wildcard include/odf/*.h) $(wildcard lib/*.h)

LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
LIBODF   := $(BUILD)/libodf.a
PROGS    := $(CMD_SRC:cmd/%.c=$(BUILD)/bin/%)
UNITS    := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

ASAN_BUILD := $(BUILD)/asan
ASAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

# Keep the objects make would see as intermediate and delete. Named, not
# bare: a bare .SECONDARY makes every target intermediate, deps-check too,
# and make then runs it after the compiler.
.SECONDARY: $(LIB_OBJ) $(CMD_SRC:%.c=$(BUILD)/%.o) $(UNIT_SRC:%.c=$(BUILD)/%.o)

.PHONY: all check check-fast check-asan unit demo bench bench-real install uninstall clean deps fuzz cppcheck
all: $(PROGS) $(UNITS)

# Order-only: the Debian packages are installed before anything compiles,
# whatever else make decides (parallel jobs included).
$(BUILD)/%.o: %.c $(HEADERS) | deps-check
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(LIBODF): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(AR) rcs $@ $^

$(BUILD)/bin/%: $(BUILD)/cmd/%.o $(LIBODF)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(LIBODF)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The fuzz targets are replayed by a unit test that includes their sources.
FUZZ_SRC := $(wildcard tests/fuzz/*.c tests/fuzz/*.h)
$(BUILD)/tests/unit/test_fuzz_regress.o: $(FUZZ_SRC) tests/unit/fixtures.h

# The sanitizer build lives in its own tree so both can coexist.
$(ASAN_BUILD)/.built: $(LIB_SRC) $(CMD_SRC) $(UNIT_SRC) $(HEADERS) $(FUZZ_SRC)
	$(MAKE) --no-print-directory BUILD=$(ASAN_BUILD) SAN="$(ASAN_FLAGS)" OPT="-O1 -g" all
	@touch $@

# One summary line over every suite, normal and sanitized, ends the run.
check: deps-check all $(ASAN_BUILD)/.built
	tests/run --build $(BUILD) --build $(ASAN_BUILD)

check-fast: deps-check all
	tests/run --build $(BUILD)

check-asan: deps-check $(ASAN_BUILD)/.built
	tests/run --build $(ASAN_BUILD)

demo: deps-check all
	examples/demo.sh $(BUILD)/bin

bench: deps-check all
	bench/run $(BUILD)/bin

bench-real: all
	bench/real.sh $(BUILD)/bin

# clang and its fuzzer runtime serve fuzzing only: not in DEPS.
fuzz: deps-check
	tests/deps --install clang libclang-rt-14-dev
	tests/fuzz/run $(FUZZ_SECONDS)

cppcheck:
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
	    --std=c11 --inline-suppr -Iinclude lib cmd tests/unit

# Build: the libraries. Tests: bats and parallel (bats --jobs), python3 (the
# test server), jq (the baseline and test assertions), man-db, procps, curl,
# openssl (TLS tests), time (benchmarks), git (tests/make.bats).
DEPS = libcurl4-openssl-dev libjq-dev libonig-dev libcjson-dev libinih-dev \
       make gcc libc6-dev bats parallel python3 jq man-db procps curl openssl time git
deps:
	tests/deps --install $(DEPS)
deps-check:
	@tests/deps --install $(DEPS)

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
	    $(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(DATADIR)/jq
	install -m 755 $(PROGS) $(DESTDIR)$(BINDIR)
	install -m 644 $(wildcard man/*.1) $(DESTDIR)$(MANDIR)/man1
	install -m 644 $(wildcard man/*.5) $(DESTDIR)$(MANDIR)/man5
	install -m 644 $(wildcard man/*.7) $(DESTDIR)$(MANDIR)/man7
	install -m 644 $(wildcard share/jq/*.jq) $(DESTDIR)$(DATADIR)/jq
	install -d $(DESTDIR)$(COMPDIR)
	install -m 644 share/bash-completion/odf $(DESTDIR)$(COMPDIR)/odf
	for p in $(filter-out odf,$(notdir $(PROGS))); do ln -sf odf $(DESTDIR)$(COMPDIR)/$$p; done

uninstall:
	rm -f $(PROGS:$(BUILD)/bin/%=$(DESTDIR)$(BINDIR)/%)
	rm -f $(PROGS:$(BUILD)/bin/%=$(DESTDIR)$(COMPDIR)/%)
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf $(BUILD)
