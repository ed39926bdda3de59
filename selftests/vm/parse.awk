# SPDX-License-Identifier: GPL-2.0
#
# Read a test VM's serial console; print "PASS n", "FAIL n", "SKIP n" and one
# "FAILED <what>" line per failure, each followed by up to three "WHY <line>"
# lines: the first diagnostics ("# file.c:123:Expected ...") the failed case
# printed, so that a summary says why without its log. Every test binary's
# TAP "ok"/"not ok"
# lines count; a binary that died without saying why counts as a failure; a
# kernel warning anywhere in the log, or a VM that never finished, fails.
# With -v run=1 (make demo, make bench) the log is of one program instead
# of tests: it must exit 0 ("vmatlas-vm: run-exit 0"), and each line it
# marks "vmatlas-demo: FAILED" is a failure.

function fail(what) { nfail++; failed[nfail] = what; nwhy[nfail] = 0 }

BEGIN {
	warn = "(BUG:|WARNING:|Oops|Call Trace|general protection fault|" \
	       "soft lockup|hard LOCKUP|rcu_sched self-detected stall|" \
	       "rcu: INFO: rcu_.* detected stall|blocked for more than|" \
	       "KFENCE:|KASAN:|UBSAN:|Kernel panic|kernel BUG|" \
	       "Poison overwritten|Redzone|Object padding|Freepointer corrupt)"
}

{ sub(/\r$/, "") }

/^vmatlas-vm: module loaded/ { loaded = 1 }
/^vmatlas-vm: done/ { done = 1 }
/^vmatlas-vm: run-exit / { run_exit = $3 }
/^vmatlas-demo: FAILED/ { fail(substr($0, 15)) }

/^vmatlas-vm: test-begin / { cur = $3; results = 0; bad = 0; ndiag = 0; next }
/^vmatlas-vm: test-end / {
	if (!results)
		fail($3 " printed no results (exit " $4 ")")
	else if ($4 != 0 && $4 != 4 && !bad)
		fail($3 " exited " $4)
	cur = ""
	next
}
cur != "" && /^ok [0-9]+ / {
	results++
	if ($0 ~ /# SKIP/)
		nskip++
	else
		npass++
	next
}
# A case's diagnostics: kselftest's "# " lines but its own RUN/OK/FAIL ones.
cur != "" && /^#  RUN / { ndiag = 0; next }
cur != "" && /^# / && !/^# +(OK|FAIL|SKIP) / && !/: Test failed$/ {
	if (ndiag < 3)
		diag[++ndiag] = substr($0, 3, 200)
	next
}
cur != "" && /^not ok [0-9]+ / {
	results++; bad++
	name = $0
	sub(/^not ok [0-9]+ /, "", name)
	fail(cur ": " name)
	for (i = 1; i <= ndiag; i++)
		why[nfail, ++nwhy[nfail]] = diag[i]
	ndiag = 0
	next
}

# A picture's gzip'ed base64 (samples.sh) may spell "Oops" or "Redzone".
/^vmatlas-file: / { next }

$0 ~ warn {
	nwarn++
	if (nwarn <= 5)
		warnlines[nwarn] = $0
}

END {
	if (!loaded)
		fail("module did not load")
	if (timed_out)
		fail("timeout: the VM was killed")
	else if (!done)
		fail("the VM did not finish its tests (crash)")
	if (run && done && run_exit != "0")
		fail("the program in the VM exited " (run_exit == "" ? "without status" : run_exit))
	npass += extra_pass
	if (nwarn) {
		for (i = 1; i <= nwarn && i <= 5; i++)
			fail("kernel log: " warnlines[i])
	} else if (done) {
		npass++	# kernel_log_clean
	}
	printf "PASS %d\nFAIL %d\nSKIP %d\n", npass, nfail, nskip
	for (i = 1; i <= nfail; i++) {
		print "FAILED " failed[i]
		for (j = 1; j <= nwhy[i]; j++)
			print "WHY " why[i, j]
	}
}
