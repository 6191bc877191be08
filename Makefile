# km2kiosk — build, run and test the survey kiosk.
#
#   make run          install missing Debian packages, build, start the kiosk
#   make test         install, build, run every test (ends with "N passed, N failed")
#   make check-layers enforce the include rules of DESIGN.md §2
#   make san          the tests under AddressSanitizer + UBSan
#   make bench        start-up, frame, memory, idle CPU and commit figures
#   make screenshots  every screen of the sample survey into build/screenshots/

BUILD    ?= build
CC       ?= cc
SAN      ?=

# Debian packages the build, the tests and the running kiosk need.
DEB_PACKAGES := build-essential pkg-config libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev \
	libsqlite3-dev sqlite3 libcmocka-dev libcjson-dev libsodium-dev libzip-dev libexpat1-dev \
	fonts-noto-core fonts-dejavu-core python3 clang libclang-rt-14-dev

PKGS     := sdl2 SDL2_ttf SDL2_image sqlite3 libcjson libsodium libzip expat cmocka

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
	$(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS_ALL = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm
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
UI_OBJ   := $(UI_SRC:%.c=$(OBJ_DIR)/%.o)
MAIN_OBJ := $(MAIN_SRC:%.c=$(OBJ_DIR)/%.o)
LIB      := $(BUILD)/libkm2kiosk.a
BIN      := $(BUILD)/km2kiosk
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%) \
	$(UI_TEST_SRC:tests/ui/test_%.c=$(BUILD)/tests/test_ui_%)

.PHONY: all deps run test unit check-layers san bench screenshots clean
all: $(BIN)

# Installs what is missing (needs root or sudo), once per change of this list.
$(BUILD)/.deps: Makefile
	@missing=""; for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi
	@mkdir -p $(BUILD) && touch $@
deps: $(BUILD)/.deps

$(OBJ_DIR)/%.o: %.c | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(MAIN_OBJ) $(UI_OBJ) $(LIB)
	$(CC) $(LDFLAGS_ALL) -o $@ $(MAIN_OBJ) $(UI_OBJ) $(LIB) $(LDLIBS_ALL)

$(BUILD)/tests/%: tests/unit/%.c $(LIB) | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Wno-missing-prototypes $(LDFLAGS_ALL) -o $@ $< $(LIB) $(LDLIBS_ALL)

# UI tests link the UI objects too (they need SDL, never a display).
$(BUILD)/tests/test_ui_%: tests/ui/test_%.c $(UI_OBJ) $(LIB) | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Wno-missing-prototypes $(LDFLAGS_ALL) -o $@ $< $(UI_OBJ) $(LIB) $(LDLIBS_ALL)

run: $(BIN)
	./$(BIN)

unit: $(UNIT_BIN)

check-layers:
	@sh tests/tools/check_layers.sh

test: $(BIN) $(UNIT_BIN) check-layers
	@BUILD=$(BUILD) sh tests/run.sh

san:
	$(MAKE) BUILD=build-san SAN=1 test

$(BUILD)/bench/bench_commit: tests/bench/bench_commit.c $(LIB) | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(LDFLAGS_ALL) -o $@ $< $(LIB) $(LDLIBS_ALL)

bench: $(BIN) $(BUILD)/bench/bench_commit
	@BUILD=$(BUILD) sh tests/bench.sh

screenshots: $(BIN)
	@BUILD=$(BUILD) sh tests/screenshots.sh

clean:
	rm -rf build build-san

-include $(LIB_OBJ:.o=.d) $(UI_OBJ:.o=.d) $(MAIN_OBJ:.o=.d)
