/* A C99 client of the public header only: builds the reference two-layer MLP through the
 * handle API (tools/gen_mlp_golden.py), binds it, runs forward and backward and compares with
 * the golden file given as argv[1]; then checks the error convention (shape mismatch naming
 * the operator, NULL and freed handles) and that the library keeps working afterwards.
 * Prints "N passed, N failed". */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loom/c_api.h"

static int passed = 0, failed = 0;

static void check(int ok, const char *what) {
  if (ok) {
    ++passed;
  } else {
    ++failed;
    fprintf(stderr, "FAILED: %s (last error: %s)\n", what, MXGetLastError());
  }
}

#define MUST(call)                                                          \
  do {                                                                      \
    if ((call) != 0) {                                                      \
      fprintf(stderr, "%s:%d: %s failed: %s\n", __FILE__, __LINE__, #call, \
              MXGetLastError());                                            \
      exit(1);                                                              \
    }                                                                       \
  } while (0)

static AtomicSymbolCreator find_op(const char *name) {
  mx_uint n, i;
  AtomicSymbolCreator *ops;
  const char *op_name;
  MUST(MXSymbolListAtomicSymbolCreators(&n, &ops));
  for (i = 0; i < n; ++i) {
    MUST(MXSymbolGetAtomicSymbolName(ops[i], &op_name));
    if (strcmp(op_name, name) == 0) return ops[i];
  }
  fprintf(stderr, "operator %s not registered\n", name);
  exit(1);
}

/* op(name, inputs...) with one parameter */
static SymbolHandle make_op(const char *op, const char *name, const char *key, const char *val,
                            const char *in_key, SymbolHandle in) {
  SymbolHandle s;
  const char *keys[1], *vals[1], *in_keys[1];
  keys[0] = key;
  vals[0] = val;
  in_keys[0] = in_key;
  MUST(MXSymbolCreateAtomicSymbol(find_op(op), key ? 1 : 0, keys, vals, &s));
  MUST(MXSymbolCompose(s, name, 1, in_keys, &in));
  return s;
}

/* Reads the block `name` of the golden file into out (at most cap values); returns the count. */
static int golden(const char *path, const char *name, float *out, int cap) {
  char line[65536];
  FILE *f = fopen(path, "r");
  int n = -1;
  if (!f) {
    fprintf(stderr, "cannot open %s\n", path);
    exit(1);
  }
  while (fgets(line, sizeof line, f)) {
    char head[256];
    if (sscanf(line, "%255s", head) == 1 && strcmp(head, name) == 0) {
      char *p;
      if (!fgets(line, sizeof line, f)) break;
      n = 0;
      p = line;
      while (n < cap) {
        char *end;
        double v = strtod(p, &end);
        if (end == p) break;
        out[n++] = (float)v;
        p = end;
      }
      break;
    }
  }
  fclose(f);
  return n;
}

static int close_to(const float *a, const float *b, int n, double tol) {
  int i;
  for (i = 0; i < n; ++i)
    if (fabs((double)a[i] - (double)b[i]) > tol * (1.0 + fabs((double)b[i]))) {
      fprintf(stderr, "  element %d: got %.8g expected %.8g\n", i, a[i], b[i]);
      return 0;
    }
  return 1;
}

static void test_mlp(const char *golden_path) {
  SymbolHandle data, fc1, act, fc2, net;
  mx_uint n_args, i, n_out;
  const char **arg_names;
  NDArrayHandle args[6], grads[6], *outs;
  mx_uint reqs[6];
  ExecutorHandle ex;
  float buf[64], expect[64];
  static const mx_uint shapes[6][2] = {{4, 6}, {5, 6}, {5, 0}, {3, 5}, {3, 0}, {4, 0}};
  static const mx_uint ndims[6] = {2, 2, 1, 2, 1, 1};
  char block[64];

  MUST(MXSymbolCreateVariable("data", &data));
  fc1 = make_op("FullyConnected", "fc1", "num_hidden", "5", "data", data);
  act = make_op("Activation", "relu1", "act_type", "relu", "data", fc1);
  fc2 = make_op("FullyConnected", "fc2", "num_hidden", "3", "data", act);
  net = make_op("SoftmaxOutput", "softmax", NULL, NULL, "data", fc2);

  MUST(MXSymbolListArguments(net, &n_args, &arg_names));
  check(n_args == 6, "six arguments");
  check(strcmp(arg_names[5], "softmax_label") == 0, "softmax_label is the last argument");

  for (i = 0; i < 6; ++i) {
    mx_uint k, size = shapes[i][0] * (ndims[i] == 2 ? shapes[i][1] : 1);
    MUST(MXNDArrayCreateEx(shapes[i], ndims[i], 1, 0, 0, 0, &args[i]));
    MUST(MXNDArrayCreateEx(shapes[i], ndims[i], 1, 0, 0, 0, &grads[i]));
    if (i < 5) {
      int seed = (int)i + 1;
      for (k = 0; k < size; ++k) buf[k] = (float)(((7 * (int)k + seed) % 11 - 5) / 10.0);
    } else {
      buf[0] = 0, buf[1] = 1, buf[2] = 2, buf[3] = 1;
    }
    MUST(MXNDArraySyncCopyFromCPU(args[i], buf, size));
    reqs[i] = i < 5 ? 1 : 0;
  }
  MUST(MXExecutorBindEX(net, 1, 0, 0, NULL, NULL, NULL, 6, args, grads, reqs, 0, NULL, NULL, &ex));
  MUST(MXExecutorForward(ex, 1));
  MUST(MXExecutorBackward(ex, 0, NULL));
  MUST(MXExecutorOutputs(ex, &n_out, &outs));
  check(n_out == 1, "one output");
  MUST(MXNDArraySyncCopyToCPU(outs[0], buf, 12));
  check(golden(golden_path, "output", expect, 64) == 12, "golden output present");
  check(close_to(buf, expect, 12, 1e-5), "MLP output matches golden");
  MUST(MXNDArrayFree(outs[0]));
  for (i = 0; i < 5; ++i) {
    mx_uint size = shapes[i][0] * (ndims[i] == 2 ? shapes[i][1] : 1);
    snprintf(block, sizeof block, "grad:%s", arg_names[i]);
    check(golden(golden_path, block, expect, 64) == (int)size, "golden gradient present");
    MUST(MXNDArraySyncCopyToCPU(grads[i], buf, size));
    check(close_to(buf, expect, (int)size, 1e-5), block);
  }
  MUST(MXExecutorFree(ex));
  for (i = 0; i < 6; ++i) {
    MUST(MXNDArrayFree(args[i]));
    MUST(MXNDArrayFree(grads[i]));
  }
  MUST(MXSymbolFree(net));
  MUST(MXSymbolFree(fc2));
  MUST(MXSymbolFree(act));
  MUST(MXSymbolFree(fc1));
  MUST(MXSymbolFree(data));
}

static void test_errors(void) {
  SymbolHandle data, fc;
  NDArrayHandle args[3];
  ExecutorHandle ex = NULL;
  static const mx_uint s_data[2] = {100, 100}, s_w[2] = {1, 100}, s_b[1] = {1000};
  const char *expected = "Error in operator fc1: Shape inconsistent, Provided=(1,100), "
                         "inferred shape=(1000,100)";
  mx_uint n;
  const char **names;

  MUST(MXSymbolCreateVariable("data", &data));
  fc = make_op("FullyConnected", "fc1", "num_hidden", "1000", "data", data);
  MUST(MXNDArrayCreateEx(s_data, 2, 1, 0, 0, 0, &args[0]));
  MUST(MXNDArrayCreateEx(s_w, 2, 1, 0, 0, 0, &args[1]));
  MUST(MXNDArrayCreateEx(s_b, 1, 1, 0, 0, 0, &args[2]));
  check(MXExecutorBindEX(fc, 1, 0, 0, NULL, NULL, NULL, 3, args, NULL, NULL, 0, NULL, NULL,
                         &ex) == -1,
        "bind with an inconsistent weight fails");
  check(strstr(MXGetLastError(), expected) != NULL, "the error names fc1 and both shapes");
  check(ex == NULL, "no executor is returned on failure");

  check(MXSymbolListArguments(NULL, &n, &names) == -1, "NULL symbol handle is an error");
  check(strstr(MXGetLastError(), "NULL") != NULL, "the NULL error says so");
  check(MXNDArrayFree(NULL) == 0, "freeing NULL is fine");
  {
    SymbolHandle tmp;
    MUST(MXSymbolCreateVariable("tmp", &tmp));
    MUST(MXSymbolFree(tmp));
    check(MXSymbolListArguments(tmp, &n, &names) == -1, "a freed handle is an error");
  }
  {
    SymbolHandle bad;
    const char *k[1] = {"num_hidden"}, *v[1] = {"abc"};
    check(MXSymbolCreateAtomicSymbol(find_op("FullyConnected"), 1, k, v, &bad) == -1,
          "a bad parameter string is an error");
    check(strstr(MXGetLastError(), "num_hidden") != NULL, "the error names the parameter");
  }
  /* the process keeps working: a consistent bind succeeds now */
  {
    static const mx_uint s_w2[2] = {1000, 100};
    NDArrayHandle w2;
    MUST(MXNDArrayCreateEx(s_w2, 2, 1, 0, 0, 0, &w2));
    args[1] = w2;
    check(MXExecutorBindEX(fc, 1, 0, 0, NULL, NULL, NULL, 3, args, NULL, NULL, 0, NULL, NULL,
                           &ex) == 0,
          "a consistent bind works after the failure");
    check(MXExecutorForward(ex, 0) == 0, "forward works after the failure");
    MUST(MXExecutorFree(ex));
    MUST(MXNDArrayFree(w2));
  }
  MUST(MXNDArrayFree(args[0]));
  MUST(MXNDArrayFree(args[2]));
  MUST(MXSymbolFree(fc));
  MUST(MXSymbolFree(data));
}

int main(int argc, char **argv) {
  int version;
  if (argc < 2) {
    fprintf(stderr, "usage: %s tests/golden/mlp.txt\n", argv[0]);
    return 2;
  }
  MUST(MXGetVersion(&version));
  check(version == 10901, "MXGetVersion is 10901");
  test_mlp(argv[1]);
  test_errors();
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
