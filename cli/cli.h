/* cli.h - what the files of the auk command share: the subcommands over
 * files (commands.c), the output modes (output.c), the shell's state and its
 * statement runner (shell.c) and the dot-commands (dot.c). main.c decides
 * from the first argument whether a run is a subcommand or the shell. */
#ifndef AUK_CLI_H
#define AUK_CLI_H

#include "auk.h"

#include <pthread.h>
#include <stdio.h>

/* commands.c: `auk head|schema|count|describe|convert ...`. */
int cli_is_command(const char *name);
int cli_command_main(int argc, char **argv);
void cli_usage(FILE *out);

/* output.c: how a statement's rows are written. */
typedef enum { OUT_BOX, OUT_CSV, OUT_JSON, OUT_MARKDOWN, OUT_LINE } out_mode;

/* The mode called `name` ("box", "csv", ...); -1 when there is none. */
int out_mode_parse(const char *name);
const char *out_mode_name(out_mode mode);
/* Writes frame to out in the mode; box shows at most max_rows rows (-1:
 * all). Returns non-zero and fills err when writing fails. */
auk_status out_write(const auk_frame *frame, out_mode mode, int max_rows, FILE *out,
                     auk_error *err);

/* shell.c: one shell session (interactive or batch). */
typedef struct shell {
  auk_db *db;
  out_mode mode;
  int max_rows;    /* box mode: rows shown before eliding (-1: all) */
  FILE *out;       /* stdout or the file of .output */
  int timer;       /* .timer on: print the run time of each statement */
  int bail;        /* stop at the first error (batch mode) */
  int interactive; /* reading from a terminal through libedit */
  int progress;    /* .progress on: a bar on stderr (a terminal) for long statements */
  int failed;      /* some statement or dot-command failed */
  int quit;        /* .quit was given */
  int depth;       /* nesting of .read */
  char *pending;   /* lines of a statement not yet complete */
  size_t pending_len, pending_cap;
} shell;

int shell_init(shell *s);
void shell_free(shell *s);
/* Feeds one line (without its newline): a dot-command when no statement is
 * pending, else part of a statement that runs once it is complete. Returns
 * non-zero when the session should stop (.quit, or an error with bail). */
int shell_feed_line(shell *s, const char *line);
/* Runs what is pending at the end of the input. Returns like feed_line. */
int shell_finish(shell *s);
/* Drops a pending, incomplete statement (Ctrl-C at the prompt). */
void shell_clear_pending(shell *s);
/* Runs every line of the stream (a script, or standard input). */
int shell_run_stream(shell *s, FILE *in);
/* Runs the text of -c (statements, or one dot-command). */
int shell_run_text(shell *s, const char *text);
/* Interactive loop with line editing and history; returns at Ctrl-D or
 * .quit. */
int shell_interactive(shell *s);
/* The progress bar (or the elapsed-time spinner) of a statement or import
 * that runs longer than a second: a timer thread drawing on stderr from
 * start to stop, then erasing its line. Nothing when .progress is off or
 * stderr is not a terminal. */
typedef struct shell_progress {
  pthread_t thread;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int done, on;
} shell_progress;
void shell_progress_start(shell *s, shell_progress *p);
void shell_progress_stop(shell_progress *p);
/* Prints "Error: message" on stderr and records the failure. */
void shell_error(shell *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* dot.c: runs a line that starts with '.'. Returns non-zero to stop. */
int dot_run(shell *s, const char *line);

#endif
