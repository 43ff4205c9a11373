/* pool.c - a fixed pool of workers running one parallel-for at a time. */
#include "core/pool.h"

#include "auk.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

static pthread_mutex_t run_lock = PTHREAD_MUTEX_INITIALIZER; /* one job at a time */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static pthread_cond_t idle = PTHREAD_COND_INITIALIZER;

static pthread_t *workers;
static int nworkers;     /* pool threads started */
static int want_threads; /* 0: default */
static int stopping;

/* The current job. */
static uint64_t generation;
static auk_task_fn job_fn;
static void *job_ctx;
static int64_t job_ntasks;
static _Atomic int64_t job_next;
static int job_active; /* workers still inside the current job */
/* The generation when the workers were started: a new worker must wait for
 * the next job, not take the last one (finished already) for a new one. */
static uint64_t start_generation;

static _Thread_local int in_task;

static int default_threads(void) {
  const char *env = getenv("AUK_THREADS");
  if (env && *env) {
    int n = atoi(env);
    if (n > 0) return n > 1024 ? 1024 : n;
  }
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? (int)n : 1;
}

void auk_set_threads(int n) {
  pthread_mutex_lock(&run_lock);
  int target = n > 0 ? (n > 1024 ? 1024 : n) : 0;
  if (target != want_threads) {
    want_threads = target;
    auk_pool_shutdown();
  }
  pthread_mutex_unlock(&run_lock);
}

int auk_get_threads(void) {
  return want_threads > 0 ? want_threads : default_threads();
}
int auk_pool_threads(void) {
  return auk_get_threads();
}

static void run_tasks(int worker) {
  for (;;) {
    int64_t t = atomic_fetch_add_explicit(&job_next, 1, memory_order_relaxed);
    if (t >= job_ntasks) break;
    job_fn(job_ctx, t, worker);
  }
}

static void *worker_main(void *arg) {
  int id = (int)(intptr_t)arg;
  uint64_t seen = start_generation; /* written before pthread_create */
  in_task = 1;
  pthread_mutex_lock(&lock);
  for (;;) {
    while (!stopping && generation == seen) pthread_cond_wait(&wake, &lock);
    if (stopping) break;
    seen = generation;
    pthread_mutex_unlock(&lock);
    run_tasks(id);
    pthread_mutex_lock(&lock);
    if (--job_active == 0) pthread_cond_broadcast(&idle);
  }
  pthread_mutex_unlock(&lock);
  return NULL;
}

/* Called with run_lock held. */
static void ensure_started(void) {
  int n = auk_get_threads() - 1;
  if (workers || n <= 0) return;
  workers = calloc((size_t)n, sizeof(pthread_t));
  if (!workers) return; /* run inline */
  stopping = 0;
  pthread_mutex_lock(&lock);
  start_generation = generation;
  pthread_mutex_unlock(&lock);
  for (int i = 0; i < n; i++) {
    if (pthread_create(&workers[i], NULL, worker_main, (void *)(intptr_t)(i + 1)) != 0) break;
    nworkers++;
  }
}

void auk_pool_shutdown(void) {
  if (!workers) return;
  pthread_mutex_lock(&lock);
  stopping = 1;
  pthread_cond_broadcast(&wake);
  pthread_mutex_unlock(&lock);
  for (int i = 0; i < nworkers; i++) pthread_join(workers[i], NULL);
  free(workers);
  workers = NULL;
  nworkers = 0;
  stopping = 0;
}

void auk_pool_run(int64_t ntasks, auk_task_fn fn, void *ctx) {
  if (ntasks <= 0) return;
  if (in_task || ntasks == 1) {
    for (int64_t t = 0; t < ntasks; t++) fn(ctx, t, 0);
    return;
  }
  pthread_mutex_lock(&run_lock);
  ensure_started();
  if (nworkers == 0) {
    pthread_mutex_unlock(&run_lock);
    for (int64_t t = 0; t < ntasks; t++) fn(ctx, t, 0);
    return;
  }
  pthread_mutex_lock(&lock);
  job_fn = fn;
  job_ctx = ctx;
  job_ntasks = ntasks;
  atomic_store(&job_next, 0);
  job_active = nworkers;
  generation++;
  pthread_cond_broadcast(&wake);
  pthread_mutex_unlock(&lock);

  in_task = 1;
  run_tasks(0);
  in_task = 0;

  pthread_mutex_lock(&lock);
  while (job_active > 0) pthread_cond_wait(&idle, &lock);
  pthread_mutex_unlock(&lock);
  pthread_mutex_unlock(&run_lock);
}
