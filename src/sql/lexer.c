/* lexer.c - splits SQL text into tokens (see lexer.h) and formats errors
 * that point at a position in the text with a caret. */
#include "sql/lexer.h"

#include "core/alloc.h"
#include "core/error.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

auk_status sql_error_at(auk_error *err, auk_status code, const char *text, size_t pos,
                        const char *fmt, ...) {
  if (!err) return code;
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  size_t line = 1, line_start = 0;
  for (size_t i = 0; i < pos && text[i]; i++)
    if (text[i] == '\n') {
      line++;
      line_start = i + 1;
    }
  size_t line_end = line_start;
  while (text[line_end] && text[line_end] != '\n') line_end++;
  /* Show at most ~100 bytes of the line around the position. */
  size_t from = line_start, to = line_end;
  if (pos - from > 60) from = pos - 60;
  if (to - from > 100) to = from + 100;
  size_t col = pos - line_start + 1;
  char shown[128];
  size_t k = 0;
  for (size_t i = from; i < to && k + 1 < sizeof shown; i++)
    shown[k++] = text[i] == '\t' ? ' ' : text[i];
  shown[k] = 0;
  char caret[128];
  size_t c = pos - from;
  if (c > sizeof caret - 2) c = sizeof caret - 2;
  memset(caret, ' ', c);
  caret[c] = '^';
  caret[c + 1] = 0;
  return auk_error_set(err, code, "%s at line %zu, column %zu\n  %s\n  %s", msg, line, col, shown,
                       caret);
}

static auk_status push(token_list *l, tok_type t, size_t pos, size_t len, const char *val,
                       size_t vlen, auk_error *err) {
  if (l->n == l->cap) {
    int cap = l->cap ? l->cap * 2 : 64;
    token *nt =
        auk_mem_realloc(l->toks, sizeof *nt * (size_t)l->cap, sizeof *nt * (size_t)cap, err);
    if (!nt) return err->code;
    l->toks = nt;
    l->cap = cap;
  }
  char *s = auk_mem_alloc(vlen + 1, err);
  if (!s) return err->code;
  memcpy(s, val, vlen);
  s[vlen] = 0;
  l->toks[l->n++] = (token){t, pos, len, s};
  return AUK_OK;
}

void token_list_free(token_list *l) {
  for (int i = 0; i < l->n; i++) auk_mem_free(l->toks[i].text, strlen(l->toks[i].text) + 1);
  auk_mem_free(l->toks, sizeof *l->toks * (size_t)l->cap);
  memset(l, 0, sizeof *l);
}

/* A quoted run ending at the closing quote q, where qq means one q. */
static auk_status quoted(const char *text, size_t *i, char q, token_list *l, tok_type t,
                         auk_error *err) {
  size_t start = *i, j = start + 1, n = 0;
  for (;; j++) {
    if (!text[j])
      return sql_error_at(err, AUK_ERR_PARSE, text, start, "unterminated %s",
                          q == '\'' ? "string" : "quoted identifier");
    if (text[j] == q) {
      if (text[j + 1] == q) {
        j++;
        n++;
        continue;
      }
      break;
    }
    n++;
  }
  char stackbuf[256] = {0};
  char *buf = n < sizeof stackbuf ? stackbuf : auk_mem_alloc(n + 1, err);
  if (!buf) return err->code;
  size_t k = 0;
  for (size_t p = start + 1; p < j; p++) {
    buf[k++] = text[p];
    if (text[p] == q) p++;
  }
  auk_status st = push(l, t, start, j + 1 - start, buf, k, err);
  if (buf != stackbuf) auk_mem_free(buf, n + 1);
  *i = j + 1;
  return st;
}

static const char *const ops2[] = {"//", "||", "==", "!=", "<>", "<=", ">=", "::", "->", NULL};

auk_status sql_lex(const char *text, size_t start, token_list *l, auk_error *err) {
  memset(l, 0, sizeof *l);
  size_t i = start;
  for (;;) {
    unsigned char c = (unsigned char)text[i];
    if (!c) {
      if (push(l, TOK_END, i, 0, "", 0, err)) goto fail;
      l->end = i;
      return AUK_OK;
    }
    if (isspace(c)) {
      i++;
      continue;
    }
    if (c == '-' && text[i + 1] == '-') {
      while (text[i] && text[i] != '\n') i++;
      continue;
    }
    if (c == '/' && text[i + 1] == '*') {
      size_t s = i;
      i += 2;
      while (text[i] && !(text[i] == '*' && text[i + 1] == '/')) i++;
      if (!text[i]) {
        sql_error_at(err, AUK_ERR_PARSE, text, s, "unterminated comment");
        goto fail;
      }
      i += 2;
      continue;
    }
    if (c == ';') {
      if (push(l, TOK_SEMI, i, 1, ";", 1, err)) goto fail;
      l->end = i + 1;
      return AUK_OK;
    }
    if (c == '\'') {
      if (quoted(text, &i, '\'', l, TOK_STRING, err)) goto fail;
      continue;
    }
    if (c == '"') {
      if (quoted(text, &i, '"', l, TOK_QUOTED, err)) goto fail;
      continue;
    }
    if (isalpha(c) || c == '_' || c >= 0x80) {
      size_t s = i;
      while (isalnum((unsigned char)text[i]) || text[i] == '_' || text[i] == '$' ||
             (unsigned char)text[i] >= 0x80)
        i++;
      if (push(l, TOK_WORD, s, i - s, text + s, i - s, err)) goto fail;
      continue;
    }
    if (isdigit(c) || (c == '.' && isdigit((unsigned char)text[i + 1]))) {
      size_t s = i;
      int is_float = 0;
      while (isdigit((unsigned char)text[i])) i++;
      if (text[i] == '.' && text[i + 1] != '.') {
        is_float = 1;
        i++;
        while (isdigit((unsigned char)text[i])) i++;
      }
      if ((text[i] == 'e' || text[i] == 'E') &&
          (isdigit((unsigned char)text[i + 1]) ||
           ((text[i + 1] == '+' || text[i + 1] == '-') && isdigit((unsigned char)text[i + 2])))) {
        is_float = 1;
        i += 2;
        while (isdigit((unsigned char)text[i])) i++;
      }
      if (isalpha((unsigned char)text[i]) || text[i] == '_') {
        sql_error_at(err, AUK_ERR_PARSE, text, s, "malformed number");
        goto fail;
      }
      if (push(l, is_float ? TOK_NUMBER : TOK_INT, s, i - s, text + s, i - s, err)) goto fail;
      continue;
    }
    int matched = 0;
    for (int k = 0; ops2[k]; k++)
      if (text[i] == ops2[k][0] && text[i + 1] == ops2[k][1]) {
        if (push(l, TOK_OP, i, 2, ops2[k], 2, err)) goto fail;
        i += 2;
        matched = 1;
        break;
      }
    if (matched) continue;
    if (strchr("(),.+-*/%=<>[]{}:?", c)) {
      if (push(l, TOK_OP, i, 1, text + i, 1, err)) goto fail;
      i++;
      continue;
    }
    sql_error_at(err, AUK_ERR_PARSE, text, i, "unexpected character '%c'", c);
    goto fail;
  }
fail:
  token_list_free(l);
  return err ? err->code : AUK_ERR_PARSE;
}

int auk_sql_is_complete(const char *sql) {
  if (!sql) return 0;
  /* Walk statements; complete when the last non-blank token was a ';'. */
  size_t i = 0;
  int saw_semi = 0;
  for (;;) {
    unsigned char c = (unsigned char)sql[i];
    if (!c) return saw_semi;
    if (isspace(c)) {
      i++;
      continue;
    }
    if (c == '-' && sql[i + 1] == '-') {
      while (sql[i] && sql[i] != '\n') i++;
      continue;
    }
    if (c == '/' && sql[i + 1] == '*') {
      i += 2;
      while (sql[i] && !(sql[i] == '*' && sql[i + 1] == '/')) i++;
      if (!sql[i]) return 0;
      i += 2;
      continue;
    }
    if (c == '\'' || c == '"') {
      i++;
      for (;;) {
        if (!sql[i]) return 0;
        if ((unsigned char)sql[i] == c) {
          if ((unsigned char)sql[i + 1] == c) {
            i += 2;
            continue;
          }
          break;
        }
        i++;
      }
      i++;
      saw_semi = 0;
      continue;
    }
    saw_semi = c == ';';
    i++;
  }
}
