# SPDX-License-Identifier: GPL-2.0
#
# vmatlas: see virtual memory on a live Linux kernel.
#
#   make                 module for KDIR and the tool (build/vmatlas)
#   make demo            boot a kernel in QEMU and show the tool working
#   make check           style gates, then every test on every kernel of the matrix
#   make shell           boot a kernel in QEMU with the module loaded, at a shell
#   make bench           the cost of fault tracing (1M faults, traced and not) and of
#                        looking at an address space, beside the kernel's own
#                        interfaces (BENCH=faults, others, space or space:PART,...;
#                        VMATLAS_BENCH_PERF=1: perf's profile of the VM as well)
#   make install         install the module for KDIR (updates/), the tool, its manual
#                        page and completion and the UAPI headers (PREFIX, DESTDIR)
#   make uninstall       remove what make install installed
#   make docs, make man  the documentation as HTML, and vmatlas(1), with Sphinx
#   make deb             Debian packages: vmatlas (the tool) and vmatlas-dkms, in build/deb
#   make dkms-install    register the module source with DKMS (make dkms-uninstall
#                        removes it, from every kernel it was built for)
#   make samples         refresh Documentation/samples/ from the last make check's
#                        and make bench's VM runs (SAMPLES="TARGET/NAME ..." adds
#                        samples: TARGET/bench-space, a benchmark's output)
#   make style           checkpatch, clang-format, sparse and -Werror builds only
#   make format          lay the module out with the kernel's .clang-format
#   make unit            unit tests of the tool's parsers and printers, here
#
# Variables: KDIR (kernel build tree), PREFIX (/usr/local), TARGET (for demo and
# shell, a name from selftests/vm/targets), TARGETS, JOBS and TESTS (for check:
# test names, comma-separated, e.g. TESTS=walk_test,m32/walk_test).

KDIR ?= /lib/modules/$(shell uname -r)/build
PREFIX ?= /usr/local
VERSION := $(shell cat VERSION)
BUILD ?= build

# The tool. TOOLS_OUT, TOOLS_M32=1 and TOOLS_STATIC=1 serve the VM images;
# a packager's CPPFLAGS, CFLAGS and LDFLAGS (dpkg-buildflags) come after ours.
TOOLS_OUT ?= $(BUILD)
TOOLS_CFLAGS := -O2 -g -std=gnu11 -Wall -Wextra -Werror -Wno-missing-field-initializers \
		-Wno-unused-parameter -D_GNU_SOURCE \
		-Iinclude/uapi -DVMATLAS_VERSION='"$(VERSION)"'
TOOLS_LDFLAGS :=
ifeq ($(TOOLS_M32),1)
TOOLS_CFLAGS += -m32
TOOLS_LDFLAGS += -m32
endif
ifeq ($(TOOLS_STATIC),1)
TOOLS_LDFLAGS += -static
endif
TOOLS_LIBS := -ljson-c -lm
# libbpf and what it needs: a static link names them all (libelf 0.190 and
# later were built with zstd).
TOOLS_BPF_LIBS ?= -lbpf -lelf -lz $(if $(filter 1,$(TOOLS_STATIC)),$(shell \
	$(CC) -print-file-name=libzstd.a | grep -q / && echo -lzstd))

# The fault tracer needs BPF: clang, bpftool and a vmlinux BTF to generate
# vmlinux.h from (the running kernel's, or VMLINUX_BTF=...). Not in 32-bit builds.
VMLINUX_BTF ?= /sys/kernel/btf/vmlinux
ifeq ($(TOOLS_M32),1)
BPF ?= 0
else
BPF ?= $(if $(wildcard $(VMLINUX_BTF)),1,0)
endif
BPF_OUT := $(TOOLS_OUT)/bpf
# The architecture the BPF programs read registers of (bpf_tracing.h's
# __TARGET_ARCH_*): the tool's own, or arm64 for a cross build.
BPF_ARCH ?= $(if $(filter aarch64 arm64,$(shell uname -m)),arm64,x86)
BPF_SRCS := userspace/faults.c userspace/faults_proc.c userspace/faults_entry.c userspace/cmd_faults.c \
	    userspace/faults_events.c userspace/faults_json.c userspace/explain_trace.c
BPF_STUBS := userspace/cmd_faults_stub.c userspace/explain_trace_stub.c

TOOL_SRCS := $(filter-out $(BPF_SRCS) $(BPF_STUBS),$(wildcard userspace/*.c))
TOOL_HDRS := $(wildcard userspace/*.h userspace/bpf/*.h include/uapi/linux/*.h)
TOOL_DEPS :=
ifeq ($(BPF),1)
TOOL_SRCS += $(BPF_SRCS)
TOOLS_CFLAGS += -I$(BPF_OUT)
TOOLS_LIBS += $(TOOLS_BPF_LIBS)
TOOL_DEPS += $(BPF_OUT)/faults.skel.h
else
TOOL_SRCS += $(BPF_STUBS)
endif

# The tests run in the VMs; kselftest.h and kselftest_harness.h come from the
# kernel source package (selftests/vm/source.sh), not from this tree.
KSFT_DIR ?= $(HOME)/.cache/vmatlas/linux-source/tools/testing/selftests
# As the kernel's own selftests: -Wall; kselftest_harness.h is not -Wextra
# clean and casts pointers to intmax_t, which 32-bit builds warn about.
# timeout.h scales the harness's per-test timeouts (VMATLAS_TIMEOUT_SCALE).
TEST_CFLAGS := $(filter-out -Wextra,$(TOOLS_CFLAGS)) -Wno-pointer-to-int-cast -I$(KSFT_DIR) \
	       -include selftests/vmatlas/timeout.h
TEST_SRCS := $(wildcard selftests/vmatlas/*_test.c)
TEST_LIB_SRCS := $(filter-out %_test.c,$(wildcard selftests/vmatlas/*.c))
TEST_HDRS := $(wildcard selftests/vmatlas/*.h include/uapi/linux/*.h)
TEST_BINS := $(patsubst selftests/vmatlas/%.c,$(TOOLS_OUT)/tests/%,$(TEST_SRCS))
# kfunc_test calls the module's kfunc from a BPF program of its own.
# Every test checks the tool's --json documents against the schema, compiled in.
TEST_DEPS := $(TOOLS_OUT)/gen/schema_text.h
TEST_CFLAGS += -I$(TOOLS_OUT)/gen
ifeq ($(BPF),1)
TEST_CFLAGS += -DVMATLAS_TEST_BPF=1
TEST_DEPS += $(BPF_OUT)/kfunc_probe.skel.h
endif

.PHONY: all module tools selftests unit check demo shell bench docs man install install-module \
	install-tools uninstall deb \
	dkms-source dkms-install dkms-uninstall style format samples clean

all: module tools

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

tools: $(TOOLS_OUT)/vmatlas

$(TOOLS_OUT)/vmatlas: $(TOOL_SRCS) $(TOOL_HDRS) $(TOOL_DEPS) VERSION
	@mkdir -p $(@D)
	$(CC) $(TOOLS_CFLAGS) $(CPPFLAGS) $(CFLAGS) -Iuserspace -o $@ $(TOOL_SRCS) \
		$(TOOLS_LDFLAGS) $(LDFLAGS) $(TOOLS_LIBS)

# Generated, never committed: vmlinux.h from BTF, the BPF object, its skeleton.
$(BPF_OUT)/vmlinux.h:
	@mkdir -p $(@D)
	bpftool btf dump file $(VMLINUX_BTF) format c >$@

$(BPF_OUT)/faults.bpf.o: userspace/bpf/faults.bpf.c userspace/bpf/faults.h \
			 userspace/bpf/faults_vma.bpf.h $(BPF_OUT)/vmlinux.h
	clang -g -O2 -Wall -target bpf -D__TARGET_ARCH_$(BPF_ARCH) -I$(BPF_OUT) -Iuserspace/bpf \
		-c $< -o $@

$(BPF_OUT)/faults.skel.h: $(BPF_OUT)/faults.bpf.o
	bpftool gen skeleton $< name faults_bpf >$@

$(BPF_OUT)/kfunc_probe.bpf.o: selftests/vmatlas/bpf/kfunc_probe.bpf.c $(BPF_OUT)/vmlinux.h
	clang -g -O2 -Wall -target bpf -D__TARGET_ARCH_$(BPF_ARCH) -I$(BPF_OUT) -c $< -o $@

$(BPF_OUT)/kfunc_probe.skel.h: $(BPF_OUT)/kfunc_probe.bpf.o
	bpftool gen skeleton $< name kfunc_probe_bpf >$@

# The schema as a C string: every line quoted, backslashes and quotes escaped.
$(TOOLS_OUT)/gen/schema_text.h: Documentation/vmatlas.schema.json
	@mkdir -p $(@D)
	{ echo 'static const char vmatlas_schema_text[] ='; \
	  sed 's/\\/\\\\/g; s/"/\\"/g; s/^/"/; s/$$/\\n"/' $<; echo ';'; } >$@

# The address-space benchmark ("make bench"; bench_test.sh runs a small one).
BENCH_SRCS := $(wildcard selftests/vmatlas/bench/*.c)

selftests: $(TEST_BINS) $(TOOLS_OUT)/vmatlas-bench-space

# It asks the module through libvmatlas (and its names), as the tool does.
BENCH_LIB_SRCS := userspace/libvmatlas.c userspace/names.c userspace/out_json.c

$(TOOLS_OUT)/vmatlas-bench-space: $(BENCH_SRCS) $(BENCH_LIB_SRCS) selftests/vmatlas/bench/space_bench.h \
		$(TOOL_HDRS)
	@mkdir -p $(@D)
	$(CC) $(TOOLS_CFLAGS) -Iuserspace -o $@ $(BENCH_SRCS) $(BENCH_LIB_SRCS) \
		$(TOOLS_LDFLAGS) -ljson-c -pthread

# A test's own further files live in a directory named for it.
$(TOOLS_OUT)/tests/race_test: TEST_OWN_SRCS := $(wildcard selftests/vmatlas/race/*.c)
$(TOOLS_OUT)/tests/race_test: $(wildcard selftests/vmatlas/race/*)

$(TOOLS_OUT)/tests/%: selftests/vmatlas/%.c $(TEST_LIB_SRCS) $(TEST_HDRS) $(TEST_DEPS)
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) -Iselftests/vmatlas -o $@ $< $(TEST_OWN_SRCS) $(TEST_LIB_SRCS) \
		$(TOOLS_LDFLAGS) $(TOOLS_LIBS)

# Unit tests of the tool's parsers and printers, run on the build machine
# ("make unit"; make check runs them as a gate).
UNIT_CFLAGS := $(filter-out -Wextra,$(TOOLS_CFLAGS)) -I$(KSFT_DIR)
UNIT_SRCS := $(wildcard selftests/unit/*_unit.c)
UNIT_BINS := $(patsubst selftests/unit/%.c,$(TOOLS_OUT)/unit/%,$(UNIT_SRCS))
$(TOOLS_OUT)/unit/parse_unit: UNIT_LIB_SRCS := userspace/parse.c
$(TOOLS_OUT)/unit/output_unit: UNIT_LIB_SRCS := userspace/output.c userspace/out_json.c \
	userspace/faults_events.c
$(TOOLS_OUT)/unit/schema_unit: UNIT_LIB_SRCS := selftests/vmatlas/schema.c userspace/names.c \
	userspace/output.c userspace/out_json.c userspace/libvmatlas.c
# The device library alone: no json-c may be needed to link it.
$(TOOLS_OUT)/unit/lib_unit: UNIT_LIB_SRCS := userspace/libvmatlas.c
$(TOOLS_OUT)/unit/lib_unit: UNIT_LIBS :=
UNIT_LIBS ?= -ljson-c

$(TOOLS_OUT)/unit/%: selftests/unit/%.c $(TOOL_HDRS) userspace/parse.c userspace/output.c \
		userspace/out_json.c userspace/libvmatlas.c selftests/vmatlas/schema.c selftests/vmatlas/schema.h selftests/vmatlas/sgr.h \
		$(TOOLS_OUT)/gen/schema_text.h
	@mkdir -p $(@D)
	$(CC) $(UNIT_CFLAGS) -Iuserspace -Iselftests/vmatlas -I$(TOOLS_OUT)/gen -o $@ $< \
		$(UNIT_LIB_SRCS) $(UNIT_LIBS)

unit: $(UNIT_BINS)
	@for t in $(UNIT_BINS); do $$t || exit 1; done

check:
	VMATLAS_TESTS=$(TESTS) selftests/vm/check.sh $(TARGETS)

demo:
	selftests/vm/boot.sh demo $(TARGET)

shell:
	selftests/vm/boot.sh shell $(TARGET)

bench:
	VMATLAS_BENCH=$(BENCH) selftests/vm/boot.sh bench $(TARGET)

style:
	selftests/vm/style.sh

format:
	find module -name '*.[ch]' | xargs clang-format -i \
		--style=file:$$(selftests/vm/source.sh)/.clang-format

samples:
	SAMPLES="$(SAMPLES)" selftests/vm/samples.sh

# The documentation, HTML and the manual page, with Sphinx (-W: a warning fails).
docs:
	sphinx-build -q -W -b html Documentation $(BUILD)/html

man: $(BUILD)/man/vmatlas.1

$(BUILD)/man/vmatlas.1: $(wildcard Documentation/*.rst) Documentation/conf.py VERSION
	sphinx-build -q -W -b man Documentation $(BUILD)/man

# make install: the module for KDIR under updates/ (as DKMS and Debian put
# out-of-tree modules), the tool, its manual page and bash completion, the
# UAPI headers. DESTDIR stages it (then depmod is the packager's); make
# uninstall removes exactly what install put there.
# The release the kernel reports (Debian's 6.1 headers put the upstream
# version in include/config/kernel.release, not "6.1.0-N-amd64").
KREL = $(shell sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' $(KDIR)/include/generated/utsrelease.h)
INSTALL_MOD_DIR ?= updates
MODULE_DIR = $(DESTDIR)/lib/modules/$(KREL)/$(INSTALL_MOD_DIR)
INSTALLED = $(DESTDIR)$(PREFIX)/bin/vmatlas \
	    $(DESTDIR)$(PREFIX)/share/man/man1/vmatlas.1 \
	    $(DESTDIR)$(PREFIX)/share/bash-completion/completions/vmatlas \
	    $(patsubst include/uapi/%,$(DESTDIR)$(PREFIX)/include/%,$(wildcard include/uapi/linux/*.h))

install: install-module install-tools

install-module: module
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_PATH=$(DESTDIR) \
		INSTALL_MOD_DIR=$(INSTALL_MOD_DIR) modules_install
	$(if $(DESTDIR),,depmod -a $(KREL))

# What the vmatlas Debian package holds (the module is vmatlas-dkms's).
install-tools: tools man
	install -D -m 0755 $(TOOLS_OUT)/vmatlas $(DESTDIR)$(PREFIX)/bin/vmatlas
	install -D -m 0644 $(BUILD)/man/vmatlas.1 $(DESTDIR)$(PREFIX)/share/man/man1/vmatlas.1
	install -D -m 0644 userspace/completion.bash \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/vmatlas
	install -d $(DESTDIR)$(PREFIX)/include/linux
	install -m 0644 $(wildcard include/uapi/linux/*.h) $(DESTDIR)$(PREFIX)/include/linux/

uninstall:
	rm -f $(INSTALLED) $(wildcard $(MODULE_DIR)/vmatlas.ko*)
	$(if $(DESTDIR),,depmod -a $(KREL))

# The module's source as DKMS takes it (make dkms-source DKMS_SRC=DIR): what
# vmatlas-dkms ships in /usr/src and what the DKMS test builds per kernel.
DKMS_SRC ?= $(DESTDIR)/usr/src/vmatlas-$(VERSION)

dkms-source:
	install -d $(DKMS_SRC)
	cp -r Kbuild VERSION module include $(DKMS_SRC)/
	sed 's/#MODULE_VERSION#/$(VERSION)/' dkms.conf >$(DKMS_SRC)/dkms.conf

# Debian packages, vmatlas and vmatlas-dkms, built from a copy of the tree
# in $(BUILD)/deb, where the .deb files land (debian/rules says how).
deb:
	rm -rf $(BUILD)/deb
	mkdir -p $(BUILD)/deb/vmatlas-$(VERSION)
	cp -r Kbuild Makefile VERSION dkms.conf README.md module include userspace Documentation \
		debian $(BUILD)/deb/vmatlas-$(VERSION)/
	cd $(BUILD)/deb/vmatlas-$(VERSION) && env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS \
		dpkg-buildpackage -us -uc -b

dkms-install: dkms-source
	dkms add vmatlas/$(VERSION)

dkms-uninstall:
	-dkms remove vmatlas/$(VERSION) --all
	rm -rf $(DKMS_SRC)

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	rm -rf $(BUILD)
