// SPDX-License-Identifier: GPL-2.0
/*
 * The one place the module's tracepoints are instantiated (trace.h says
 * what they are).
 */
#define CREATE_TRACE_POINTS
#include "trace.h"
