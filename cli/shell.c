/* shell.c - the shell's statement runner, shared by every way of feeding
 * it (terminal, script, standard input, -c): lines gather into a pending
 * buffer until auk_sql_is_complete says a statement ends, then each
 * statement runs through auk_sql_next and its rows go to the output mode.
 * A line starting with '.' while nothing is pending is a dot-command.
 * Statements running longer than a second show a progress bar on stderr
 * when it is a terminal (a timer thread polling auk_progress, the fraction
 * of the input the scans have read), or an elapsed-time spinner while the
 * engine knows no fraction; `.progress off` turns both off. */
#include "cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

int shell_init(shell *s) {
  memset(s, 0, sizeof *s);
  s->mode = OUT_BOX;
  s->max_rows = 40;
  s->progress = 1;
  s->out = stdout;
  auk_error err;
  if (auk_db_open(&s->db, &err)) {
    fprintf(stderr, "Error: %s\n", err.message);
    return 1;
  }
  return 0;
}

void shell_free(shell *s) {
  if (s->out && s->out != stdout) fclose(s->out);
  s->out = NULL;
  auk_db_close(s->db);
  s->db = NULL;
  free(s->pending);
  s->pending = NULL;
}

void shell_error(shell *s, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fflush(s->out);
  fputs("Error: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  s->failed = 1;
}

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ------------------------------------------------------------ progress */

/* Block characters when the locale's text is UTF-8 (the usual terminal),
 * else plain ASCII. The locale is looked at, not set: a batch run keeps
 * the C locale. */
static int utf8_terminal(void) {
  const char *v = getenv("LC_ALL");
  if (!v || !*v) v = getenv("LC_CTYPE");
  if (!v || !*v) v = getenv("LANG");
  return v && (strcasestr(v, "utf-8") || strcasestr(v, "utf8"));
}

static int terminal_columns(void) {
  struct winsize ws;
  if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return 80;
}

/* " 42% ▕██████████▌         ▏ 3.2 s": the fraction is capped at 99%
 * while the statement runs (the work after the scans is not counted). */
static void draw_bar(double frac, double secs, int utf8) {
  static const char *const eighths[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
  int width = terminal_columns() - 20;
  if (width > 40) width = 40;
  if (width < 10) width = 10;
  int pct = (int)(frac * 100);
  if (pct > 99) pct = 99;
  int fill = (int)(frac * 8 * width); /* in eighths of a cell */
  if (fill > (8 * width * 99) / 100) fill = (8 * width * 99) / 100;
  char bar[8 * 3 * 64 + 16];
  size_t n = 0;
  for (int i = 0; i < width; i++) {
    int cell = fill - 8 * i; /* eighths of this cell that are full */
    const char *c = !utf8       ? (cell >= 8 ? "#" : " ")
                    : cell >= 8 ? "█"
                    : cell > 0  ? eighths[cell]
                                : " ";
    size_t k = strlen(c);
    memcpy(bar + n, c, k);
    n += k;
  }
  bar[n] = 0;
  fprintf(stderr, "\r%3d%% %s%s%s %.1f s\033[K", pct, utf8 ? "▕" : "[", bar, utf8 ? "▏" : "]",
          secs);
}

/* The timer thread of a statement: nothing for a second, then ten times a
 * second the bar of auk_progress(), or an elapsed-time spinner while the
 * engine knows nothing of the statement's progress; erased at the end. */
static void *progress_main(void *arg) {
  shell_progress *p = arg;
  static const char spin[] = "|/-\\";
  double start = now_seconds();
  int shown = 0, utf8 = utf8_terminal();
  pthread_mutex_lock(&p->mu);
  for (int tick = 0; !p->done; tick++) {
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    long wait_ns = shown ? 100000000L : 1000000000L; /* first after 1 s, then 10 per s */
    until.tv_nsec += wait_ns;
    until.tv_sec += until.tv_nsec / 1000000000L;
    until.tv_nsec %= 1000000000L;
    while (!p->done && pthread_cond_timedwait(&p->cv, &p->mu, &until) == 0) {
    }
    if (p->done) break;
    double frac = auk_progress();
    if (frac >= 0)
      draw_bar(frac, now_seconds() - start, utf8);
    else
      fprintf(stderr, "\r%c running %.1f s (Ctrl-C to stop)\033[K", spin[tick % 4],
              now_seconds() - start);
    fflush(stderr);
    shown = 1;
  }
  pthread_mutex_unlock(&p->mu);
  if (shown) {
    fputs("\r\033[K", stderr); /* erase the bar or spinner line */
    fflush(stderr);
  }
  return NULL;
}

void shell_progress_start(shell *s, shell_progress *p) {
  p->on = 0;
  p->done = 0;
  if (!s->progress || !isatty(STDERR_FILENO)) return;
  pthread_mutex_init(&p->mu, NULL);
  pthread_cond_init(&p->cv, NULL);
  if (pthread_create(&p->thread, NULL, progress_main, p)) {
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    return;
  }
  p->on = 1;
}

void shell_progress_stop(shell_progress *p) {
  if (!p->on) return;
  pthread_mutex_lock(&p->mu);
  p->done = 1;
  pthread_cond_signal(&p->cv);
  pthread_mutex_unlock(&p->mu);
  pthread_join(p->thread, NULL);
  pthread_cond_destroy(&p->cv);
  pthread_mutex_destroy(&p->mu);
  p->on = 0;
}

/* ---------------------------------------------------------- statements */

/* EXPLAIN's plan reads best as plain lines, not cut into a box. */
static int is_explain(const char *sql) {
  for (;;) {
    sql += strspn(sql, " \t\r\n");
    if (sql[0] != '-' || sql[1] != '-') break;
    sql += strcspn(sql, "\n");
  }
  return !strncasecmp(sql, "explain", 7) && !((sql[7] | 32) >= 'a' && (sql[7] | 32) <= 'z');
}

static auk_status write_lines(const auk_frame *f, FILE *out, auk_error *err) {
  for (int64_t r = 0; r < auk_frame_num_rows(f); r++) {
    const char *s;
    int64_t n;
    int is_null;
    if (auk_frame_get_string(f, 0, r, &s, &n, &is_null, err)) return err->code;
    fwrite(s, 1, (size_t)n, out);
    fputc('\n', out);
  }
  return fflush(out) ? AUK_ERR_IO : AUK_OK;
}

/* Runs every statement of sql in turn; stops at the first error. Returns
 * non-zero on error. */
static int run_sql(shell *s, const char *sql) {
  size_t pos = 0, len = strlen(sql);
  while (pos < len) {
    size_t used = 0;
    auk_frame *f = NULL;
    auk_error err;
    shell_progress p;
    shell_progress_start(s, &p);
    double t0 = now_seconds();
    auk_status st = auk_sql_next(s->db, sql + pos, &used, &f, &err);
    double t1 = now_seconds();
    shell_progress_stop(&p);
    if (st) {
      auk_frame_free(f);
      shell_error(s, "%s", err.message);
      return 1;
    }
    if (f && s->mode == OUT_BOX && is_explain(sql + pos) && auk_frame_num_columns(f) == 1 &&
        auk_frame_column_type(f, 0) == AUK_TYPE_STRING) {
      st = write_lines(f, s->out, &err);
      auk_frame_free(f);
      if (st) {
        shell_error(s, "%s", err.message);
        return 1;
      }
    } else if (f) {
      st = out_write(f, s->mode, s->max_rows, s->out, &err);
      auk_frame_free(f);
      if (st) {
        shell_error(s, "%s", err.message);
        return 1;
      }
    }
    if (s->timer && used > 0) {
      fprintf(s->out, "Run Time: real %.3f s\n", t1 - t0);
      fflush(s->out);
    }
    if (used == 0) break;
    pos += used;
  }
  return 0;
}

static int is_blank(const char *line) {
  while (*line == ' ' || *line == '\t' || *line == '\r') line++;
  return *line == 0 || (line[0] == '-' && line[1] == '-');
}

static int append_pending(shell *s, const char *line) {
  size_t n = strlen(line);
  if (s->pending_len + n + 2 > s->pending_cap) {
    size_t cap = s->pending_cap ? s->pending_cap * 2 : 256;
    while (cap < s->pending_len + n + 2) cap *= 2;
    char *p = realloc(s->pending, cap);
    if (!p) {
      shell_error(s, "out of memory reading the statement");
      return 1;
    }
    s->pending = p;
    s->pending_cap = cap;
  }
  if (s->pending_len) s->pending[s->pending_len++] = '\n';
  memcpy(s->pending + s->pending_len, line, n);
  s->pending_len += n;
  s->pending[s->pending_len] = 0;
  return 0;
}

void shell_clear_pending(shell *s) {
  s->pending_len = 0;
  if (s->pending) s->pending[0] = 0;
}

static int stop_now(shell *s, int failed) {
  return s->quit || (failed && s->bail);
}

int shell_feed_line(shell *s, const char *line) {
  if (s->pending_len == 0) {
    const char *p = line;
    while (*p == ' ' || *p == '\t') p++;
    if (*p == '.') return stop_now(s, dot_run(s, p));
    if (is_blank(line)) return 0;
  }
  if (append_pending(s, line)) return stop_now(s, 1);
  if (!auk_sql_is_complete(s->pending)) return 0;
  int failed = run_sql(s, s->pending);
  shell_clear_pending(s);
  return stop_now(s, failed);
}

int shell_finish(shell *s) {
  if (s->pending_len == 0) return stop_now(s, 0);
  int failed = run_sql(s, s->pending);
  shell_clear_pending(s);
  return stop_now(s, failed);
}

int shell_run_stream(shell *s, FILE *in) {
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  int stop = 0;
  while (!stop && (n = getline(&line, &cap, in)) >= 0) {
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = 0;
    stop = shell_feed_line(s, line);
  }
  free(line);
  if (!stop) stop = shell_finish(s);
  return stop;
}

int shell_run_text(shell *s, const char *text) {
  int stop = 0;
  while (!stop && *text) {
    const char *nl = strchr(text, '\n');
    size_t n = nl ? (size_t)(nl - text) : strlen(text);
    char stackbuf[1024];
    char *line = n < sizeof stackbuf ? stackbuf : malloc(n + 1);
    if (!line) {
      shell_error(s, "out of memory");
      return 1;
    }
    memcpy(line, text, n);
    line[n] = 0;
    stop = shell_feed_line(s, line);
    if (line != stackbuf) free(line);
    text += n + (nl != NULL);
  }
  if (!stop) stop = shell_finish(s);
  return stop;
}
