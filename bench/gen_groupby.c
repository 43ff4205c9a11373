/* gen_groupby.c - the H2O db-benchmark groupby table, as groupby-datagen.R
 * lays it out: id1,id2 "id%03d" of 1..K; id3 "id%010d" of 1..N/K; id4,id5
 * 1..K; id6 1..N/K; v1 1..5; v2 1..15; v3 uniform [0,100) with 6 decimals.
 * With NA > 0, that percent of each column's fields is left empty.
 * Usage: gen_groupby N K NA OUTDIR  ->  OUTDIR/G1_<N>_<K>_<NA>_0.csv
 * (N and K written the R way, e.g. 1e7 and 1e2). Deterministic (seed 42). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t state = 42;
static inline uint64_t next_rand(void) { /* splitmix64 */
  uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}
static inline uint64_t uniform(uint64_t n) {
  return next_rand() % n;
}

static char *put_uint(char *p, uint64_t v, int width) {
  char tmp[24];
  int n = 0;
  do {
    tmp[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  while (n < width) tmp[n++] = '0';
  while (n) *p++ = tmp[--n];
  return p;
}

static void r_style(char *out, long v) {
  int e = 0;
  long m = v;
  while (m >= 10 && m % 10 == 0) {
    m /= 10;
    e++;
  }
  sprintf(out, "%lde%d", m, e);
}

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: gen_groupby N K NA_PERCENT OUTDIR\n");
    return 2;
  }
  long n = atol(argv[1]), k = atol(argv[2]);
  int na = atoi(argv[3]);
  if (n <= 0 || k <= 0 || n / k < 1 || na < 0 || na > 100) return 2;
  char ns[32], ks[32], path[4096];
  r_style(ns, n);
  r_style(ks, k);
  snprintf(path, sizeof path, "%s/G1_%s_%s_%d_0.csv", argv[4], ns, ks, na);
  FILE *f = fopen(path, "wb");
  if (!f) {
    perror(path);
    return 1;
  }
  size_t cap = 1 << 22;
  char *buf = malloc(cap + 256), *p = buf;
  p += sprintf(p, "id1,id2,id3,id4,id5,id6,v1,v2,v3\n");
  long nk = n / k;
  for (long i = 0; i < n; i++) {
    for (int c = 0; c < 9; c++) {
      if (c) *p++ = ',';
      if (na && uniform(100) < (uint64_t)na) {
        if (c < 8) continue;
      }
      switch (c) {
        case 0:
        case 1:
          memcpy(p, "id", 2);
          p = put_uint(p + 2, uniform((uint64_t)k) + 1, 3);
          break;
        case 2:
          memcpy(p, "id", 2);
          p = put_uint(p + 2, uniform((uint64_t)nk) + 1, 10);
          break;
        case 3:
        case 4: p = put_uint(p, uniform((uint64_t)k) + 1, 1); break;
        case 5: p = put_uint(p, uniform((uint64_t)nk) + 1, 1); break;
        case 6: p = put_uint(p, uniform(5) + 1, 1); break;
        case 7: p = put_uint(p, uniform(15) + 1, 1); break;
        case 8: {
          if (na && uniform(100) < (uint64_t)na) break;
          uint64_t v = uniform(100000000); /* micro-units of [0,100) */
          p = put_uint(p, v / 1000000, 1);
          *p++ = '.';
          p = put_uint(p, v % 1000000, 6);
          break;
        }
      }
    }
    *p++ = '\n';
    if ((size_t)(p - buf) >= cap) {
      fwrite(buf, 1, (size_t)(p - buf), f);
      p = buf;
    }
  }
  fwrite(buf, 1, (size_t)(p - buf), f);
  if (fclose(f) != 0) {
    perror(path);
    return 1;
  }
  printf("%s\n", path);
  return 0;
}
