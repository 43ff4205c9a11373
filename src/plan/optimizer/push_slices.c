/* push_slices.c - makes a head cheap: a slice over a sort turns the sort
 * into a top-k, a slice moves below row-wise projections, and a slice that
 * reaches a scan with no filter stops the scan after the rows it needs. */
#include "plan/plan.h"

static void limit_below(plan_node *n, int64_t rows) {
  switch (n->kind) {
    case PLAN_SORT:
      if (n->limit < 0 || n->limit > rows) n->limit = rows;
      return;
    case PLAN_PROJECT: limit_below(n->inputs[0], rows); return;
    case PLAN_SCAN:
      if (!n->pred && (n->limit < 0 || n->limit > rows)) n->limit = rows;
      return;
    case PLAN_SLICE:
      if (n->offset >= 0 && n->length >= 0) {
        int64_t r = n->offset + (n->length < rows ? n->length : rows);
        limit_below(n->inputs[0], r);
      }
      return;
    default: return; /* filters and concats need all their input */
  }
}

auk_status opt_push_slices(plan_node **slot, auk_error *err) {
  plan_node *n = *slot;
  if (n->kind == PLAN_SLICE && n->offset >= 0 && n->length >= 0)
    limit_below(n->inputs[0], n->offset + n->length);
  for (int i = 0; i < n->ninputs; i++)
    if (opt_push_slices(&n->inputs[i], err)) return err->code;
  return AUK_OK;
}
