# km2kiosk — build, run and test the survey kiosk.
#
#   make run          install missing Debian packages, build, start the kiosk
#   make test         install, build, run every test (ends with "N passed, N failed,
#                     N skipped"; a skip is a test this machine cannot run)
#   make check-layers enforce the include rules of DESIGN.md §2
#   make format-check every C file in the style of .clang-format (part of make test)
#   make san          the tests under AddressSanitizer + UBSan
#   make bench        start-up, frame, memory, idle CPU, touch-to-photon and commit
#                     figures, and the welcome screen next to headless Chromium
#   make screenshots  every screen of the sample survey into build/screenshots/
#   make fuzz         every tests/fuzz/fuzz_*.c under libFuzzer for FUZZ_SECONDS each
#                     (FUZZ_TARGETS="csv xlsx" picks some)
#   make fuzz-smoke   the fuzz targets over their seed corpora plus a short mutation run
#   make deb          the Debian package for this machine: build/km2kiosk_<VERSION>_<arch>.deb
#   make test-appliance  the package booted in QEMU and driven from outside (needs root;
#                     minutes, not part of `make test`); ARCH=arm64 for the Pi's package
#
# Cross-building for another Debian architecture (ARCH=arm64: a Raspberry Pi
# on Raspberry Pi OS bookworm, which is Debian bookworm for arm64):
#   make ARCH=arm64       the kiosk and its tests built under build/arm64/
#   make deb ARCH=arm64   build/arm64/km2kiosk_<VERSION>_arm64.deb, Depends: from the arm64 libraries
#   make test ARCH=arm64  the unit and headless scenario tests of the arm64 build run under
#                         qemu-user (the fuzz targets are host-only and skipped)
# The first run adds the architecture to dpkg (dpkg --add-architecture) and
# installs the cross compiler, qemu-user and the :arm64 -dev packages.

SAN      ?=

# ARCH: the Debian architecture to build for; empty or this machine's own is
# a native build. Any other one is a cross build: gcc, ar and pkg-config of
# its GNU triplet, the libraries of Debian's multiarch packages
# (/usr/lib/<triplet>, headers shared with the host's -dev packages), the
# objects under their own build/<ARCH> so they never mix with the host's, and
# the programs run by the tests under qemu-user through KS_EXEC_WRAPPER (the
# container has no binfmt_misc to start foreign binaries by themselves).
HOST_ARCH := $(shell dpkg --print-architecture 2>/dev/null)
ARCH     ?=
ifneq ($(filter-out $(HOST_ARCH),$(ARCH)),)
CROSS    := $(shell dpkg-architecture -a$(ARCH) -qDEB_HOST_GNU_TYPE 2>/dev/null)
ifeq ($(CROSS),)
$(error ARCH=$(ARCH): no GNU triplet from dpkg-architecture (package dpkg-dev; is it a Debian architecture?))
endif
BUILD    ?= build/$(ARCH)
ifneq ($(origin CC),command line)
CC       := $(CROSS)-gcc
endif
AR       := $(CROSS)-ar
PKG_CONFIG := $(CROSS)-pkg-config
# qemu-user's emulator for the architecture (aarch64 for arm64); the guest's
# dynamic loader and libraries are the multiarch ones under / itself.
KS_EXEC_WRAPPER ?= qemu-$(shell dpkg-architecture -a$(ARCH) -qDEB_HOST_GNU_CPU 2>/dev/null)
TEST_ENV := KS_EXEC_WRAPPER='$(KS_EXEC_WRAPPER)' KS_TIME_SCALE=5 \
	KS_NO_FUZZ='libFuzzer targets are host-only'
endif
BUILD    ?= build
CC       ?= cc
PKG_CONFIG ?= pkg-config

# Debian packages the build, the tests and the running kiosk need.
DEB_PACKAGES := build-essential pkg-config libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev \
	libsqlite3-dev sqlite3 libcmocka-dev libcjson-dev libsodium-dev libzip-dev libexpat1-dev \
	libfribidi-dev libespeak-ng-dev espeak-ng-data gettext libpng-dev libsystemd-dev \
	libqrencode-dev libreadstat-dev libpcre2-dev readstat minisign age zbar-tools \
	fonts-noto-core fonts-dejavu-core python3 clang clang-format libclang-rt-14-dev chromium time

# A cross build's: the cross compiler, qemu-user for the tests, pkg-config of
# the triplet (pkgconf:<ARCH>), every lib*-dev above as its :<ARCH> package and
# the tools above the tests run natively (sqlite3, minisign, python3, ...).
# In bookworm all these -dev packages are Multi-Arch: same, so the :arm64 ones
# install beside the host's (same version, shared headers) without removing
# anything: checked with apt-get -s; if one ever is not, apt-get install stops
# and asks rather than replacing the host's.
ifneq ($(CROSS),)
CROSS_DEV    := $(filter-out libclang-rt-%,$(filter lib%-dev,$(DEB_PACKAGES)))
DEB_PACKAGES := crossbuild-essential-$(ARCH) pkgconf:$(ARCH) qemu-user \
	$(CROSS_DEV:%=%:$(ARCH)) \
	$(filter-out build-essential pkg-config clang lib%-dev,$(DEB_PACKAGES))
else ifneq ($(HOST_ARCH),)
# A native build asks for this machine's own -dev packages by name
# (libsdl2-dev:amd64): without the qualifier an installed :arm64 one of a
# cross build would count as installed and the host's headers stay missing.
DEB_PACKAGES := $(filter-out lib%-dev,$(DEB_PACKAGES)) \
	$(patsubst %,%:$(HOST_ARCH),$(filter lib%-dev,$(DEB_PACKAGES)))
endif

PKGS     := sdl2 SDL2_ttf sqlite3 libcjson libsodium expat cmocka fribidi \
	libpng libqrencode libsystemd libpcre2-8
# Headers only: loaded when first needed (firmware/core/dynlib.h), so no
# program links them and the package names them in Depends: by hand:
# libespeak-ng by the first read-aloud (firmware/sys/speech.c), libzip (and
# the libcrypto it links) by the first .xlsx workbook (firmware/survey/xlsx_zip.c),
# SDL2_image (with the JPEG, TIFF and WebP libraries and libstdc++) by the first
# picture, the welcome picture on a thread beside the start (ui/picload.c).
PKGS_HEADERS := espeak-ng libzip SDL2_image

WARN     := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wformat=2 -Wvla
HARDEN   := -fstack-protector-strong -D_FORTIFY_SOURCE=2
OPT      ?= -O2 -g
ifeq ($(CI),true)
WARN     += -Werror
endif
ifneq ($(SAN),)
OPT      := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
HARDEN   := -fstack-protector-strong
endif

CFLAGS_ALL = -std=c11 -D_GNU_SOURCE $(OPT) $(WARN) $(HARDEN) -MMD -MP \
	$(shell $(PKG_CONFIG) --cflags $(PKGS) $(PKGS_HEADERS) 2>/dev/null)
# ReadStat ships no pkg-config file.
LDLIBS_ALL = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -lreadstat -lm
LDFLAGS_ALL = $(if $(SAN),-fsanitize=address$(comma)undefined)
comma := ,

# Non-UI code: the kiosk logic, usable by unit tests without SDL.
LIB_SRC  := $(wildcard firmware/core/*.c firmware/survey/*.c firmware/storage/*.c \
	firmware/app/*.c firmware/sys/*.c export/*.c)
UI_SRC   := $(wildcard ui/*.c ui/screens/*.c)
MAIN_SRC := $(wildcard firmware/*.c)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UI_TEST_SRC := $(wildcard tests/ui/test_*.c)

OBJ_DIR  := $(BUILD)/obj
LIB_OBJ  := $(LIB_SRC:%.c=$(OBJ_DIR)/%.o)
# km2eval, the evaluation office's program: eval/ over the same library (it
# uses core and export's format code; check-layers keeps it there).
EVAL_SRC := $(wildcard eval/*.c)
EVAL_OBJ := $(EVAL_SRC:%.c=$(OBJ_DIR)/%.o)
EVAL_LIB_OBJ := $(filter-out $(OBJ_DIR)/eval/main.o,$(EVAL_OBJ))
EVAL_BIN := $(BUILD)/km2eval
EVAL_TEST_SRC := $(wildcard tests/eval/test_*.c)
UI_OBJ   := $(UI_SRC:%.c=$(OBJ_DIR)/%.o)
MAIN_OBJ := $(MAIN_SRC:%.c=$(OBJ_DIR)/%.o)
LIB      := $(BUILD)/libkm2kiosk.a
BIN      := $(BUILD)/km2kiosk
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%) \
	$(UI_TEST_SRC:tests/ui/test_%.c=$(BUILD)/tests/test_ui_%) \
	$(EVAL_TEST_SRC:tests/eval/test_%.c=$(BUILD)/tests/test_eval_%)

.PHONY: all deps run test unit check-layers format-check san bench screenshots clean fuzz fuzz-build \
	fuzz-smoke
all: $(BIN) $(EVAL_BIN)

# Installs the Debian packages of a list that are missing (needs root or
# sudo); a shell command line for a recipe.
apt_install = missing=""; for p in $(1); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

# Installs what is missing, once per change of this list.
$(BUILD)/.deps: Makefile
	@$(if $(CROSS),dpkg --print-foreign-architectures | grep -qx '$(ARCH)' || { \
	  echo "Adding the Debian architecture $(ARCH) (dpkg --add-architecture)"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; $$SUDO dpkg --add-architecture $(ARCH); })
	@$(call apt_install,$(DEB_PACKAGES))
	@mkdir -p $(BUILD) && touch $@
deps: $(BUILD)/.deps

$(OBJ_DIR)/%.o: %.c | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

# --as-needed: only the libraries the kiosk calls are loaded at its start
# (the default of some toolchains, not of all).
$(BIN): $(MAIN_OBJ) $(UI_OBJ) $(LIB)
	$(CC) $(LDFLAGS_ALL) -Wl,--as-needed -o $@ $(MAIN_OBJ) $(UI_OBJ) $(LIB) $(LDLIBS_ALL)

# --as-needed: km2eval links no SDL, fonts or speech although the library's
# flags name them.
$(EVAL_BIN): $(EVAL_OBJ) $(LIB)
	$(CC) $(LDFLAGS_ALL) -Wl,--as-needed -o $@ $(EVAL_OBJ) $(LIB) $(LDLIBS_ALL)

# An eval suite links km2eval's objects and the test objects among its prerequisites.
$(BUILD)/tests/test_eval_%: tests/eval/test_%.c $(EVAL_LIB_OBJ) $(LIB) | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Wno-missing-prototypes $(LDFLAGS_ALL) -o $@ $< $(filter %.o,$^) $(LIB) \
	  $(LDLIBS_ALL)

# The kiosk state-machine suites share one fixture (tests/unit/kiosk_fixture.c):
# an object of its own, linked into them (a unit test links the objects among
# its prerequisites).
KIOSK_FIXTURE_OBJ := $(OBJ_DIR)/tests/unit/kiosk_fixture.o
$(addprefix $(BUILD)/tests/,test_kiosk test_staff test_kiosk_widgets test_workshop \
	test_staff_export test_receipts test_retention test_store_check): $(KIOSK_FIXTURE_OBJ)
# The Zukunftswerkstatt storage suites share theirs (tests/unit/ws_store_fixture.c).
WS_STORE_FIXTURE_OBJ := $(OBJ_DIR)/tests/unit/ws_store_fixture.o
$(addprefix $(BUILD)/tests/,test_workshop_store test_workshop_rounds): $(WS_STORE_FIXTURE_OBJ)
# The export and ledger suites share sessions, batches and the export run
# (tests/unit/export_fixture.c).
EXPORT_FIXTURE_OBJ := $(OBJ_DIR)/tests/unit/export_fixture.o
$(addprefix $(BUILD)/tests/,test_export_run test_staff_export test_workshop_export test_receipts \
	test_retention test_export_data test_storage test_workshop_store): $(EXPORT_FIXTURE_OBJ)
# Plain SQLite past the store (tests/unit/db_fixture.c), for the suites that look there.
DB_FIXTURE_OBJ := $(OBJ_DIR)/tests/unit/db_fixture.o
$(addprefix $(BUILD)/tests/,test_storage test_workshop_store test_workshop_rounds test_receipts \
	test_retention test_kiosk_widgets): $(DB_FIXTURE_OBJ)
# The file and shell helpers (tests/test_files.c), for the suites that include them.
TEST_FILES_OBJ := $(OBJ_DIR)/tests/test_files.o
$(addprefix $(BUILD)/tests/,test_age test_bag test_ack test_sign test_dataset_io test_export_data \
	test_retention test_usb test_eval_receive test_receipts test_staff_export test_workshop_export \
	test_storage test_export_run test_workshop_store test_workshop_rounds): $(TEST_FILES_OBJ)

# test_xlsx writes the workbooks it reads with libzip itself.
$(BUILD)/tests/test_xlsx: LDLIBS_ALL += $(shell $(PKG_CONFIG) --libs libzip 2>/dev/null)
$(BUILD)/tests/test_ui_text: LDLIBS_ALL += $(shell $(PKG_CONFIG) --libs SDL2_image 2>/dev/null)

$(BUILD)/tests/%: tests/unit/%.c $(LIB) | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Wno-missing-prototypes $(LDFLAGS_ALL) -o $@ $< $(filter %.o,$^) $(LIB) \
	  $(LDLIBS_ALL)

# UI tests link the UI objects too (they need SDL, never a display).
$(BUILD)/tests/test_ui_%: tests/ui/test_%.c $(UI_OBJ) $(LIB) | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Wno-missing-prototypes $(LDFLAGS_ALL) -o $@ $< $(UI_OBJ) $(LIB) $(LDLIBS_ALL)

# UI texts: assets/po/<lang>.po compiled into the gettext catalogs the kiosk
# reads from its locale_dir (default build/locale).
# Each language is its own text domain, km2kiosk-<lang> (uitext.c looks a
# text up in the domain of the language asked for, never through the
# process environment): <lang>/LC_MESSAGES/km2kiosk-<lang>.mo.
PO_LANGS := $(patsubst assets/po/%.po,%,$(wildcard assets/po/*.po))
mo_path = $(1)/locale/$(2)/LC_MESSAGES/km2kiosk-$(2).mo
MO := $(foreach l,$(PO_LANGS),$(call mo_path,$(BUILD),$(l)))
define MO_RULE
$(call mo_path,$(1),$(2)): assets/po/$(2).po | $(1)/.deps
	@mkdir -p $$(dir $$@)
	msgfmt --check -o $$@ $$<
endef
$(foreach l,$(PO_LANGS),$(eval $(call MO_RULE,$(BUILD),$(l))))
all test unit run bench screenshots $(UNIT_BIN): | $(MO)

run: $(BIN)
	$(KS_EXEC_WRAPPER) ./$(BIN)

unit: $(UNIT_BIN)

check-layers:
	@sh tests/tools/check_layers.sh

# Every C file in the house style of .clang-format (DESIGN.md §5.11).
FORMAT_SRC := $(sort $(wildcard firmware/*.[ch] firmware/*/*.[ch] ui/*.[ch] ui/*/*.[ch] \
	export/*.[ch] eval/*.[ch] tests/*/*.[ch]))
format-check:
	@clang-format --dry-run --Werror $(FORMAT_SRC) && \
	  echo "format-check: ok ($(words $(FORMAT_SRC)) files)"

test: $(BIN) $(EVAL_BIN) $(UNIT_BIN) check-layers format-check fuzz-build
	@$(TEST_ENV) BUILD=$(BUILD) sh tests/run.sh

san:
	$(MAKE) BUILD=build-san SAN=1 test

$(BUILD)/bench/bench_commit: tests/bench/bench_commit.c $(LIB) | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(LDFLAGS_ALL) -o $@ $< $(LIB) $(LDLIBS_ALL)

$(BUILD)/bench/bench_eval_gen: tests/bench/bench_eval_gen.c $(LIB) | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(LDFLAGS_ALL) -Wl,--as-needed -o $@ $< $(LIB) $(LDLIBS_ALL)

# What only `make bench` needs: Chromium for the side-by-side run of the
# welcome screen (tests/bench/browser.py). When it cannot be installed the
# bench still runs and reports that comparison as missed.
BENCH_PACKAGES := chromium

bench: $(BIN) $(EVAL_BIN) $(BUILD)/bench/bench_commit $(BUILD)/bench/bench_eval_gen
	@$(call apt_install,$(BENCH_PACKAGES)) || \
	  echo "bench: could not install $(BENCH_PACKAGES); the Chromium comparison is not measured"
	@BUILD=$(BUILD) sh tests/bench.sh

screenshots: $(BIN)
	@BUILD=$(BUILD) sh tests/screenshots.sh

# Fuzzing with clang's libFuzzer. Every tests/fuzz/fuzz_<name>.c is a target
# with its seeds in tests/fuzz/corpus/<name>/; the libraries it may call (core,
# survey, and export's format code: bag, bagit, sign, age, ack, with qr because
# bag.c draws the receipt) are compiled again with coverage and sanitizers.
# Runs write only under $(BUILD)/fuzz (corpus-<name>, artifacts-<name>), never
# into the seeds.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_MAX_LEN ?= 65536
FUZZ_DIR     := $(BUILD)/fuzz
FUZZ_SRC     := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_NAMES   := $(FUZZ_SRC:tests/fuzz/fuzz_%.c=%)
FUZZ_BIN     := $(FUZZ_NAMES:%=$(FUZZ_DIR)/fuzz_%)
FUZZ_TARGETS ?= $(FUZZ_NAMES)
FUZZ_LIB_SRC := $(wildcard firmware/core/*.c firmware/survey/*.c) \
	$(addprefix export/,ack.c age.c bag.c bag_check.c bag_facts.c bagit.c qr.c sign.c)
FUZZ_OBJ     := $(FUZZ_LIB_SRC:%.c=$(FUZZ_DIR)/obj/%.o)
FUZZ_PKGS    := libzip expat libsodium libqrencode libpng libpcre2-8
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS   = -std=c11 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer $(FUZZ_SAN) $(WARN) -MMD -MP \
	$(shell pkg-config --cflags $(FUZZ_PKGS) 2>/dev/null)
FUZZ_LDLIBS   = $(shell pkg-config --libs $(FUZZ_PKGS) 2>/dev/null) -lm

.SECONDARY: $(FUZZ_OBJ)
$(FUZZ_DIR)/obj/%.o: %.c | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJ) | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJ) $(FUZZ_LDLIBS)

# For `make test`: never stops the build; tests/fuzz_smoke.sh reports a target
# that did not build (or a missing clang) as a failed test.
fuzz-build:
	@if [ -n "$(CROSS)" ]; then echo "fuzz: not built for ARCH=$(ARCH) (libFuzzer targets are host-only)"; \
	elif command -v $(FUZZ_CC) >/dev/null 2>&1; then \
	  $(MAKE) --no-print-directory $(FUZZ_BIN) || echo "fuzz: building the fuzz targets failed"; \
	else echo "fuzz: $(FUZZ_CC) not found: install clang and libclang-rt-14-dev (make deps)"; fi

fuzz-smoke: fuzz-build
	@BUILD=$(BUILD) sh tests/fuzz_smoke.sh

fuzz: $(FUZZ_TARGETS:%=$(FUZZ_DIR)/fuzz_%)
	@set -e; for n in $(FUZZ_TARGETS); do \
	  c=$(FUZZ_DIR)/corpus-$$n; a=$(FUZZ_DIR)/artifacts-$$n; mkdir -p $$c $$a; \
	  if [ -d tests/fuzz/corpus/$$n ]; then cp -n tests/fuzz/corpus/$$n/* $$c/ 2>/dev/null || true; fi; \
	  dict=""; [ -f tests/fuzz/$$n.dict ] && dict="-dict=tests/fuzz/$$n.dict"; \
	  echo "fuzz $$n: $(FUZZ_SECONDS) s, corpus $$c"; \
	  $(FUZZ_DIR)/fuzz_$$n $$dict -max_total_time=$(FUZZ_SECONDS) -max_len=$(FUZZ_MAX_LEN) \
	    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix=$$a/ $$c; \
	done

clean:
	rm -rf build build-san

# Debian package for this machine, built with plain dpkg-deb from the files in
# assets/packaging/ (see mkdeb.sh there): the binary is compiled again with -O2
# and full RELRO under $(BUILD)/deb/bin, the package tree is staged in
# $(BUILD)/deb/root, and lintian must report no errors. With ARCH=arm64 the
# same for arm64 under build/arm64/ (cross-compiled, stripped with the cross
# binutils, Depends: resolved against the :arm64 libraries).
VERSION   ?= 0.5.0
DEB_ARCH  := $(if $(CROSS),$(ARCH),$(HOST_ARCH))
DEB_DIR   := $(BUILD)/deb
DEB_FILE  := $(BUILD)/km2kiosk_$(VERSION)_$(DEB_ARCH).deb
DEB_EVAL_FILE := $(BUILD)/km2eval_$(VERSION)_$(DEB_ARCH).deb
# Tools only the package needs, installed by `make deb` alone.
DEB_TOOLS := dpkg-dev lintian gettext binutils systemd $(if $(CROSS),binutils-$(CROSS))
.PHONY: deb
$(DEB_DIR)/.tools:
	@$(call apt_install,$(DEB_TOOLS))
	@mkdir -p $(DEB_DIR) && touch $@

deb: $(DEB_DIR)/.tools
	$(MAKE) --no-print-directory BUILD=$(DEB_DIR)/bin OPT=-O2 \
	  LDFLAGS_ALL='-Wl,-z,relro -Wl,-z,now -Wl,--as-needed' $(DEB_DIR)/bin/km2kiosk \
	  $(DEB_DIR)/bin/km2eval
	@$(MAKE) --no-print-directory $(DEB_FILE) $(DEB_EVAL_FILE)
# Packed again only when the binary or a file it ships changed.
$(DEB_FILE): $(DEB_DIR)/bin/km2kiosk $(shell find assets -type f 2>/dev/null)
	sh assets/packaging/mkdeb.sh $(VERSION) $(DEB_ARCH) $(DEB_DIR)/bin/km2kiosk $(DEB_DIR) $(DEB_FILE)
	lintian --fail-on error $(DEB_FILE)
	@# The unit as installed, its launcher and man page taken from the staged tree.
	@mkdir -p $(DEB_DIR)/verify && sed "s|/usr/libexec/|$(CURDIR)/$(DEB_DIR)/root/usr/libexec/|" \
	  assets/packaging/km2kiosk.service > $(DEB_DIR)/verify/km2kiosk.service
	MANPATH=$(CURDIR)/$(DEB_DIR)/root/usr/share/man systemd-analyze verify $(DEB_DIR)/verify/km2kiosk.service
	@echo "deb: $(DEB_FILE)"
# The evaluation office's program: a package of its own (no touchscreen there).
$(DEB_EVAL_FILE): $(DEB_DIR)/bin/km2eval assets/packaging/km2eval.1 \
	  assets/packaging/mkdeb-eval.sh assets/packaging/deb-lib.sh assets/packaging/control-eval.in \
	  assets/packaging/copyright-eval assets/packaging/changelog-eval
	sh assets/packaging/mkdeb-eval.sh $(VERSION) $(DEB_ARCH) $(DEB_DIR)/bin/km2eval \
	  $(DEB_DIR)/eval $(DEB_EVAL_FILE)
	lintian --fail-on error $(DEB_EVAL_FILE)
	@echo "deb: $(DEB_EVAL_FILE)"

# The appliance test (tests/appliance/run.py): the package `make deb` built,
# installed on a Debian bookworm image (tests/appliance/image.sh, cached
# under build/appliance/<arch>/cache) and booted in QEMU: KMSDRM on
# virtio-gpu, systemd, udev and polkit; taps through QMP, a USB stick
# plugged and pulled, the power cut. The headless twin it compares the
# screen with is this machine's own build/km2kiosk. ACCEL=kvm where the host
# virtualises for real (default: TCG emulation).
APPLIANCE_ARCH  := $(DEB_ARCH)
APPLIANCE_DIR   := build/appliance/$(APPLIANCE_ARCH)
APPLIANCE_TOOLS := qemu-utils debootstrap e2fsprogs dosfstools mtools python3-numpy \
	python3-pil age minisign zbar-tools \
	$(if $(filter arm64,$(APPLIANCE_ARCH)),qemu-system-arm qemu-efi-aarch64 qemu-user-static,qemu-system-x86)
.PHONY: test-appliance
test-appliance: deb
	@$(call apt_install,$(APPLIANCE_TOOLS))
	@$(MAKE) --no-print-directory ARCH= build/km2kiosk $(foreach l,$(PO_LANGS),$(call mo_path,build,$(l)))
	sh tests/appliance/image.sh $(APPLIANCE_ARCH) $(DEB_FILE) $(APPLIANCE_DIR)
	/usr/bin/python3 tests/appliance/run.py --arch $(APPLIANCE_ARCH) --images $(APPLIANCE_DIR) \
	  --out $(APPLIANCE_DIR)

-include $(LIB_OBJ:.o=.d) $(UI_OBJ:.o=.d) $(MAIN_OBJ:.o=.d) $(EVAL_OBJ:.o=.d) $(FUZZ_OBJ:.o=.d)
-include $(KIOSK_FIXTURE_OBJ:.o=.d) $(WS_STORE_FIXTURE_OBJ:.o=.d) $(EXPORT_FIXTURE_OBJ:.o=.d) \
	$(DB_FIXTURE_OBJ:.o=.d) $(TEST_FILES_OBJ:.o=.d) $(UNIT_BIN:=.d)

# The power-cut scenario's LD_PRELOAD shim (tests/scenarios/power_cut.py),
# built without sanitizers or fortify so it can sit in front of libc.
POWERCUT_SO := $(BUILD)/tests/libpowercut.so
$(POWERCUT_SO): tests/tools/powercut.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -O2 -g $(WARN) -Wno-missing-prototypes -fPIC -shared -o $@ $< -ldl -lpthread
test: $(POWERCUT_SO)
