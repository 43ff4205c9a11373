/* pool.h - the fixed thread pool. One worker per core (AUK_THREADS or
 * auk_set_threads to override); the calling thread takes part, so n
 * threads means n-1 pool workers. Work is a parallel-for over task indices
 * taken from an atomic counter: no queue, no per-task allocation. */
#ifndef AUK_CORE_POOL_H
#define AUK_CORE_POOL_H

#include <stdint.h>

/* fn(ctx, task, worker): worker is in [0, auk_pool_threads()) and unique
 * among the threads running concurrently, for thread-local state. */
typedef void (*auk_task_fn)(void *ctx, int64_t task, int worker);

/* Runs fn for every task in [0, ntasks) on the pool and returns when all
 * are done. Called from inside a task it runs the tasks inline. */
void auk_pool_run(int64_t ntasks, auk_task_fn fn, void *ctx);
/* Threads auk_pool_run uses now (pool workers + the caller). */
int auk_pool_threads(void);
/* Stops the workers (at exit or before a size change). */
void auk_pool_shutdown(void);

#endif
