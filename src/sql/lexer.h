/* lexer.h - SQL tokens. The lexer turns one statement's text into an array
 * of tokens that point into the text; each knows its byte offset, from
 * which errors compute the line and column. Keywords are plain words: the
 * parser compares them case-insensitively, so any keyword not reserved in
 * a position can still name a column. */
#ifndef AUK_SQL_LEXER_H
#define AUK_SQL_LEXER_H
#include "auk.h"

#include <stddef.h>

typedef enum {
  TOK_END = 0,
  TOK_WORD,   /* identifier or keyword */
  TOK_QUOTED, /* "quoted identifier" (text without quotes, "" unescaped) */
  TOK_STRING, /* 'string' (text without quotes, '' unescaped) */
  TOK_INT,    /* 123 */
  TOK_NUMBER, /* 1.5, 1e3, .5 */
  TOK_OP,     /* punctuation and operators: ( ) , . ; + - * / % || = == != <> < <= > >= :: */
  TOK_SEMI    /* ; */
} tok_type;

typedef struct token {
  tok_type type;
  size_t pos, len; /* bytes of the source text it spans */
  char *text;      /* NUL-terminated value (unquoted, unescaped); owned by the token list */
} token;

typedef struct token_list {
  int n, cap;
  token *toks; /* the last is TOK_END (or TOK_SEMI ending the statement) */
  size_t end;  /* offset just after the statement (after its ';') */
} token_list;

/* Tokenizes the statement starting at text + start, up to and including
 * the first ';' outside quotes and comments, or to the end. Errors (an
 * unterminated string or comment, a stray character) carry the position. */
auk_status sql_lex(const char *text, size_t start, token_list *out, auk_error *err);
void token_list_free(token_list *l);

/* Sets err to code with "msg at line L, column C" and the source line with
 * a caret under byte offset pos. Returns code. */
auk_status sql_error_at(auk_error *err, auk_status code, const char *text, size_t pos,
                        const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

#endif
