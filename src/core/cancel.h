/* cancel.h - the interrupt request (auk_interrupt): one process-wide flag
 * that a signal handler may set and that long-running loops poll between
 * batches. A query start clears it. */
#ifndef AUK_CORE_CANCEL_H
#define AUK_CORE_CANCEL_H

/* Nonzero when auk_interrupt was called since the last auk_cancel_reset. */
int auk_cancel_requested(void);
void auk_cancel_reset(void);

#endif
