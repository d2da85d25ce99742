// Native float32 NHWC kernels over OpenBLAS for the tfjs wasm backend (COMPUTE.md §4).
// Every function writes into caller-owned Float32Arrays (views on the wasm heap), so nothing is copied in or out.
// Convolutions are im2col + one sgemm per group of images; dilation is 1 (the JS side falls back otherwise).
#define NAPI_VERSION 8
#include <node_api.h>
#include <cblas.h>
#include <stdlib.h>
#include <string.h>

// Declared here rather than relying on the OpenBLAS-flavoured cblas.h: Debian's alternatives may point elsewhere.
extern void openblas_set_num_threads(int num_threads);
extern char *openblas_get_corename(void);

// The im2col scratch grows and is reused; thread-local because data-parallel workers call in concurrently.
static __thread float *scratch = NULL;
static __thread size_t scratch_len = 0;

static float *get_scratch(size_t n) {
  if (n > scratch_len) {
    free(scratch);
    scratch = (float *)malloc(n * sizeof(float));
    scratch_len = scratch ? n : 0;
  }
  return scratch;
}

typedef struct {
  int B, H, W, C, KH, KW, CO, SH, SW, PT, PL, OH, OW;
} Geo;

// Images per im2col group: enough rows for an efficient sgemm, few enough to keep the scratch in cache-ish sizes.
static int group_size(const Geo *g) {
  int rows = g->OH * g->OW;
  int n = rows >= 4096 ? 1 : (4096 + rows - 1) / rows;
  return n > g->B ? g->B : n;
}

static void im2col(const float *x, float *cols, const Geo *g, int b0, int nb) {
  const int K = g->KH * g->KW * g->C;
  for (int b = 0; b < nb; b++) {
    const float *xb = x + (size_t)(b0 + b) * g->H * g->W * g->C;
    for (int oh = 0; oh < g->OH; oh++) {
      for (int ow = 0; ow < g->OW; ow++) {
        float *row = cols + ((size_t)(b * g->OH + oh) * g->OW + ow) * K;
        for (int i = 0; i < g->KH; i++) {
          const int h = oh * g->SH + i - g->PT;
          float *dst = row + (size_t)i * g->KW * g->C;
          if (h < 0 || h >= g->H) {
            memset(dst, 0, sizeof(float) * g->KW * g->C);
            continue;
          }
          for (int j = 0; j < g->KW; j++) {
            const int w = ow * g->SW + j - g->PL;
            if (w < 0 || w >= g->W) memset(dst + j * g->C, 0, sizeof(float) * g->C);
            else memcpy(dst + j * g->C, xb + ((size_t)h * g->W + w) * g->C, sizeof(float) * g->C);
          }
        }
      }
    }
  }
}

static void col2im(const float *cols, float *dx, const Geo *g, int b0, int nb) {
  const int K = g->KH * g->KW * g->C;
  for (int b = 0; b < nb; b++) {
    float *xb = dx + (size_t)(b0 + b) * g->H * g->W * g->C;
    for (int oh = 0; oh < g->OH; oh++) {
      for (int ow = 0; ow < g->OW; ow++) {
        const float *row = cols + ((size_t)(b * g->OH + oh) * g->OW + ow) * K;
        for (int i = 0; i < g->KH; i++) {
          const int h = oh * g->SH + i - g->PT;
          if (h < 0 || h >= g->H) continue;
          for (int j = 0; j < g->KW; j++) {
            const int w = ow * g->SW + j - g->PL;
            if (w < 0 || w >= g->W) continue;
            float *dst = xb + ((size_t)h * g->W + w) * g->C;
            const float *src = row + ((size_t)i * g->KW + j) * g->C;
            for (int c = 0; c < g->C; c++) dst[c] += src[c];
          }
        }
      }
    }
  }
}

// A 1x1 stride-1 unpadded convolution is a plain matmul on x: no im2col needed.
static int is_pointwise(const Geo *g) {
  return g->KH == 1 && g->KW == 1 && g->SH == 1 && g->SW == 1 && g->PT == 0 && g->PL == 0 && g->OH == g->H &&
         g->OW == g->W;
}

static void conv_fwd(const float *x, const float *w, float *out, const Geo *g) {
  const int K = g->KH * g->KW * g->C, rows = g->OH * g->OW;
  if (is_pointwise(g)) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, g->B * rows, g->CO, K, 1.f, x, K, w, g->CO, 0.f, out, g->CO);
    return;
  }
  const int gs = group_size(g);
  float *cols = get_scratch((size_t)gs * rows * K);
  for (int b0 = 0; b0 < g->B; b0 += gs) {
    const int nb = b0 + gs > g->B ? g->B - b0 : gs;
    im2col(x, cols, g, b0, nb);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, nb * rows, g->CO, K, 1.f, cols, K, w, g->CO, 0.f,
                out + (size_t)b0 * rows * g->CO, g->CO);
  }
}

static void conv_bwd_input(const float *dy, const float *w, float *dx, const Geo *g) {
  const int K = g->KH * g->KW * g->C, rows = g->OH * g->OW;
  if (is_pointwise(g)) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, g->B * rows, K, g->CO, 1.f, dy, g->CO, w, g->CO, 0.f, dx, K);
    return;
  }
  memset(dx, 0, sizeof(float) * (size_t)g->B * g->H * g->W * g->C);
  const int gs = group_size(g);
  float *cols = get_scratch((size_t)gs * rows * K);
  for (int b0 = 0; b0 < g->B; b0 += gs) {
    const int nb = b0 + gs > g->B ? g->B - b0 : gs;
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, nb * rows, K, g->CO, 1.f, dy + (size_t)b0 * rows * g->CO,
                g->CO, w, g->CO, 0.f, cols, K);
    col2im(cols, dx, g, b0, nb);
  }
}

static void conv_bwd_filter(const float *x, const float *dy, float *dw, const Geo *g) {
  const int K = g->KH * g->KW * g->C, rows = g->OH * g->OW;
  if (is_pointwise(g)) {
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, K, g->CO, g->B * rows, 1.f, x, K, dy, g->CO, 0.f, dw, g->CO);
    return;
  }
  const int gs = group_size(g);
  float *cols = get_scratch((size_t)gs * rows * K);
  for (int b0 = 0; b0 < g->B; b0 += gs) {
    const int nb = b0 + gs > g->B ? g->B - b0 : gs;
    im2col(x, cols, g, b0, nb);
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, K, g->CO, nb * rows, 1.f, cols, K,
                dy + (size_t)b0 * rows * g->CO, g->CO, b0 == 0 ? 0.f : 1.f, dw, g->CO);
  }
}

// Routes each dy to the first maximum of its window in scan order (strict >), as tfjs's cpu backend does.
static void max_pool_grad(const float *dy, const float *x, float *dx, const Geo *g) {
  memset(dx, 0, sizeof(float) * (size_t)g->B * g->H * g->W * g->C);
  for (int b = 0; b < g->B; b++) {
    const float *xb = x + (size_t)b * g->H * g->W * g->C;
    float *dxb = dx + (size_t)b * g->H * g->W * g->C;
    for (int oh = 0; oh < g->OH; oh++) {
      for (int ow = 0; ow < g->OW; ow++) {
        const float *dyp = dy + (((size_t)b * g->OH + oh) * g->OW + ow) * g->C;
        for (int c = 0; c < g->C; c++) {
          float best = -__builtin_inff();
          long at = -1;
          for (int i = 0; i < g->KH; i++) {
            const int h = oh * g->SH + i - g->PT;
            if (h < 0 || h >= g->H) continue;
            for (int j = 0; j < g->KW; j++) {
              const int w = ow * g->SW + j - g->PL;
              if (w < 0 || w >= g->W) continue;
              const long idx = ((long)h * g->W + w) * g->C + c;
              if (xb[idx] > best) {
                best = xb[idx];
                at = idx;
              }
            }
          }
          if (at >= 0) dxb[at] += dyp[c];
        }
      }
    }
  }
}

// out[bo] = op(a[bo % batchA]) . op(b[bo % batchB]); batches broadcast when one side is 1.
static void bmm(const float *a, const float *b, float *out, int batchA, int batchB, int M, int N, int K, int ta,
                int tb) {
  const int lda = ta ? M : K, ldb = tb ? K : N;
  const CBLAS_TRANSPOSE opA = ta ? CblasTrans : CblasNoTrans, opB = tb ? CblasTrans : CblasNoTrans;
  if (batchB == 1 && !ta) {
    cblas_sgemm(CblasRowMajor, opA, opB, batchA * M, N, K, 1.f, a, lda, b, ldb, 0.f, out, N);
    return;
  }
  const int batch = batchA > batchB ? batchA : batchB;
  for (int i = 0; i < batch; i++) {
    const float *ai = a + (size_t)(batchA == 1 ? 0 : i) * M * K;
    const float *bi = b + (size_t)(batchB == 1 ? 0 : i) * K * N;
    cblas_sgemm(CblasRowMajor, opA, opB, M, N, K, 1.f, ai, lda, bi, ldb, 0.f, out + (size_t)i * M * N, N);
  }
}

// ---- N-API glue -------------------------------------------------------------------------------------------

#define MAX_ARGS 20

static int get_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv) {
  size_t argc = MAX_ARGS;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < want) {
    napi_throw_error(env, NULL, "vthinker native: wrong number of arguments");
    return 0;
  }
  return 1;
}

static float *f32(napi_env env, napi_value v) {
  napi_typedarray_type type;
  size_t length;
  void *data;
  if (napi_get_typedarray_info(env, v, &type, &length, &data, NULL, NULL) != napi_ok || type != napi_float32_array) {
    napi_throw_type_error(env, NULL, "vthinker native: expected a Float32Array");
    return NULL;
  }
  return (float *)data;
}

static int i32(napi_env env, napi_value v) {
  int32_t out = 0;
  napi_get_value_int32(env, v, &out);
  return out;
}

// (t0, t1, t2, B,H,W,C,KH,KW,CO,SH,SW,padTop,padLeft,OH,OW): the shared signature of the convolution entry points.
typedef void (*ConvFn)(const float *, const float *, float *, const Geo *);

static napi_value call_conv(napi_env env, napi_callback_info info, ConvFn fn) {
  napi_value argv[MAX_ARGS];
  if (!get_args(env, info, 16, argv)) return NULL;
  float *p0 = f32(env, argv[0]), *p1 = f32(env, argv[1]), *p2 = f32(env, argv[2]);
  if (!p0 || !p1 || !p2) return NULL;
  int v[13];
  for (int i = 0; i < 13; i++) v[i] = i32(env, argv[3 + i]);
  Geo g = {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12]};
  fn(p0, p1, p2, &g);
  return NULL;
}

static napi_value js_conv_fwd(napi_env env, napi_callback_info info) { return call_conv(env, info, conv_fwd); }
static napi_value js_conv_bwd_input(napi_env env, napi_callback_info info) {
  return call_conv(env, info, conv_bwd_input);
}
static napi_value js_conv_bwd_filter(napi_env env, napi_callback_info info) {
  return call_conv(env, info, conv_bwd_filter);
}

// maxPoolGrad(dy, x, dx, B,H,W,C,KH,KW,SH,SW,padTop,padLeft,OH,OW): no output-channel count, so remapped here.
static napi_value js_max_pool_grad(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  if (!get_args(env, info, 15, argv)) return NULL;
  float *dy = f32(env, argv[0]), *x = f32(env, argv[1]), *dx = f32(env, argv[2]);
  if (!dy || !x || !dx) return NULL;
  int v[12];
  for (int i = 0; i < 12; i++) v[i] = i32(env, argv[3 + i]);
  Geo g = {v[0], v[1], v[2], v[3], v[4], v[5], v[3], v[6], v[7], v[8], v[9], v[10], v[11]};
  max_pool_grad(dy, x, dx, &g);
  return NULL;
}

// bmm(a, b, out, batchA, batchB, M, N, K, transA, transB)
static napi_value js_bmm(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  if (!get_args(env, info, 10, argv)) return NULL;
  float *a = f32(env, argv[0]), *b = f32(env, argv[1]), *out = f32(env, argv[2]);
  if (!a || !b || !out) return NULL;
  bmm(a, b, out, i32(env, argv[3]), i32(env, argv[4]), i32(env, argv[5]), i32(env, argv[6]), i32(env, argv[7]),
      i32(env, argv[8]), i32(env, argv[9]));
  return NULL;
}

static napi_value js_set_threads(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  if (!get_args(env, info, 1, argv)) return NULL;
  openblas_set_num_threads(i32(env, argv[0]));
  return NULL;
}

static napi_value js_core_name(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value out;
  napi_create_string_utf8(env, openblas_get_corename(), NAPI_AUTO_LENGTH, &out);
  return out;
}

static napi_value init(napi_env env, napi_value exports) {
  const napi_property_descriptor props[] = {
      {"convFwd", NULL, js_conv_fwd, NULL, NULL, NULL, napi_default, NULL},
      {"convBwdInput", NULL, js_conv_bwd_input, NULL, NULL, NULL, napi_default, NULL},
      {"convBwdFilter", NULL, js_conv_bwd_filter, NULL, NULL, NULL, napi_default, NULL},
      {"maxPoolGrad", NULL, js_max_pool_grad, NULL, NULL, NULL, napi_default, NULL},
      {"bmm", NULL, js_bmm, NULL, NULL, NULL, napi_default, NULL},
      {"setThreads", NULL, js_set_threads, NULL, NULL, NULL, napi_default, NULL},
      {"coreName", NULL, js_core_name, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}

NAPI_MODULE_INIT() { return init(env, exports); }
