#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make samples: refresh Documentation/samples/ from the last "make check",
# whose test boots wrote the samples they made to build/vm/TARGET/samples/
# (selftests/vmatlas/samples.sh makes them in the VM, check.sh extracts
# them from the console). Every committed sample of a target that run
# covered is replaced by the run's; SAMPLES="TARGET/NAME ..." adds more
# (TARGET/atlas.svg: a picture).
# The documentation includes the files; the next "make check" compares
# them with what the kernel then says.
set -u
. "$(dirname "$0")/lib.sh"

docs=$SRC_DIR/Documentation/samples
n=0
# copy TARGET/NAME: the run's sample over the committed one; NAME.txt
# unless NAME is a picture's file name (atlas.svg).
copy()
{
	local file=${1#*/}

	case $file in *.svg | *.html) ;; *) file=$file.txt ;; esac
	[ -f "$BUILD_DIR/${1%/*}/samples/$file" ] || return 1
	mkdir -p "$docs/${1%/*}"
	cp "$BUILD_DIR/${1%/*}/samples/$file" "$docs/${1%/*}/$file" && n=$((n + 1))
}

for f in "$docs"/*/*.txt "$docs"/*/*.svg "$docs"/*/*.html; do
	[ -f "$f" ] || continue
	case $f in *.txt) f=${f%.txt} ;; esac
	copy "$(basename "$(dirname "$f")")/$(basename "$f")"
done
for s in ${SAMPLES:-}; do
	copy "$s" || {
		log "no sample $s in $BUILD_DIR: run make check TARGETS=${s%/*} first"
		exit 1
	}
done
log "$n samples copied to $docs"
