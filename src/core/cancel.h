/* cancel.h - the interrupt request (auk_interrupt): one process-wide flag
 * that a signal handler may set and that long-running loops poll between
 * batches. A query start clears it. */
#ifndef AUK_CORE_CANCEL_H
#define AUK_CORE_CANCEL_H

/* Nonzero when auk_interrupt was called since the last reset. */
int auk_cancel_requested(void);
void auk_cancel_reset(void);
/* A query starts: clears the request, unless a statement that runs several
 * queries (SQL) holds it, so an interrupt during its planning still counts. */
void auk_cancel_query_start(void);
void auk_cancel_hold(int delta);

#endif
