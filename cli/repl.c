/* repl.c - the interactive shell on a terminal: line editing and history
 * (~/.auk_history) through libedit, the prompts "auk> " and "   > " while a
 * statement continues, and Ctrl-C. A SIGINT handler (installed without
 * SA_RESTART) calls auk_interrupt(), which stops a running query (a
 * second Ctrl-C ends the shell if the query goes on); at the
 * prompt the interrupted read() makes el_gets fail, and the line and any
 * statement in progress are thrown away. */
#include "cli.h"

#include <errno.h>
#include <histedit.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

static volatile sig_atomic_t got_sigint;
static volatile sig_atomic_t running; /* a line is being run (not at the prompt) */
static int cancel_line;               /* set by read_key on Ctrl-C, read after el_gets */
static shell *repl_shell;

/* A second Ctrl-C while the same line still runs ends the process: the
 * way out of a query that does not stop when asked. */
static void on_sigint(int sig) {
  if (running && got_sigint) {
    signal(sig, SIG_DFL);
    raise(sig);
    return;
  }
  got_sigint = 1;
  auk_interrupt();
}

/* libedit's own reader retries a read() interrupted by a signal; this one
 * gives up on Ctrl-C. Bytes are decoded as the locale's
 * multibyte characters. */
static int read_key(EditLine *el, wchar_t *wc) {
  (void)el;
  static mbstate_t state;
  for (;;) {
    /* SIGINT is let in only while waiting in ppoll, so a Ctrl-C that comes
     * just before the wait is not lost until the next key. */
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigprocmask(SIG_BLOCK, &block, &old);
    if (!got_sigint) {
      struct pollfd p = {.fd = STDIN_FILENO, .events = POLLIN};
      ppoll(&p, 1, NULL, &old);
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (got_sigint) { /* el_gets returns NULL with count -1: see the loop */
      got_sigint = 0;
      cancel_line = 1;
      memset(&state, 0, sizeof state);
      errno = EINTR;
      return -1;
    }
    char ch;
    ssize_t n = read(STDIN_FILENO, &ch, 1);
    if (n == 1) {
      size_t r = mbrtowc(wc, &ch, 1, &state);
      if (r == (size_t)-2) continue; /* more bytes of this character */
      if (r == (size_t)-1) {         /* not valid: pass the byte through */
        memset(&state, 0, sizeof state);
        *wc = (wchar_t)(unsigned char)ch;
      }
      return 1;
    }
    if (n == 0) return 0;
    if (errno != EINTR) return -1;
  }
}

static char *prompt(EditLine *el) {
  (void)el;
  return repl_shell->pending_len ? "   > " : "auk> ";
}

static char *history_path(void) {
  const char *home = getenv("HOME");
  if (!home || !*home) return NULL;
  size_t n = strlen(home) + sizeof "/.auk_history";
  char *p = malloc(n);
  if (p) snprintf(p, n, "%s/.auk_history", home);
  return p;
}

/* The history entry for a line: the whole statement once it completes. */
static char *join_entry(const shell *s, const char *line) {
  size_t a = s->pending_len, b = strlen(line);
  char *e = malloc(a + b + 2);
  if (!e) return NULL;
  memcpy(e, s->pending ? s->pending : "", a);
  if (a) e[a++] = '\n';
  memcpy(e + a, line, b + 1);
  return e;
}

int shell_interactive(shell *s) {
  setlocale(LC_CTYPE, "");
  repl_shell = s;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sigint;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL); /* no SA_RESTART: a read at the prompt returns */

  EditLine *el = el_init("auk", stdin, stdout, stderr);
  History *hist = history_init();
  if (!el || !hist) {
    if (el) el_end(el);
    if (hist) history_end(hist);
    fputs("Error: cannot start line editing\n", stderr);
    return 1;
  }
  HistEvent ev;
  history(hist, &ev, H_SETSIZE, 2000);
  history(hist, &ev, H_SETUNIQUE, 1);
  char *hpath = history_path();
  if (hpath) history(hist, &ev, H_LOAD, hpath);
  el_set(el, EL_EDITOR, "emacs");
  el_set(el, EL_HIST, history, hist);
  el_set(el, EL_PROMPT, prompt);
  el_set(el, EL_GETCFN, read_key);
  el_source(el, NULL); /* ~/.editrc, as other libedit programs */

  printf("auk shell: SQL statements end with ';'. Enter \".help\" for the dot-commands.\n");
  int stop = 0;
  while (!stop) {
    int count = 0;
    cancel_line = 0;
    const char *got = el_gets(el, &count);
    if (cancel_line) { /* Ctrl-C: drop the line and any statement in progress */
      fputc('\n', stdout);
      shell_clear_pending(s);
      continue;
    }
    if (!got || count <= 0) { /* Ctrl-D */
      fputc('\n', stdout);
      break;
    }
    size_t n = strlen(got);
    char *line = malloc(n + 1);
    if (!line) break;
    memcpy(line, got, n + 1);
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = 0;
    char *entry = join_entry(s, line);
    got_sigint = 0;
    running = 1;
    stop = shell_feed_line(s, line);
    running = 0;
    got_sigint = 0; /* a Ctrl-C that stopped a query is spent */
    if (entry && s->pending_len == 0 && entry[strspn(entry, " \t\n")]) {
      history(hist, &ev, H_ENTER, entry);
      if (hpath) history(hist, &ev, H_SAVE, hpath);
    }
    free(entry);
    free(line);
  }
  if (!s->quit) shell_finish(s);
  free(hpath);
  history_end(hist);
  el_end(el);
  signal(SIGINT, SIG_DFL);
  return 0;
}
