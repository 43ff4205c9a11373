/* error.c - status names and the caller-owned error message. */
#include "core/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *auk_status_name(auk_status status) {
  switch (status) {
#define AUK_STATUS_CASE_(name, value, text) \
  case name: return text;
    AUK_STATUS_LIST(AUK_STATUS_CASE_)
#undef AUK_STATUS_CASE_
  }
  return "unknown status";
}

auk_status auk_error_set(auk_error *err, auk_status code, const char *fmt, ...) {
  if (err) {
    err->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
  }
  return code;
}

void auk_error_prefix(auk_error *err, const char *fmt, ...) {
  if (!err) return;
  char head[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(head, sizeof head, fmt, ap);
  va_end(ap);
  char old[sizeof err->message];
  memcpy(old, err->message, sizeof old);
  size_t n = strlen(head);
  if (n >= sizeof err->message) n = sizeof err->message - 1;
  memcpy(err->message, head, n);
  size_t m = strnlen(old, sizeof old - 1);
  if (m > sizeof err->message - 1 - n) m = sizeof err->message - 1 - n;
  memcpy(err->message + n, old, m);
  err->message[n + m] = 0;
}

void auk_error_clear(auk_error *err) {
  if (err) {
    err->code = AUK_OK;
    err->message[0] = 0;
  }
}

void auk_error_quote(char *buf, size_t cap, const char *text, size_t len) {
  size_t n = strlen(buf);
  const size_t max_shown = 60;
  if (n + 1 >= cap) return;
  buf[n++] = '\'';
  for (size_t i = 0; i < len && i < max_shown && n + 5 < cap; i++) {
    unsigned char c = (unsigned char)text[i];
    if (c == '\n') {
      buf[n++] = '\\';
      buf[n++] = 'n';
    } else if (c == '\r') {
      buf[n++] = '\\';
      buf[n++] = 'r';
    } else if (c < 0x20) {
      n += (size_t)snprintf(buf + n, cap - n, "\\x%02x", c);
    } else {
      buf[n++] = (char)c;
    }
  }
  if (len > max_shown && n + 4 < cap) {
    memcpy(buf + n, "\xe2\x80\xa6", 3); /* … */
    n += 3;
  }
  if (n + 1 < cap) buf[n++] = '\'';
  buf[n < cap ? n : cap - 1] = 0;
}
