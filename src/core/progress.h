/* progress.h - the progress of the running query (auk_progress): how much
 * of their input the scans have read, as weights in bytes. The executor
 * announces every scan of a plan before it runs (so a join or a union
 * shows one fraction for all its scans), the readers report per chunk or
 * batch, never per row. One process-wide set of relaxed atomics, like the
 * interrupt flag: lock-free, and read from any thread. */
#ifndef AUK_CORE_PROGRESS_H
#define AUK_CORE_PROGRESS_H

#include <stdint.h>

/* A query or SQL statement starts (enter) and ends (leave) on this thread.
 * The outermost enter clears the counters; queries run inside a statement
 * (subqueries, CTEs) add to its totals. */
void auk_progress_enter(void);
void auk_progress_leave(void);

/* The executor: weight (bytes) of a scan the query will run, added to the
 * total before any scan starts; then, right before each file scan, the
 * weight that the reader's next scan_begin takes. */
void auk_progress_plan(int64_t weight);
void auk_progress_expect(int64_t weight);

/* One scan, on the thread that runs it: begin with the work in the
 * reader's own units (bytes of the file, batches, ...); add as units get
 * done (from any worker; the units are scaled to the scan's weight, so the
 * total stays exact whatever the rounding); end tops the scan up to its
 * whole weight (a scan may stop early: a head, skipped row groups). A scan
 * the executor did not announce counts its units as its weight, unless it
 * is `limited` (a head read, such as a schema sample while planning): that
 * one is not counted. A scan begun inside another (a reader calling a
 * reader) is folded into the outer one. */
/* Reads this thread begins while quiet (delta +1, then -1) count nothing:
 * a CSV read of bytes in memory, such as the SQL planner's one-row source
 * of a SELECT without FROM, is quick and would otherwise finish the bar. */
void auk_progress_quiet(int delta);

typedef struct auk_progress_scan {
  int active;
} auk_progress_scan;
void auk_progress_scan_begin(auk_progress_scan *s, int64_t units, int limited);
void auk_progress_scan_add(int64_t units);
void auk_progress_scan_end(auk_progress_scan *s);

#endif
