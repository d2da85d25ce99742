// Native float32 NHWC kernels over OpenBLAS for the tfjs wasm backend (COMPUTE.md §4).
// Every function writes into caller-owned Float32Arrays (views on the wasm heap), so nothing is copied in or out.
// Convolutions are im2col + one sgemm per group of images; dilation is 1 (the JS side falls back otherwise).
#define NAPI_VERSION 8
#include <node_api.h>
#include <cblas.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

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

// ---- Fused elementwise kernels (vthinker/compute/kernels/fused.ts) ---------------------------------------------
// Row sums accumulate in double: the result does not depend on how a compiler vectorises the float loop.

// y = (x - mean) * rstd * g + b per row of x [rows, d]; mean and rstd = 1/sqrt(var + eps) are kept for the gradient.
static void ln_fwd(const float *x, const float *g, const float *b, float *y, float *mean, float *rstd, int rows, int d,
                   double eps) {
  for (int r = 0; r < rows; r++) {
    const float *xr = x + (size_t)r * d;
    float *yr = y + (size_t)r * d;
    double sum = 0, sq = 0;
    for (int i = 0; i < d; i++) sum += xr[i];
    const float mu = (float)(sum / d);
    for (int i = 0; i < d; i++) sq += (double)(xr[i] - mu) * (xr[i] - mu);
    const float inv = (float)(1.0 / sqrt(sq / d + eps));
    mean[r] = mu;
    rstd[r] = inv;
    for (int i = 0; i < d; i++) yr[i] = (xr[i] - mu) * inv * g[i] + b[i];
  }
}

// dx = rstd (dxhat - mean(dxhat) - xhat mean(dxhat xhat)) with dxhat = dy g; dg = sum over rows of dy xhat; db of dy.
static void ln_bwd(const float *dy, const float *x, const float *g, const float *mean, const float *rstd, float *dx,
                   float *dg, float *db, int rows, int d) {
  double *acc = (double *)calloc((size_t)2 * d, sizeof(double));
  if (!acc) return;
  for (int r = 0; r < rows; r++) {
    const float *xr = x + (size_t)r * d, *dyr = dy + (size_t)r * d;
    float *dxr = dx + (size_t)r * d;
    const float mu = mean[r], s = rstd[r];
    double sum_d = 0, sum_dx = 0;
    for (int i = 0; i < d; i++) {
      const float xhat = (xr[i] - mu) * s, dxhat = dyr[i] * g[i];
      sum_d += dxhat;
      sum_dx += (double)dxhat * xhat;
      acc[i] += (double)dyr[i] * xhat;
      acc[d + i] += dyr[i];
    }
    const float mean_d = (float)(sum_d / d), mean_dx = (float)(sum_dx / d);
    for (int i = 0; i < d; i++) dxr[i] = s * (dyr[i] * g[i] - mean_d - (xr[i] - mu) * s * mean_dx);
  }
  for (int i = 0; i < d; i++) {
    dg[i] = (float)acc[i];
    db[i] = (float)acc[d + i];
  }
  free(acc);
}

// One AdamW step: m' = b1 m + (1-b1) g', v' = b2 v + (1-b2) g'^2 with g' = scale g; x' = x - lr (m'/bc1 / (sqrt(v'/bc2) + eps) + wd x).
static void adam(const float *x, const float *g, const float *m, const float *v, float *nx, float *nm, float *nv, size_t n,
                 const double *h) {
  const float lr = (float)h[0], b1 = (float)h[1], b2 = (float)h[2], eps = (float)h[3], bc1 = (float)h[4],
              bc2 = (float)h[5], scale = (float)h[6], wd = (float)h[7];
  for (size_t i = 0; i < n; i++) {
    const float gi = g[i] * scale;
    const float mi = b1 * m[i] + (1 - b1) * gi, vi = b2 * v[i] + (1 - b2) * gi * gi;
    nm[i] = mi;
    nv[i] = vi;
    nx[i] = x[i] - lr * (mi / bc1 / (sqrtf(vi / bc2) + eps) + wd * x[i]);
  }
}

static double sum_squares(const float *x, size_t n) {
  double total = 0;
  for (size_t i = 0; i < n; i++) total += (double)x[i] * x[i];
  return total;
}

// out[c] = sum over rows of x[r, c] (a reduction over leading axes: bias gradients).
static void sum_rows(const float *x, float *out, int rows, int cols) {
  double *acc = (double *)calloc((size_t)cols, sizeof(double));
  if (!acc) return;
  for (int r = 0; r < rows; r++) {
    const float *xr = x + (size_t)r * cols;
    for (int c = 0; c < cols; c++) acc[c] += xr[c];
  }
  for (int c = 0; c < cols; c++) out[c] = (float)acc[c];
  free(acc);
}

// ---- Fused multi-head attention -----------------------------------------------------------------------------
// q [B,T,D], k and v [B,S,D] with the H heads interleaved in D (head h is columns h*dh..): every per-head product is
// one strided sgemm (lda = D), so no split-heads transposes. Masks are computed, not passed: with `causal`, query t
// sees keys j <= t + S - T; with `visible` [B,T] and `key_image` [S], key j is seen iff key_image[j] < visible[b,t].
// A masked weight is exactly 0 (what an additive -1e9 bias gives after softmax). An optional additive `bias`
// [B|1, T|1, S] (e.g. the padding of prompts of different lengths) is added to the scores of every head.
// probs [B,H,T,S] is kept for the gradient.

typedef struct {
  int B, T, S, D, H, causal;
  float scale;
  const float *visible, *key_image, *bias;
  int bias_b, bias_t; // the bias's batch and query extents (1: broadcast)
} Att;

// seen[t * S + j] = 1 where query t of batch row b may attend to key j (shared by every head).
static void att_mask(const Att *a, int b, unsigned char *seen) {
  for (int t = 0; t < a->T; t++) {
    const float vis = a->visible ? a->visible[(size_t)b * a->T + t] : 0.f;
    const int last = a->causal ? t + a->S - a->T : a->S - 1;
    unsigned char *row = seen + (size_t)t * a->S;
    for (int j = 0; j < a->S; j++) row[j] = j <= last && (!a->visible || a->key_image[j] < vis);
  }
}

// Softmax of one score row over its seen keys (unseen ones get exactly 0). The loop calls the vector expf of glibc's
// libmvec (binding.gyp: -fno-math-errno, -lmvec); glibc declares that variant only under -ffast-math, so it is
// declared here for expf alone.
float expf(float) __attribute__((__simd__("notinbranch")));

static void masked_softmax(float *row, const unsigned char *seen, int n) {
  // Max and sum in 16 independent lanes (combined in a fixed order, so the result does not depend on the compiler):
  // a single running float sum waits on each add's latency, and was most of the softmax's time.
  enum { L = 16 };
  float lane[L];
  int j = 0;
  for (int l = 0; l < L; l++) lane[l] = -3.0e38f;
  for (; j + L <= n; j += L)
    for (int l = 0; l < L; l++) lane[l] = seen[j + l] && row[j + l] > lane[l] ? row[j + l] : lane[l];
  for (; j < n; j++) lane[0] = seen[j] && row[j] > lane[0] ? row[j] : lane[0];
  float max = lane[0];
  for (int l = 1; l < L; l++) max = lane[l] > max ? lane[l] : max;
  // No branch in the loop: unseen keys go through expf too and are zeroed by the mask. Arguments are clamped at -80
  // (weights below e^-80 of the largest, far under float precision of the sum): below about -87 expf returns a
  // denormal, and denormals are slow.
  for (j = 0; j < n; j++) {
    const float x = row[j] - max;
    row[j] = expf(seen[j] && x > -80.f ? x : -80.f) * seen[j];
  }
  for (int l = 0; l < L; l++) lane[l] = 0;
  for (j = 0; j + L <= n; j += L)
    for (int l = 0; l < L; l++) lane[l] += row[j + l];
  for (; j < n; j++) lane[0] += row[j];
  float total = 0;
  for (int l = 0; l < L; l++) total += lane[l];
  const float inv = total > 0 ? 1.f / total : 0.f;
  for (j = 0; j < n; j++) row[j] *= inv;
}

static void attention_fwd(const float *q, const float *k, const float *v, float *out, float *probs, const Att *a) {
  const int dh = a->D / a->H;
  unsigned char *seen = (unsigned char *)malloc((size_t)a->T * a->S);
  if (!seen) return;
  for (int b = 0; b < a->B; b++) {
    att_mask(a, b, seen);
    for (int h = 0; h < a->H; h++) {
      const float *qb = q + (size_t)b * a->T * a->D + h * dh, *kb = k + (size_t)b * a->S * a->D + h * dh;
      const float *vb = v + (size_t)b * a->S * a->D + h * dh;
      float *p = probs + ((size_t)b * a->H + h) * a->T * a->S;
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, a->T, a->S, dh, a->scale, qb, a->D, kb, a->D, 0.f, p, a->S);
      for (int t = 0; t < a->T; t++) {
        float *row = p + (size_t)t * a->S;
        if (a->bias) {
          const float *br = a->bias + ((size_t)(a->bias_b == 1 ? 0 : b) * a->bias_t + (a->bias_t == 1 ? 0 : t)) * a->S;
          for (int j = 0; j < a->S; j++) row[j] += br[j];
        }
        masked_softmax(row, seen + (size_t)t * a->S, a->S);
      }
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, a->T, dh, a->S, 1.f, p, a->S, vb, a->D, 0.f,
                  out + (size_t)b * a->T * a->D + h * dh, a->D);
    }
  }
  free(seen);
}

static void attention_bwd(const float *dout, const float *q, const float *k, const float *v, const float *probs, float *dq,
                          float *dk, float *dv, const Att *a) {
  const int dh = a->D / a->H;
  float *dp = get_scratch((size_t)a->T * a->S);
  if (!dp) return;
  for (int b = 0; b < a->B; b++) {
    for (int h = 0; h < a->H; h++) {
      const size_t qo = (size_t)b * a->T * a->D + h * dh, ko = (size_t)b * a->S * a->D + h * dh;
      const float *p = probs + ((size_t)b * a->H + h) * a->T * a->S;
      // dV = P^T dO; dP = dO V^T; dS = P (dP - rowsum(P dP)) * scale; dQ = dS K; dK = dS^T Q.
      cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, a->S, dh, a->T, 1.f, p, a->S, dout + qo, a->D, 0.f, dv + ko, a->D);
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, a->T, a->S, dh, 1.f, dout + qo, a->D, v + ko, a->D, 0.f, dp, a->S);
      for (int t = 0; t < a->T; t++) {
        const float *pr = p + (size_t)t * a->S;
        float *dr = dp + (size_t)t * a->S;
        double dot = 0;
        for (int j = 0; j < a->S; j++) dot += (double)pr[j] * dr[j];
        for (int j = 0; j < a->S; j++) dr[j] = pr[j] * (dr[j] - (float)dot) * a->scale;
      }
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, a->T, dh, a->S, 1.f, dp, a->S, k + ko, a->D, 0.f, dq + qo, a->D);
      cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, a->S, dh, a->T, 1.f, dp, a->S, q + qo, a->D, 0.f, dk + ko, a->D);
    }
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

static size_t length_of(napi_env env, napi_value v) {
  size_t length = 0;
  napi_get_typedarray_info(env, v, NULL, &length, NULL, NULL, NULL);
  return length;
}

static double f64(napi_env env, napi_value v) {
  double out = 0;
  napi_get_value_double(env, v, &out);
  return out;
}

// layerNorm(x, g, b, y, mean, rstd, rows, d, eps)
static napi_value js_layer_norm(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  if (!get_args(env, info, 9, argv)) return NULL;
  float *p[6];
  for (int i = 0; i < 6; i++) if (!(p[i] = f32(env, argv[i]))) return NULL;
  ln_fwd(p[0], p[1], p[2], p[3], p[4], p[5], i32(env, argv[6]), i32(env, argv[7]), f64(env, argv[8]));
  return NULL;
}

// layerNormGrad(dy, x, g, mean, rstd, dx, dg, db, rows, d)
static napi_value js_layer_norm_grad(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  if (!get_args(env, info, 10, argv)) return NULL;
  float *p[8];
  for (int i = 0; i < 8; i++) if (!(p[i] = f32(env, argv[i]))) return NULL;
  ln_bwd(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], i32(env, argv[8]), i32(env, argv[9]));
  return NULL;
}

// adam(x, g, m, v, nx, nm, nv, lr, beta1, beta2, epsilon, bc1, bc2, scale, weightDecay)
static napi_value js_adam(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  if (!get_args(env, info, 15, argv)) return NULL;
  float *p[7];
  for (int i = 0; i < 7; i++) if (!(p[i] = f32(env, argv[i]))) return NULL;
  double h[8];
  for (int i = 0; i < 8; i++) h[i] = f64(env, argv[7 + i]);
  adam(p[0], p[1], p[2], p[3], p[4], p[5], p[6], length_of(env, argv[0]), h);
  return NULL;
}

// sumSquares(x) -> number
static napi_value js_sum_squares(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  if (!get_args(env, info, 1, argv)) return NULL;
  float *x = f32(env, argv[0]);
  if (!x) return NULL;
  napi_value out;
  napi_create_double(env, sum_squares(x, length_of(env, argv[0])), &out);
  return out;
}

// sumRows(x, out, rows, cols)
static napi_value js_sum_rows(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  if (!get_args(env, info, 4, argv)) return NULL;
  float *x = f32(env, argv[0]), *out = f32(env, argv[1]);
  if (!x || !out) return NULL;
  sum_rows(x, out, i32(env, argv[2]), i32(env, argv[3]));
  return NULL;
}

static int is_null(napi_env env, napi_value v) {
  napi_valuetype type;
  napi_typeof(env, v, &type);
  return type == napi_null || type == napi_undefined;
}

// (B, T, S, D, H, causal, scale, visible|null, keyImage|null, bias|null, biasB, biasT) after the kernel's arrays.
static int att_args(napi_env env, napi_value *argv, Att *a) {
  a->B = i32(env, argv[0]);
  a->T = i32(env, argv[1]);
  a->S = i32(env, argv[2]);
  a->D = i32(env, argv[3]);
  a->H = i32(env, argv[4]);
  a->causal = i32(env, argv[5]);
  a->scale = (float)f64(env, argv[6]);
  a->visible = a->key_image = a->bias = NULL;
  a->bias_b = i32(env, argv[10]);
  a->bias_t = i32(env, argv[11]);
  if (!is_null(env, argv[7]) && !((a->visible = f32(env, argv[7])) && (a->key_image = f32(env, argv[8])))) return 0;
  return is_null(env, argv[9]) || (a->bias = f32(env, argv[9]));
}

// attention(q, k, v, out, probs, B, T, S, D, H, causal, scale, visible, keyImage, bias, biasB, biasT)
static napi_value js_attention(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  if (!get_args(env, info, 17, argv)) return NULL;
  float *p[5];
  for (int i = 0; i < 5; i++) if (!(p[i] = f32(env, argv[i]))) return NULL;
  Att a;
  if (!att_args(env, argv + 5, &a)) return NULL;
  attention_fwd(p[0], p[1], p[2], p[3], p[4], &a);
  return NULL;
}

// attentionGrad(dout, q, k, v, probs, dq, dk, dv, B, T, S, D, H, scale): the masks are in probs already.
static napi_value js_attention_grad(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  if (!get_args(env, info, 14, argv)) return NULL;
  float *p[8];
  for (int i = 0; i < 8; i++) if (!(p[i] = f32(env, argv[i]))) return NULL;
  Att a = {i32(env, argv[8]), i32(env, argv[9]), i32(env, argv[10]), i32(env, argv[11]), i32(env, argv[12]), 0,
           (float)f64(env, argv[13]), NULL, NULL, NULL, 1, 1};
  attention_bwd(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], &a);
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
      {"layerNorm", NULL, js_layer_norm, NULL, NULL, NULL, napi_default, NULL},
      {"layerNormGrad", NULL, js_layer_norm_grad, NULL, NULL, NULL, napi_default, NULL},
      {"adam", NULL, js_adam, NULL, NULL, NULL, napi_default, NULL},
      {"sumSquares", NULL, js_sum_squares, NULL, NULL, NULL, napi_default, NULL},
      {"sumRows", NULL, js_sum_rows, NULL, NULL, NULL, napi_default, NULL},
      {"attention", NULL, js_attention, NULL, NULL, NULL, napi_default, NULL},
      {"attentionGrad", NULL, js_attention_grad, NULL, NULL, NULL, napi_default, NULL},
      {"setThreads", NULL, js_set_threads, NULL, NULL, NULL, napi_default, NULL},
      {"coreName", NULL, js_core_name, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}

NAPI_MODULE_INIT() { return init(env, exports); }
