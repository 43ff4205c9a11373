/* gen_groupby.c - writes the H2O db-benchmark "groupby" table the way the
 * db-benchmark's groupby-datagen.R lays it out, fast and deterministically.
 *
 *   gen_groupby N K NA_PCT SORTED OUTDIR [SEED]
 *     -> OUTDIR/G1_<N>_<K>_<NA_PCT>_<SORTED>.csv   (path printed on stdout)
 *
 * N and K may be written 10000000 or 1e7; in the file name they are written
 * the R way (1e7, 1e2, 2e0). Columns:
 *   id1,id2  "id%03d" of uniform 1..K      id4,id5  uniform 1..K
 *   id3      "id%010d" of uniform 1..N/K   id6      uniform 1..N/K
 *   v1 uniform 1..5   v2 uniform 1..15   v3 uniform [0,100) rounded to 6
 *   decimals (so 100.000000 is possible, as in R), printed "%.6f".
 * NA_PCT > 0 blanks fields as the R script does: in each id column, NA_PCT
 * percent of the distinct values (drawn from 1..K or 1..N/K) become empty in
 * every row that holds them (so about NA_PCT percent of the rows); in v1..v3
 * exactly floor(N * NA_PCT / 100) rows drawn at random are empty.
 * SORTED=1 orders the rows by id1..id6 as data.table's setkey does (NA first,
 * strings in byte order, stable), which needs the whole table in memory
 * (24 bytes a row, twice); SORTED=0 streams, keeping only the NA choices
 * (3 bits a row).
 *
 * Speed: the value domains are small, so each column's printed values are
 * prepared once in a table of 16-byte entries and a row is a few fixed-size
 * copies into a 16 MiB buffer; a writer thread hands the previous buffer to
 * the kernel meanwhile (10M rows, 510 MB: about 1.2 s). The file is written
 * under a temporary name and renamed when complete. Not R's random stream:
 * xoshiro256** seeded through splitmix64, the same file for the same
 * arguments on every machine. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef unsigned __int128 u128;

/* ---- random numbers ---------------------------------------------------- */

typedef struct {
  uint64_t s[4];
} rng;

static uint64_t splitmix64(uint64_t *x) {
  uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

static void rng_seed(rng *r, uint64_t seed, uint64_t stream) {
  uint64_t x = seed ^ (stream * 0xd1b54a32d192ed03ull);
  for (int i = 0; i < 4; i++) r->s[i] = splitmix64(&x);
}

static inline uint64_t rotl(uint64_t x, int k) {
  return (x << k) | (x >> (64 - k));
}

static inline uint64_t rng_next(rng *r) { /* xoshiro256** */
  uint64_t *s = r->s;
  uint64_t out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return out;
}

/* Uniform in [0, n), n >= 1, without modulo bias (multiply, reject the few
 * low products that would favour some outcomes). */
static inline uint64_t rng_below(rng *r, uint64_t n) {
  u128 m = (u128)rng_next(r) * n;
  uint64_t lo = (uint64_t)m;
  if (lo < n) {
    uint64_t t = (0 - n) % n;
    while (lo < t) {
      m = (u128)rng_next(r) * n;
      lo = (uint64_t)m;
    }
  }
  return (uint64_t)(m >> 64);
}

/* round(runif(1, max = 100), 6) in millionths: 0 .. 100000000. */
static inline uint32_t rng_v3(rng *r) {
  double u = (double)(rng_next(r) >> 11) * 0x1p-53;
  return (uint32_t)(u * 1e8 + 0.5);
}

/* ---- bitmaps and sampling without replacement ------------------------- */

static uint8_t *bits_new(uint64_t n) {
  uint8_t *b = calloc(n / 8 + 1, 1);
  if (!b) {
    fprintf(stderr, "gen_groupby: out of memory\n");
    exit(1);
  }
  return b;
}
static inline int bit_get(const uint8_t *b, uint64_t i) {
  return (b[i >> 3] >> (i & 7)) & 1;
}
static inline void bit_set(uint8_t *b, uint64_t i) {
  b[i >> 3] |= (uint8_t)(1u << (i & 7));
}

/* Marks k distinct positions of 0..n-1, uniformly (Floyd's algorithm). */
static uint8_t *sample_bits(rng *r, uint64_t n, uint64_t k) {
  uint8_t *b = bits_new(n);
  for (uint64_t j = n - k; j < n; j++) {
    uint64_t t = rng_below(r, j + 1);
    bit_set(b, bit_get(b, t) ? j : t);
  }
  return b;
}

/* ---- printed values ---------------------------------------------------- */

static const char digits2[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

/* Decimal digits of v, at least `width` of them (zero padded), at p. */
static char *put_uint(char *p, uint64_t v, int width) {
  int n = 1;
  for (uint64_t x = v; x >= 10; x /= 10) n++;
  if (n < width) {
    memset(p, '0', (size_t)(width - n));
    p += width - n;
  }
  char *end = p + n, *q = end;
  while (v >= 100) {
    q -= 2;
    memcpy(q, digits2 + 2 * (v % 100), 2);
    v /= 100;
  }
  if (v >= 10) {
    q -= 2;
    memcpy(q, digits2 + 2 * v, 2);
  } else {
    *--q = (char)('0' + v);
  }
  return end;
}

/* A column's printed values 1..max, 16 bytes each: up to 15 characters and
 * the length in the last byte. Built only for domains small enough to stay
 * in cache-friendly memory; larger ones are printed directly. */
typedef struct {
  const char *prefix; /* "id" for the string columns */
  int width;          /* minimum digits */
  uint64_t max;
  char *tab; /* NULL: print directly */
} column_fmt;

enum { TABLE_MAX = 1u << 21 };

static void fmt_init(column_fmt *f, const char *prefix, int width, uint64_t max) {
  f->prefix = prefix;
  f->width = width;
  f->max = max;
  f->tab = NULL;
  char tmp[64];
  size_t pl = strlen(prefix);
  memcpy(tmp, prefix, pl);
  if (pl + (size_t)put_uint(tmp + pl, max, width) - (size_t)(tmp + pl) > 15 || max > TABLE_MAX)
    return;
  f->tab = malloc((size_t)(max + 1) * 16);
  if (!f->tab) return;
  for (uint64_t v = 1; v <= max; v++) {
    char *e = f->tab + v * 16;
    memcpy(e, prefix, pl);
    e[15] = (char)(put_uint(e + pl, v, width) - e);
  }
}

static inline char *fmt_put(const column_fmt *f, char *p, uint64_t v) {
  if (f->tab) {
    const char *e = f->tab + v * 16;
    memcpy(p, e, 16); /* the buffer has slack past every row */
    return p + (unsigned char)e[15];
  }
  size_t pl = strlen(f->prefix);
  memcpy(p, f->prefix, pl);
  return put_uint(p + pl, v, f->width);
}

static inline char *put_v3(char *p, uint32_t v) {
  p = put_uint(p, v / 1000000, 1);
  *p++ = '.';
  uint32_t frac = v % 1000000;
  memcpy(p, digits2 + 2 * (frac / 10000), 2);
  memcpy(p + 2, digits2 + 2 * (frac / 100 % 100), 2);
  memcpy(p + 4, digits2 + 2 * (frac % 100), 2);
  return p + 6;
}

/* ---- output ------------------------------------------------------------ */

/* Two buffers: the main thread fills one while a writer thread hands the
 * other to the kernel, which spends about as long copying a block into the
 * page cache as this program spends making it. */
enum { BLOCK = 16u << 20, SLACK = 4096 };

typedef struct {
  int fd;
  const char *path;
  char *buf[2], *p, *limit;
  int cur;
  size_t pending; /* bytes of buf[!cur] the writer is to write, or 0 */
  int done, failed;
  pthread_t thread;
  pthread_mutex_t mu;
  pthread_cond_t cv;
} out_t;

static void write_all(out_t *o, const char *b, size_t n) {
  while (n) {
    ssize_t w = write(o->fd, b, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      fprintf(stderr, "gen_groupby: write %s: %s\n", o->path, strerror(errno));
      o->failed = 1;
      return;
    }
    b += w;
    n -= (size_t)w;
  }
}

static void *writer(void *arg) {
  out_t *o = arg;
  pthread_mutex_lock(&o->mu);
  for (;;) {
    while (!o->pending && !o->done) pthread_cond_wait(&o->cv, &o->mu);
    if (!o->pending) break;
    const char *b = o->buf[!o->cur];
    size_t n = o->pending;
    pthread_mutex_unlock(&o->mu);
    if (!o->failed) write_all(o, b, n);
    pthread_mutex_lock(&o->mu);
    o->pending = 0;
    pthread_cond_broadcast(&o->cv);
  }
  pthread_mutex_unlock(&o->mu);
  return NULL;
}

static int out_open(out_t *o, const char *path) {
  memset(o, 0, sizeof *o);
  o->path = path;
  o->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  o->buf[0] = malloc(BLOCK + SLACK);
  o->buf[1] = malloc(BLOCK + SLACK);
  if (o->fd < 0 || !o->buf[0] || !o->buf[1]) return 0;
  o->p = o->buf[0];
  o->limit = o->buf[0] + BLOCK;
  pthread_mutex_init(&o->mu, NULL);
  pthread_cond_init(&o->cv, NULL);
  return pthread_create(&o->thread, NULL, writer, o) == 0;
}

/* Hands the filled buffer to the writer once it has finished the other. */
static void out_flush(out_t *o) {
  size_t n = (size_t)(o->p - o->buf[o->cur]);
  pthread_mutex_lock(&o->mu);
  while (o->pending) pthread_cond_wait(&o->cv, &o->mu);
  if (o->failed) exit(1);
  if (n) {
    o->pending = n;
    o->cur = !o->cur;
    pthread_cond_broadcast(&o->cv);
  }
  pthread_mutex_unlock(&o->mu);
  o->p = o->buf[o->cur];
  o->limit = o->p + BLOCK;
}

static int out_close(out_t *o) {
  out_flush(o);
  pthread_mutex_lock(&o->mu);
  o->done = 1;
  pthread_cond_broadcast(&o->cv);
  pthread_mutex_unlock(&o->mu);
  pthread_join(o->thread, NULL);
  return !o->failed && close(o->fd) == 0;
}

/* ---- the table --------------------------------------------------------- */

enum { NA32 = UINT32_MAX };

typedef struct {
  uint64_t n, k, nk;
  int na;
  column_fmt fmt[8];  /* id1..id6, v1, v2 */
  uint8_t *na_val[6]; /* id columns: values chosen to be NA (or NULL) */
  uint8_t *na_row[3]; /* v columns: rows chosen to be NA (or NULL) */
} table;

static const uint64_t *domains(const table *t, uint64_t d[8]) {
  d[0] = d[1] = d[3] = d[4] = t->k;
  d[2] = d[5] = t->nk;
  d[6] = 5;
  d[7] = 15;
  return d;
}

/* One row's values: ids 1..max or 0 for NA; v1, v2 likewise; v3 NA32 for NA. */
static inline void gen_row(const table *t, rng *r, uint64_t row, uint64_t id[6], uint32_t *v1,
                           uint32_t *v2, uint32_t *v3) {
  id[0] = rng_below(r, t->k) + 1;
  id[1] = rng_below(r, t->k) + 1;
  id[2] = rng_below(r, t->nk) + 1;
  id[3] = rng_below(r, t->k) + 1;
  id[4] = rng_below(r, t->k) + 1;
  id[5] = rng_below(r, t->nk) + 1;
  *v1 = (uint32_t)rng_below(r, 5) + 1;
  *v2 = (uint32_t)rng_below(r, 15) + 1;
  *v3 = rng_v3(r);
  if (t->na) {
    for (int c = 0; c < 6; c++)
      if (t->na_val[c] && bit_get(t->na_val[c], id[c] - 1)) id[c] = 0;
    if (t->na_row[0] && bit_get(t->na_row[0], row)) *v1 = 0;
    if (t->na_row[1] && bit_get(t->na_row[1], row)) *v2 = 0;
    if (t->na_row[2] && bit_get(t->na_row[2], row)) *v3 = NA32;
  }
}

static inline char *put_row(const table *t, char *p, const uint64_t id[6], uint32_t v1, uint32_t v2,
                            uint32_t v3) {
  for (int c = 0; c < 6; c++) {
    if (id[c]) p = fmt_put(&t->fmt[c], p, id[c]);
    *p++ = ',';
  }
  if (v1) p = fmt_put(&t->fmt[6], p, v1);
  *p++ = ',';
  if (v2) p = fmt_put(&t->fmt[7], p, v2);
  *p++ = ',';
  if (v3 != NA32) p = put_v3(p, v3);
  *p++ = '\n';
  return p;
}

static void write_streaming(const table *t, rng *r, out_t *o) {
  uint64_t id[6];
  uint32_t v1, v2, v3;
  for (uint64_t row = 0; row < t->n; row++) {
    gen_row(t, r, row, id, &v1, &v2, &v3);
    o->p = put_row(t, o->p, id, v1, v2, v3);
    if (o->p >= o->limit) out_flush(o);
  }
}

/* ---- sorted output ----------------------------------------------------- */

/* The six ids packed into a 128-bit key, id1 most significant, so that
 * comparing keys compares rows as setkey(id1..id6) does. NA is 0 and sorts
 * first. A string column whose values are wider than the padding ("id1000"
 * next to "id999") would not sort as its numbers do; it stores the value's
 * rank among the printed strings instead. */
typedef struct {
  uint64_t lo, hi;
  uint32_t v3;
  uint8_t v1, v2;
} rec;

typedef struct {
  int shift[6], nbits[6], total;
  uint64_t *rank[6];  /* value -> rank, or NULL when identical */
  uint64_t *value[6]; /* rank -> value */
} keyspec;

static const table *cmp_table;
static int cmp_col;
static int cmp_strings(const void *a, const void *b) {
  char sa[64], sb[64];
  const column_fmt *f = &cmp_table->fmt[cmp_col];
  *fmt_put(f, sa, *(const uint64_t *)a) = 0;
  *fmt_put(f, sb, *(const uint64_t *)b) = 0;
  return strcmp(sa, sb);
}

static void key_init(keyspec *ks, const table *t) {
  uint64_t d[8];
  domains(t, d);
  ks->total = 0;
  for (int c = 5; c >= 0; c--) {
    int b = 64 - __builtin_clzll(d[c]); /* values 0..d[c] */
    ks->nbits[c] = b;
    ks->shift[c] = ks->total;
    ks->total += b;
    ks->rank[c] = ks->value[c] = NULL;
    int is_string = c <= 2;
    uint64_t pow10 = 1;
    for (int i = 0; i < t->fmt[c].width; i++) pow10 *= 10;
    if (is_string && d[c] >= pow10) {
      uint64_t *val = malloc((d[c] + 1) * sizeof *val), *rk = malloc((d[c] + 1) * sizeof *rk);
      if (!val || !rk) {
        fprintf(stderr, "gen_groupby: out of memory\n");
        exit(1);
      }
      for (uint64_t v = 0; v <= d[c]; v++) val[v] = v;
      cmp_table = t;
      cmp_col = c;
      qsort(val + 1, d[c], sizeof *val, cmp_strings);
      for (uint64_t i = 0; i <= d[c]; i++) rk[val[i]] = i;
      ks->rank[c] = rk;
      ks->value[c] = val;
    }
  }
  if (ks->total > 128) {
    fprintf(stderr, "gen_groupby: K and N/K too large to sort (%d key bits)\n", ks->total);
    exit(2);
  }
}

static inline u128 rec_key(const rec *x) {
  return ((u128)x->hi << 64) | x->lo;
}

/* Stable LSD radix sort on the key, 11 bits a pass; passes in which every
 * record has the same digit are skipped. */
static void radix_sort(rec *a, uint64_t n, int bits) {
  enum { DB = 11, NB = 1 << DB };
  int passes = (bits + DB - 1) / DB;
  uint64_t(*hist)[NB] = calloc((size_t)passes, sizeof *hist);
  rec *tmp = malloc(n * sizeof *tmp);
  if (!hist || !tmp) {
    fprintf(stderr, "gen_groupby: out of memory for sorting\n");
    exit(1);
  }
  for (uint64_t i = 0; i < n; i++) {
    u128 k = rec_key(&a[i]);
    for (int p = 0; p < passes; p++) hist[p][(uint64_t)(k >> (p * DB)) & (NB - 1)]++;
  }
  rec *src = a, *dst = tmp;
  for (int p = 0; p < passes; p++) {
    uint64_t sum = 0;
    int trivial = 0;
    for (int b = 0; b < NB; b++) {
      if (hist[p][b] == n) trivial = 1;
      uint64_t c = hist[p][b];
      hist[p][b] = sum;
      sum += c;
    }
    if (trivial) continue;
    for (uint64_t i = 0; i < n; i++) {
      uint64_t b = (uint64_t)(rec_key(&src[i]) >> (p * DB)) & (NB - 1);
      dst[hist[p][b]++] = src[i];
    }
    rec *s = src;
    src = dst;
    dst = s;
  }
  if (src != a) memcpy(a, src, n * sizeof *a);
  free(tmp);
  free(hist);
}

static void write_sorted(const table *t, rng *r, out_t *o) {
  keyspec ks;
  key_init(&ks, t);
  rec *a = malloc(t->n * sizeof *a);
  if (!a) {
    fprintf(stderr, "gen_groupby: out of memory (%" PRIu64 " rows to sort)\n", t->n);
    exit(1);
  }
  uint64_t id[6];
  uint32_t v1, v2, v3;
  for (uint64_t row = 0; row < t->n; row++) {
    gen_row(t, r, row, id, &v1, &v2, &v3);
    u128 k = 0;
    for (int c = 0; c < 6; c++) {
      uint64_t v = ks.rank[c] ? ks.rank[c][id[c]] : id[c];
      k |= (u128)v << ks.shift[c];
    }
    a[row] = (rec){(uint64_t)k, (uint64_t)(k >> 64), v3, (uint8_t)v1, (uint8_t)v2};
  }
  radix_sort(a, t->n, ks.total);
  for (uint64_t row = 0; row < t->n; row++) {
    u128 k = rec_key(&a[row]);
    for (int c = 0; c < 6; c++) {
      uint64_t v = (uint64_t)(k >> ks.shift[c]) & ((1ull << ks.nbits[c]) - 1);
      id[c] = ks.value[c] ? ks.value[c][v] : v;
    }
    o->p = put_row(t, o->p, id, a[row].v1, a[row].v2, a[row].v3);
    if (o->p >= o->limit) out_flush(o);
  }
  free(a);
}

/* ---- arguments and file name ------------------------------------------- */

static int parse_count(const char *s, uint64_t *out) {
  char *end;
  errno = 0;
  double d = strtod(s, &end);
  if (errno || end == s || *end || !(d >= 1) || d > 1e15 || d != floor(d)) return 0;
  *out = (uint64_t)d;
  return 1;
}

/* The R script names files with pretty_sci() of an integer: the first digit,
 * "e", the number of further digits (10000000 -> 1e7, 100 -> 1e2, 2 -> 2e0).
 * For numbers not of the form D*10^E that would collide (15000000 -> 1e7),
 * so those keep all their significant digits (15e6). */
static void r_name(char *out, size_t cap, uint64_t v) {
  uint64_t m = v;
  int e = 0;
  while (m >= 10 && m % 10 == 0) {
    m /= 10;
    e++;
  }
  snprintf(out, cap, "%" PRIu64 "e%d", m, e);
}

int main(int argc, char **argv) {
  if (argc != 6 && argc != 7) {
    fprintf(stderr,
            "usage: gen_groupby N K NA_PCT SORTED OUTDIR [SEED]\n"
            "  e.g. gen_groupby 1e7 1e2 0 0 bench/data -> bench/data/G1_1e7_1e2_0_0.csv\n");
    return 2;
  }
  table t = {0};
  char *end;
  long na = strtol(argv[3], &end, 10), sorted;
  if (!parse_count(argv[1], &t.n) || !parse_count(argv[2], &t.k) || t.k > t.n || *end || na < 0 ||
      na > 100) {
    fprintf(stderr, "gen_groupby: need 1 <= K <= N and 0 <= NA_PCT <= 100\n");
    return 2;
  }
  sorted = strtol(argv[4], &end, 10);
  if (*end || (sorted != 0 && sorted != 1)) {
    fprintf(stderr, "gen_groupby: SORTED is 0 or 1\n");
    return 2;
  }
  uint64_t seed = 42;
  if (argc == 7) seed = strtoull(argv[6], NULL, 0);
  t.nk = t.n / t.k;
  t.na = (int)na;

  fmt_init(&t.fmt[0], "id", 3, t.k);
  fmt_init(&t.fmt[1], "id", 3, t.k);
  fmt_init(&t.fmt[2], "id", 10, t.nk);
  fmt_init(&t.fmt[3], "", 1, t.k);
  fmt_init(&t.fmt[4], "", 1, t.k);
  fmt_init(&t.fmt[5], "", 1, t.nk);
  fmt_init(&t.fmt[6], "", 1, 5);
  fmt_init(&t.fmt[7], "", 1, 15);

  if (t.na) { /* the NA choices come from their own stream */
    rng rn;
    rng_seed(&rn, seed, 2);
    uint64_t d[8];
    domains(&t, d);
    for (int c = 0; c < 6; c++) {
      uint64_t k = d[c] * (uint64_t)t.na / 100;
      t.na_val[c] = k ? sample_bits(&rn, d[c], k) : NULL;
    }
    uint64_t k = t.n * (uint64_t)t.na / 100;
    for (int c = 0; c < 3; c++) t.na_row[c] = k ? sample_bits(&rn, t.n, k) : NULL;
  }

  char ns[32], ks[32], path[4096], tmp[4200];
  r_name(ns, sizeof ns, t.n);
  r_name(ks, sizeof ks, t.k);
  snprintf(path, sizeof path, "%s/G1_%s_%s_%ld_%ld.csv", argv[5], ns, ks, na, sorted);
  snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());

  out_t o;
  if (!out_open(&o, tmp)) {
    fprintf(stderr, "gen_groupby: %s: %s\n", tmp, strerror(errno));
    return 1;
  }
  static const char header[] = "id1,id2,id3,id4,id5,id6,v1,v2,v3\n";
  memcpy(o.p, header, sizeof header - 1);
  o.p += sizeof header - 1;

  rng r;
  rng_seed(&r, seed, 1);
  if (sorted)
    write_sorted(&t, &r, &o);
  else
    write_streaming(&t, &r, &o);
  if (!out_close(&o) || rename(tmp, path) != 0) {
    fprintf(stderr, "gen_groupby: %s: %s\n", path, strerror(errno));
    remove(tmp);
    return 1;
  }
  printf("%s\n", path);
  return 0;
}
