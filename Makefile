# frameserve — plain Makefile.
#
#   make run     install what is missing, build, start the demo on :8080
#   make test    install (also the pinned OpenAPI validator, tools/openapi), build (plain and ASan+UBSan), run every test
#   make bench   install, build, run the benchmarks
#   make         build only (build/frameserve, build/frameserve_tests)
#   make SAN=1   the same with AddressSanitizer + UndefinedBehaviorSanitizer, in build-san/
#   make fuzz    build the libFuzzer harnesses (clang) and run each for a minute

CXX      ?= g++
# ccache, when present, makes a second build of the same sources (another
# clone, a CI run after a session, the ASan build after a clean) cheap.
# Paths are hashed relative to the checkout so clones share the cache.
CCACHE   := $(shell command -v ccache 2>/dev/null)
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1
# `make V=1` shows full command lines.
ifeq ($(V),1)
  Q :=
else
  Q := @
endif
PKGS     := cpp-httplib libpq libjwt openssl prometheus-cpp-core
JOBS     ?= $(shell nproc 2>/dev/null || echo 2)

ifeq ($(SAN),1)
  BUILD    := build-san
  # GCC 12 reports false maybe-uninitialized warnings inside <regex> and
  # <functional> when sanitizers are on.
  OPTFLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined -Wno-maybe-uninitialized
else
  BUILD    := build
  OPTFLAGS := -O2 -g
endif

# pkg-config runs when this Makefile is read; the top-level targets install
# dependencies first and then re-invoke make, so it always finds them.
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

CXXFLAGS := -std=c++20 -Wall -Wextra -Werror -pthread $(OPTFLAGS) -Isrc -I$(BUILD)/gen $(PKG_CFLAGS) -MMD -MP
LDFLAGS  := -pthread $(OPTFLAGS)
LDLIBS   := $(PKG_LIBS)

APP_SOURCES  := $(shell find src -name '*.cpp' ! -path 'src/main.cpp' | sort)
TEST_SOURCES := $(shell find tests -name '*.cpp' ! -path 'tests/bench/*' ! -path 'tests/fuzz/*' | sort) fixtures/scene.cpp
SUPPORT_SOURCES := $(sort $(wildcard tests/support/*.cpp))
# Support code that uses doctest's assertions: the bench binary has no
# doctest runner, so it links the rest of tests/support only.
DOCTEST_SUPPORT := tests/support/request_checks.cpp tests/support/contract_checks.cpp tests/support/skip_or_fail.cpp tests/support/tar_reader.cpp
BENCH_SOURCES := $(sort $(wildcard tests/bench/*.cpp)) $(filter-out $(DOCTEST_SUPPORT),$(SUPPORT_SOURCES))
FIXTURE_SOURCES := $(sort $(wildcard fixtures/*.cpp))
SQL_FILES    := $(sort $(wildcard sql/*.sql))
GEN_SQL      := $(BUILD)/gen/sql_migrations.cpp
# The OpenAPI document (api/openapi.json) is embedded like the migrations;
# GET /api/v1/openapi.json serves it.
OPENAPI_DOC  := api/openapi.json
GEN_OPENAPI  := $(BUILD)/gen/openapi_document.cpp
# GNU Unifont (Debian's unifont package) becomes a glyph table compiled into
# the binary: no font file at run time.
UNIFONT_HEX       ?= /usr/share/unifont/unifont.hex
UNIFONT_COMBINING ?= /usr/share/unifont/plane00-combining.txt
GEN_GLYPHS   := $(BUILD)/gen/unifont_table.cpp
GLYPH_TOOL   := $(BUILD)/tools/make_glyph_table
# The browser viewer: our own files plus hls.js from npm (web/package.json,
# pinned by web/package-lock.json, installed by scripts/web_deps.sh), embedded
# into the binary. The stamp lives in node_modules so a fresh clone installs.
WEB_STAMP    := web/node_modules/.frameserve-stamp
WEB_SOURCES  := $(sort $(wildcard web/viewer/*))
WEB_VENDOR   := web/node_modules/hls.js/dist/hls.min.js
GEN_WEB      := $(BUILD)/gen/web_assets.cpp

APP_OBJECTS     := $(APP_SOURCES:%.cpp=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/sql_migrations.o $(BUILD)/obj/gen/unifont_table.o \
                   $(BUILD)/obj/gen/openapi_document.o $(BUILD)/obj/gen/web_assets.o
MAIN_OBJECT     := $(BUILD)/obj/src/main.o
TEST_OBJECTS    := $(TEST_SOURCES:%.cpp=$(BUILD)/obj/%.o)
FIXTURE_OBJECTS := $(FIXTURE_SOURCES:%.cpp=$(BUILD)/obj/%.o)
BENCH_OBJECTS   := $(BENCH_SOURCES:%.cpp=$(BUILD)/obj/%.o)

.PHONY: all build deps run test bench clean fuzz fuzz-build

# Tests and the fixture generator also see the fixture scene and test helpers.
$(TEST_OBJECTS) $(FIXTURE_OBJECTS) $(BENCH_OBJECTS): EXTRA_CXXFLAGS := -Ifixtures -Itests

all: build

build: $(BUILD)/frameserve $(BUILD)/frameserve_tests $(BUILD)/make_fixtures

$(BUILD)/frameserve: $(MAIN_OBJECT) $(BUILD)/libframeserve.a
	@echo "  LINK $@"
	$(Q)$(CXX) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/frameserve_tests: $(TEST_OBJECTS) $(BUILD)/libframeserve.a
	@echo "  LINK $@"
	$(Q)$(CXX) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/make_fixtures: $(FIXTURE_OBJECTS) $(BUILD)/libframeserve.a
	@echo "  LINK $@"
	$(Q)$(CXX) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/frameserve_bench: $(BENCH_OBJECTS) $(BUILD)/libframeserve.a
	@echo "  LINK $@"
	$(Q)$(CXX) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/libframeserve.a: $(APP_OBJECTS)
	@rm -f $@
	$(Q)ar rcs $@ $^

$(GEN_SQL): $(SQL_FILES) scripts/embed_sql.sh
	@mkdir -p $(dir $@)
	$(Q)scripts/embed_sql.sh $@ $(SQL_FILES)

$(BUILD)/obj/gen/sql_migrations.o: $(GEN_SQL)
	@mkdir -p $(dir $@)
	$(Q)$(CXX) $(CXXFLAGS) -c -o $@ $<

$(GEN_OPENAPI): $(OPENAPI_DOC) scripts/embed_text.sh
	@mkdir -p $(dir $@)
	$(Q)scripts/embed_text.sh $@ http/openapi_document.hpp frameserve::http::openapi_document $(OPENAPI_DOC)

$(BUILD)/obj/gen/openapi_document.o: $(GEN_OPENAPI)
	@mkdir -p $(dir $@)
	@echo "  CXX  $<"
	$(Q)$(CXX) $(CXXFLAGS) -g0 -c -o $@ $<

$(WEB_STAMP): web/package.json web/package-lock.json scripts/web_deps.sh
	$(Q)scripts/web_deps.sh $@

$(GEN_WEB): $(WEB_SOURCES) $(WEB_STAMP) scripts/embed_web.sh
	@mkdir -p $(dir $@)
	@echo "  GEN  $@"
	$(Q)scripts/embed_web.sh $@ $(WEB_SOURCES) $(WEB_VENDOR)

# Data only, like the glyph table.
$(BUILD)/obj/gen/web_assets.o: $(GEN_WEB)
	@mkdir -p $(dir $@)
	@echo "  CXX  $<"
	$(Q)$(CXX) $(CXXFLAGS) -g0 -c -o $@ $<

# The generator is a build tool: no sanitizers, whatever SAN says.
$(GLYPH_TOOL): scripts/make_glyph_table.cpp
	@mkdir -p $(dir $@)
	@echo "  CXX  $<"
	$(Q)$(CXX) -std=c++20 -O2 -Wall -Wextra -Werror -o $@ $<

$(UNIFONT_HEX) $(UNIFONT_COMBINING):
	@echo "missing $@: install Debian's unifont package (make deps, or scripts/install_deps.sh)" >&2; exit 1

$(GEN_GLYPHS): $(GLYPH_TOOL) $(UNIFONT_HEX) $(UNIFONT_COMBINING)
	@mkdir -p $(dir $@)
	@echo "  GEN  $@"
	$(Q)$(GLYPH_TOOL) $(UNIFONT_HEX) $(UNIFONT_COMBINING) $@

# Data only: no debug info or sanitizer instrumentation to speak of.
$(BUILD)/obj/gen/unifont_table.o: $(GEN_GLYPHS)
	@mkdir -p $(dir $@)
	@echo "  CXX  $<"
	$(Q)$(CXX) $(CXXFLAGS) -g0 -c -o $@ $<

$(BUILD)/obj/%.o: %.cpp
	@mkdir -p $(dir $@)
	@echo "  CXX  $<$(if $(filter 1,$(SAN)), (sanitizers),)"
	$(Q)$(CCACHE) $(CXX) $(CXXFLAGS) $(EXTRA_CXXFLAGS) -c -o $@ $<

deps:
	@scripts/install_deps.sh

run: deps
	@$(MAKE) --no-print-directory -j$(JOBS) build
	@scripts/run_demo.sh

test: deps
	@scripts/install_openapi_tools.sh
	@$(MAKE) --no-print-directory -j$(JOBS) build
	@$(MAKE) --no-print-directory -j$(JOBS) SAN=1 build
	@$(MAKE) --no-print-directory -j$(JOBS) fuzz-build
	@scripts/run_tests.sh

bench: deps
	@$(MAKE) --no-print-directory -j$(JOBS) build $(BUILD)/frameserve_bench
	@scripts/bench.sh

# libFuzzer harnesses (tests/fuzz/fuzz_<name>.cpp), built with Debian's clang
# under ASan+UBSan into build-fuzz/. Each links only the sources it needs:
# the parsers are pure, so no database, server or ffmpeg is involved.
FUZZ_CXX      ?= $(if $(shell command -v ccache 2>/dev/null),ccache )clang++-14
# pointer-overflow stays recoverable only so tests/fuzz/ubsan.supp can silence
# RapidJSON's one known report; scripts/fuzz.sh still halts on any other.
FUZZ_SAN      := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fsanitize-recover=pointer-overflow \
                 -fno-omit-frame-pointer
# RapidJSON's iterators trip clang's C++20 reversed-operator warning (not our code).
FUZZ_CXXFLAGS := -std=c++20 -Wall -Wextra -Wno-ambiguous-reversed-operator -O1 -g $(FUZZ_SAN) -Isrc $(PKG_CFLAGS) -MMD -MP
FUZZ_NAMES    := range_request query_params jwt api_key jsonl_parser mot_parser label_glyphs
FUZZ_SRC_range_request := src/http/range_request.cpp src/common/text.cpp
FUZZ_SRC_query_params  := src/http/query_params.cpp src/http/resources/media_params.cpp src/auth/crypto.cpp \
                          src/common/text.cpp src/common/result.cpp
FUZZ_SRC_jwt           := src/auth/jwt_codec.cpp src/auth/crypto.cpp src/common/json_writer.cpp \
                          src/common/text.cpp src/common/result.cpp
FUZZ_SRC_api_key       := src/auth/api_key.cpp src/auth/crypto.cpp src/common/text.cpp src/common/result.cpp
FUZZ_SRC_jsonl_parser  := src/import/detection_parser.cpp src/import/line_splitter.cpp src/common/json_parse.cpp \
                          src/common/text.cpp src/common/result.cpp
FUZZ_SRC_mot_parser    := $(FUZZ_SRC_jsonl_parser)
FUZZ_SRC_label_glyphs  := src/overlay/label_drawing.cpp src/overlay/yuv_canvas.cpp src/overlay/bitmap_font.cpp \
                          src/overlay/text_layout.cpp src/overlay/bidi_order.cpp src/overlay/unifont_glyphs.cpp \
                          $(GEN_GLYPHS)
FUZZ_BINARIES := $(FUZZ_NAMES:%=build-fuzz/fuzz_%)

fuzz-build: $(FUZZ_BINARIES)

# Production sources get coverage instrumentation (fuzzer-no-link); only
# the final link adds libFuzzer's main.
build-fuzz/obj/%.o: %.cpp Makefile
	@mkdir -p $(dir $@)
	@echo "  CXX  $< (fuzz)"
	$(Q)$(FUZZ_CXX) $(FUZZ_CXXFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

# The Unifont table is data: compiled plainly, no instrumentation.
build-fuzz/obj/$(GEN_GLYPHS:.cpp=.o): $(GEN_GLYPHS)
	@mkdir -p $(dir $@)
	@echo "  CXX  $< (fuzz)"
	$(Q)$(FUZZ_CXX) -std=c++20 -O1 -g0 -Isrc -c -o $@ $<

define fuzz_binary
build-fuzz/fuzz_$(1): build-fuzz/obj/tests/fuzz/fuzz_$(1).o $(FUZZ_SRC_$(1):%.cpp=build-fuzz/obj/%.o)
	@echo "  LINK $$@"
	$(Q)$(FUZZ_CXX) $(FUZZ_SAN) -fsanitize=fuzzer -o $$@ $$^ $(PKG_LIBS)
endef
$(foreach name,$(FUZZ_NAMES),$(eval $(call fuzz_binary,$(name))))

fuzz: deps
	@$(MAKE) --no-print-directory -j$(JOBS) fuzz-build
	@scripts/fuzz.sh run

clean:
	rm -rf build build-san build-fuzz

-include $(shell find $(BUILD)/obj build-fuzz/obj -name '*.d' 2>/dev/null)
