/* gen_join.c - the tables of the H2O db-benchmark join task, written from
 * the description of its generator (h2oai/db-benchmark, _data/join-datagen.R;
 * no code taken), with a fixed seed so that every run gives the same files.
 *
 * For each of three key spaces (n = N/1e6, N/1e3 and N keys) a random
 * permutation of 1..n + n/10 is cut into keys common to both sides (0.9 n),
 * keys only on the left (0.1 n) and keys only on the right (0.1 n).
 *   x       N rows: id1, id2, id3 drawn from the common and left-only keys
 *           of each space (every key at least once, the rest sampled with
 *           replacement, shuffled), id4..id6 the same as "id<k>" strings,
 *           v1 uniform in [0, 100] with 6 decimals
 *   small   N/1e6 rows: id1 (each common and right-only key once), id4, v2
 *   medium  N/1e3 rows: id1 (sampled), id2 (each key once), id4, id5, v2
 *   big     N rows: id1, id2 (sampled), id3 (each key once), id4..id6, v2
 * So about 90% of x's rows find a partner in each right table.
 * Files are named as db-benchmark names them: J1_1e7_NA_0_0.csv for x and
 * NA replaced by the right table's size (J1_1e7_1e1_0_0.csv, ..._1e4_...,
 * ..._1e7_...).
 *
 *   gen_join N DIR       (N a power of ten >= 1e6, as 1e7 or 10000000)
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_state = 0x108; /* db-benchmark's seed, for the spirit of it */

static uint64_t rng(void) { /* splitmix64 */
  uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static uint64_t below(uint64_t n) { /* uniform in [0, n) */
  return (uint64_t)(((unsigned __int128)rng() * n) >> 64);
}

static void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) {
    fprintf(stderr, "gen_join: out of memory\n");
    exit(1);
  }
  return p;
}

static void shuffle(int64_t *a, int64_t n) {
  for (int64_t i = n - 1; i > 0; i--) {
    int64_t j = (int64_t)below((uint64_t)i + 1), t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}

/* One key space of n keys: perm[0..nx) common, [nx..n) left only,
 * [n..n+nr) right only. */
typedef struct keys {
  int64_t *perm, n, nx, nr;
} keys;

static keys make_keys(int64_t n) {
  keys k;
  k.n = n;
  k.nx = (n * 9 + 5) / 10;
  k.nr = n - k.nx;
  k.perm = xmalloc(sizeof(int64_t) * (size_t)(n + k.nr));
  for (int64_t i = 0; i < n + k.nr; i++) k.perm[i] = i + 1;
  shuffle(k.perm, n + k.nr);
  return k;
}

/* rows values: every key of the pool once, then samples with replacement,
 * shuffled. The pool is the common keys and the left-only ones (left) or
 * the right-only ones. */
static int64_t *sample_all(const keys *k, int left, int64_t rows) {
  int64_t npool = k->nx + (left ? k->n - k->nx : k->nr);
  int64_t *pool = xmalloc(sizeof(int64_t) * (size_t)npool);
  memcpy(pool, k->perm, sizeof(int64_t) * (size_t)k->nx);
  memcpy(pool + k->nx, k->perm + (left ? k->nx : k->n), sizeof(int64_t) * (size_t)(npool - k->nx));
  int64_t *v = xmalloc(sizeof(int64_t) * (size_t)(rows > npool ? rows : npool));
  for (int64_t i = 0; i < rows; i++) v[i] = i < npool ? pool[i] : pool[below((uint64_t)npool)];
  free(pool);
  shuffle(v, rows);
  return v;
}

/* values in micro-units: uniform in [0, 1e8], i.e. [0, 100] with 6 decimals */
static int64_t *values(int64_t rows) {
  int64_t *v = xmalloc(sizeof(int64_t) * (size_t)(rows ? rows : 1));
  for (int64_t i = 0; i < rows; i++) v[i] = (int64_t)below(100000001);
  return v;
}

static char *put_int(char *p, int64_t v) {
  char tmp[24];
  int n = 0;
  do {
    tmp[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  while (n) *p++ = tmp[--n];
  return p;
}

/* micro-units as a decimal without trailing zeros (12.5, 3, 0.000001) */
static char *put_micros(char *p, int64_t v) {
  p = put_int(p, v / 1000000);
  int64_t f = v % 1000000;
  if (!f) return p;
  *p++ = '.';
  int digits = 6;
  while (f % 10 == 0) {
    f /= 10;
    digits--;
  }
  char tmp[8];
  for (int i = digits - 1; i >= 0; i--, f /= 10) tmp[i] = (char)('0' + f % 10);
  memcpy(p, tmp, (size_t)digits);
  return p + digits;
}

/* Writes a table: ints[0..ni) as ids (names[0..ni)), their "id" strings
 * (names[ni..2ni)), then the value column names[2ni]. */
static void write_table(const char *dir, const char *file, int64_t rows, int ni,
                        int64_t *const *ints, const char *const *names, const int64_t *val) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, file);
  char tmp[4200];
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  FILE *f = fopen(tmp, "wb");
  if (!f) {
    fprintf(stderr, "gen_join: %s: %s\n", tmp, strerror(errno));
    exit(1);
  }
  size_t cap = 1 << 22;
  char *buf = xmalloc(cap), *p = buf;
  for (int c = 0; c < 2 * ni + 1; c++) p += sprintf(p, "%s%s", c ? "," : "", names[c]);
  *p++ = '\n';
  for (int64_t r = 0; r < rows; r++) {
    if ((size_t)(p - buf) > cap - 256) {
      fwrite(buf, 1, (size_t)(p - buf), f);
      p = buf;
    }
    for (int c = 0; c < ni; c++) {
      p = put_int(p, ints[c][r]);
      *p++ = ',';
    }
    for (int c = 0; c < ni; c++) {
      *p++ = 'i';
      *p++ = 'd';
      p = put_int(p, ints[c][r]);
      *p++ = ',';
    }
    p = put_micros(p, val[r]);
    *p++ = '\n';
  }
  fwrite(buf, 1, (size_t)(p - buf), f);
  free(buf);
  if (fclose(f) || rename(tmp, path)) {
    fprintf(stderr, "gen_join: writing %s failed\n", path);
    exit(1);
  }
}

/* 1e7 for 10000000 */
static void sci(int64_t n, char *out) {
  int e = 0;
  while (n >= 10 && n % 10 == 0) {
    n /= 10;
    e++;
  }
  sprintf(out, "%llde%d", (long long)n, e);
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: gen_join N DIR\n");
    return 2;
  }
  int64_t N = (int64_t)strtod(argv[1], NULL);
  int64_t t = N;
  while (t >= 10 && t % 10 == 0) t /= 10;
  if (N < 1000000 || t != 1) {
    fprintf(stderr, "gen_join: N must be a power of ten >= 1e6\n");
    return 2;
  }
  const char *dir = argv[2];
  char sN[32], sR[3][32], name[4][160];
  sci(N, sN);
  int64_t rn[3] = {N / 1000000, N / 1000, N};
  for (int i = 0; i < 3; i++) sci(rn[i], sR[i]);
  snprintf(name[0], sizeof name[0], "J1_%s_NA_0_0.csv", sN);
  for (int i = 0; i < 3; i++)
    snprintf(name[i + 1], sizeof name[i + 1], "J1_%s_%s_0_0.csv", sN, sR[i]);

  keys k[3];
  for (int i = 0; i < 3; i++) k[i] = make_keys(rn[i]);

  /* x */
  int64_t *id[3];
  for (int i = 0; i < 3; i++) id[i] = sample_all(&k[i], 1, N);
  int64_t *v = values(N);
  const char *xn[] = {"id1", "id2", "id3", "id4", "id5", "id6", "v1"};
  write_table(dir, name[0], N, 3, id, xn, v);
  for (int i = 0; i < 3; i++) free(id[i]);
  free(v);

  /* small, medium, big: the table of size rn[s] has keys 1..s+1, the last
   * one drawn once per key of its space */
  const char *rnames[3][7] = {{"id1", "id4", "v2"},
                              {"id1", "id2", "id4", "id5", "v2"},
                              {"id1", "id2", "id3", "id4", "id5", "id6", "v2"}};
  for (int s = 0; s < 3; s++) {
    for (int i = 0; i <= s; i++) id[i] = sample_all(&k[i], 0, rn[s]);
    v = values(rn[s]);
    write_table(dir, name[s + 1], rn[s], s + 1, id, rnames[s], v);
    for (int i = 0; i <= s; i++) free(id[i]);
    free(v);
  }
  for (int i = 0; i < 3; i++) free(k[i].perm);
  for (int i = 0; i < 4; i++) printf("%s/%s\n", dir, name[i]);
  return 0;
}
