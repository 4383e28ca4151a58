/* MFCC: a constant column has only c0 = sqrt(N) * value; the DCT matrix read
 * back through unit columns is orthonormal (D D^T = I, hence also energy
 * preserving); one cosine column lands on its own coefficient.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "spectide_audio.h"
#include "test_util.h"

static void test_constant(int n_mels, int n_mfcc)
{
    st_mfcc *mfcc = st_mfcc_new(n_mels, n_mfcc, NULL);
    float *column = malloc(sizeof(float) * n_mels), *c = malloc(sizeof(float) * n_mfcc);
    for (int n = 0; n < n_mels; n++)
        column[n] = -37.5f;
    st_mfcc_run(mfcc, column, c);
    CHECK(fabs(c[0] - (-37.5 * sqrt(n_mels))) < 1e-3, "c0 = %g, expected %g", c[0],
          -37.5 * sqrt(n_mels));
    double worst = 0.0;
    for (int k = 1; k < n_mfcc; k++)
        worst = fmax(worst, fabs(c[k]));
    CHECK(worst < 1e-4, "constant column: |c_k| up to %g beyond c0", worst);
    printf("mfcc %d mels, %d coefficients, constant -37.5 dB: c0 %.5f (sqrt(N)*v = %.5f), max "
           "|c_k>0| %.2e\n",
           n_mels, n_mfcc, c[0], -37.5 * sqrt(n_mels), worst);
    free(column);
    free(c);
    st_mfcc_free(mfcc);
}

static void test_orthonormal(int n)
{
    st_mfcc *mfcc = st_mfcc_new(n, n, NULL);
    double *d = malloc(sizeof(double) * n * n); /* d[k*n + j] = D[k][j] */
    float *unit = calloc(n, sizeof(float)), *c = malloc(sizeof(float) * n);
    for (int j = 0; j < n; j++) {
        unit[j] = 1.0f;
        st_mfcc_run(mfcc, unit, c);
        unit[j] = 0.0f;
        for (int k = 0; k < n; k++)
            d[k * n + j] = c[k];
    }
    double worst = 0.0, worst_formula = 0.0;
    for (int a = 0; a < n; a++) {
        for (int b = 0; b < n; b++) {
            double dot = 0.0;
            for (int j = 0; j < n; j++)
                dot += d[a * n + j] * d[b * n + j];
            worst = fmax(worst, fabs(dot - (a == b)));
        }
        /* Entry check: scipy's orthonormal DCT-II. */
        for (int j = 0; j < n; j++) {
            double expect = sqrt((a ? 2.0 : 1.0) / n) * cos(M_PI * a * (2 * j + 1) / (2.0 * n));
            worst_formula = fmax(worst_formula, fabs(d[a * n + j] - expect));
        }
    }
    CHECK(worst < 1e-6, "D D^T differs from I by %g (N = %d)", worst, n);
    CHECK(worst_formula < 1e-6, "entries differ from the DCT-II formula by %g", worst_formula);
    printf("DCT-II N = %d: max |D D^T - I| = %.2e\n", n, worst);
    free(d);
    free(unit);
    free(c);
    st_mfcc_free(mfcc);
}

/* x_n = cos(pi k0 (2n+1) / (2N)) has sum x_n^2 = N/2, so c_k0 = sqrt(2/N) N/2 =
 * sqrt(N/2) and every other coefficient is 0. */
static void test_single_cosine(void)
{
    const int n = 64, k0 = 5;
    st_mfcc *mfcc = st_mfcc_new(n, 20, NULL);
    float column[64], c[20];
    for (int j = 0; j < n; j++)
        column[j] = (float)cos(M_PI * k0 * (2 * j + 1) / (2.0 * n));
    st_mfcc_run(mfcc, column, c);
    double others = 0.0;
    for (int k = 0; k < 20; k++)
        if (k != k0)
            others = fmax(others, fabs(c[k]));
    CHECK(fabs(c[k0] - sqrt(n / 2.0)) < 1e-5, "c_%d = %g, expected %g", k0, c[k0], sqrt(n / 2.0));
    CHECK(others < 1e-5, "other coefficients up to %g", others);
    st_mfcc_free(mfcc);
}

int main(void)
{
    test_single_cosine();
    test_constant(128, 20);
    test_constant(40, 13);
    test_orthonormal(128);
    test_orthonormal(7);
    CHECK(st_mfcc_new(20, 21, NULL) == NULL && st_mfcc_new(0, 0, NULL) == NULL,
          "bad sizes accepted");
    st_mfcc_free(NULL);
    return test_result("test_mfcc");
}
