/*
 * Baseline for bench/grid-study.bench.ts: [Scalar factorization]'s grid study (docs/math.md §1) as a single-threaded C loop,
 * the same algorithm as eos-lab's fused kernel (src/experiments/grid-study/kernel-depth2.ts), to compare speed.
 *
 * Build: cc -O3 -ffp-contract=off -o grid_study grid_study.c -lm   (no fused multiply-add: bit-identical iterates)
 * Run:   ./grid_study [n] [radius] [maxSteps] [eta ...]            (defaults: 141 3 20000 and the post's 11 rates)
 * Prints one JSON object: per learning rate the status counts, medians and EoS counts, the total GD updates
 * (sum of steps), the updates skipped at fixed points of the rounded map, the compute time and the peak RSS.
 *
 * Per start (disk mask i^2 + j^2 <= m^2 on the lattice t_a = (r*(2a - m))/m, m = n - 1), for k = 0, 1, ...:
 *   p = x*y - 1; late phase from the first k with |p| < 0.01*|p0|: store |eta*s - 2| for s = x*x + y*y and for the
 *   exact lambda_max of [[y^2, 2xy - 1], [2xy - 1, x^2]]; |p| < 1e-8: converged (steps = k); k = maxSteps: max-steps;
 *   x' = x - eta*(y*p), y' = y - eta*(x*p); |x'| or |y'| >= 1e6 or NaN: diverged (steps = k + 1);
 *   x' == x and y' == y: fixed point, max-steps at once (late values repeated).
 * Medians by quickselect on a scratch buffer (exact; mean of the two middle values for an even count).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double *proxy_buf, *exact_buf;
static long buf_len;

static void grow(long used) {
  long len = buf_len * 2;
  double *p = malloc(sizeof(double) * len), *e = malloc(sizeof(double) * len);
  memcpy(p, proxy_buf, sizeof(double) * used);
  memcpy(e, exact_buf, sizeof(double) * used);
  free(proxy_buf);
  free(exact_buf);
  proxy_buf = p;
  exact_buf = e;
  buf_len = len;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Hoare quickselect with median of three, as src/experiments/grid-study/median.ts. */
static double select_k(double *a, long lo, long hi, long k) {
  int budget = 2 * (int)ceil(log2((double)(hi - lo + 2))) + 8;
  double t;
  while (hi > lo) {
    if (budget-- == 0) {
      qsort(a + lo, hi - lo + 1, sizeof(double), cmp);
      return a[k];
    }
    long mid = lo + ((hi - lo) >> 1);
    if (a[mid] < a[lo]) { t = a[mid]; a[mid] = a[lo]; a[lo] = t; }
    if (a[hi] < a[lo]) { t = a[hi]; a[hi] = a[lo]; a[lo] = t; }
    if (a[hi] < a[mid]) { t = a[hi]; a[hi] = a[mid]; a[mid] = t; }
    double pivot = a[mid];
    long i = lo, j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) { t = a[i]; a[i] = a[j]; a[j] = t; i++; j--; }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

static double median(double *a, long count) {
  if (count <= 0) return NAN;
  long half = count >> 1;
  if (count % 2 == 1) return select_k(a, 0, count - 1, half);
  double lower = select_k(a, 0, count - 1, half - 1), upper = a[half];
  for (long i = half + 1; i < count; i++) if (a[i] < upper) upper = a[i];
  return (lower + upper) / 2;
}

static int cmp_sort(const void *a, const void *b) { return cmp(a, b); }

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 141;
  double radius = argc > 2 ? atof(argv[2]) : 3.0;
  long max_steps = argc > 3 ? atol(argv[3]) : 20000;
  double default_rates[] = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99};
  int n_rates = argc > 4 ? argc - 4 : 11;
  double *rates = malloc(sizeof(double) * n_rates);
  for (int r = 0; r < n_rates; r++) rates[r] = argc > 4 ? atof(argv[4 + r]) : default_rates[r];
  const double c = 1.0, tol = 1e-8, max_abs = 1e6, late_fraction = 0.01, band = 0.1;

  int m = n - 1;
  long count = 0;
  double *xs = malloc(sizeof(double) * n * n), *ys = malloc(sizeof(double) * n * n);
  for (int a = 0; a < n; a++)
    for (int b = 0; b < n; b++) {
      long I = 2 * a - m, J = 2 * b - m;
      if (I * I + J * J <= (long)m * m) {
        xs[count] = (radius * (double)I) / m;
        ys[count] = (radius * (double)J) / m;
        count++;
      }
    }
  buf_len = 4096;
  proxy_buf = malloc(sizeof(double) * buf_len);
  exact_buf = malloc(sizeof(double) * buf_len);
  double *final_proxy = malloc(sizeof(double) * count), *final_exact = malloc(sizeof(double) * count);

  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  long long total_updates = 0, skipped_updates = 0;
  printf("{\"starts\": %ld, \"rates\": [", count);
  for (int r = 0; r < n_rates; r++) {
    double eta = rates[r];
    long converged = 0, diverged = 0, maxed = 0, eos_proxy = 0, eos_exact = 0, n_final = 0;
    long long updates = 0;
    for (long s = 0; s < count; s++) {
      double x = xs[s], y = ys[s];
      double late_threshold = late_fraction * fabs(x * y - c);
      long late_from = -1, n_late = 0, k = 0;
      int status = 2;
      for (;; k++) {
        double p = x * y - c, ap = fabs(p);
        if (late_from < 0 && ap < late_threshold) late_from = k;
        if (late_from >= 0) {
          if (n_late == buf_len) grow(n_late);
          double xx = x * x, yy = y * y;
          proxy_buf[n_late] = fabs(eta * (xx + yy) - 2);
          double h = 0.5 * (yy - xx), b = x * y + p;
          exact_buf[n_late] = fabs(eta * (0.5 * (yy + xx) + sqrt(h * h + b * b)) - 2);
          n_late++;
        }
        if (ap < tol) { status = 0; break; }
        if (k == max_steps) break;
        double gx = y * p, gy = x * p;
        double nx = x - eta * gx, ny = y - eta * gy;
        if (!(fabs(nx) < max_abs && fabs(ny) < max_abs)) { status = 1; k++; break; }
        if (nx == x && ny == y) {
          long times = late_from >= 0 ? max_steps - k : 0;
          while (n_late + times > buf_len) grow(n_late);
          for (long i = 0; i < times; i++) {
            proxy_buf[n_late + i] = proxy_buf[n_late - 1];
            exact_buf[n_late + i] = exact_buf[n_late - 1];
          }
          n_late += times;
          skipped_updates += max_steps - k;
          k = max_steps;
          break;
        }
        x = nx;
        y = ny;
      }
      updates += k;
      double xx = x * x, yy = y * y, h = 0.5 * (yy - xx), b = x * y + (x * y - c);
      double med_proxy = median(proxy_buf, n_late), med_exact = median(exact_buf, n_late);
      if (status == 0) {
        converged++;
        final_proxy[n_final] = xx + yy;
        final_exact[n_final] = 0.5 * (yy + xx) + sqrt(h * h + b * b);
        n_final++;
        if (med_proxy < band) eos_proxy++;
        if (med_exact < band) eos_exact++;
      } else if (status == 1) diverged++;
      else maxed++;
    }
    total_updates += updates;
    qsort(final_proxy, n_final, sizeof(double), cmp_sort);
    qsort(final_exact, n_final, sizeof(double), cmp_sort);
    double mp = NAN, me = NAN;
    if (n_final > 0) {
      mp = n_final % 2 ? final_proxy[n_final / 2] : (final_proxy[n_final / 2 - 1] + final_proxy[n_final / 2]) / 2;
      me = n_final % 2 ? final_exact[n_final / 2] : (final_exact[n_final / 2 - 1] + final_exact[n_final / 2]) / 2;
    }
    printf("%s{\"learningRate\": %.17g, \"converged\": %ld, \"diverged\": %ld, \"maxSteps\": %ld, "
           "\"medianSharpnessProxy\": %.17g, \"medianSharpnessExact\": %.17g, \"eosProxy\": %ld, \"eosExact\": %ld, "
           "\"updates\": %lld}",
           r ? ", " : "", eta, converged, diverged, maxed, mp, me, eos_proxy, eos_exact, updates);
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double seconds = (t1.tv_sec - t0.tv_sec) + 1e-9 * (t1.tv_nsec - t0.tv_nsec);
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  printf("], \"updates\": %lld, \"skippedUpdates\": %lld, \"seconds\": %.6f, \"maxRssKb\": %ld}\n", total_updates,
         skipped_updates, seconds, ru.ru_maxrss);
  return 0;
}
