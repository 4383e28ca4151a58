/* MFCC: orthonormal DCT-II of a log-mel column (scipy.fft.dct(type=2,
 * norm='ortho'), as librosa.feature.mfcc uses):
 *   c_k = s_k * sum_n x_n cos(pi k (2n + 1) / (2N)),
 *   s_0 = sqrt(1/N), s_k = sqrt(2/N) for k > 0.
 * The n_mfcc x n_mels matrix is built once; running is a plain product
 * (n_mfcc is small, 20 by default, so an FFT-based DCT would not pay).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "constructor.h"
#include "spectide_audio.h"

#include <math.h>
#include <stdlib.h>

struct st_mfcc {
    int n_mels;
    int n_mfcc;
    double *basis; /* n_mfcc rows of n_mels */
};

st_mfcc *st_mfcc_new(int n_mels, int n_mfcc, st_status *error)
{
    if (n_mels < 1 || n_mels > 4096 || n_mfcc < 1 || n_mfcc > n_mels)
        return st_failed(error, ST_ERROR_ARGUMENT);
    st_mfcc *mfcc = calloc(1, sizeof *mfcc);
    if (!mfcc)
        return st_failed(error, ST_ERROR_MEMORY);
    mfcc->n_mels = n_mels;
    mfcc->n_mfcc = n_mfcc;
    mfcc->basis = malloc(sizeof(double) * (size_t)n_mels * (size_t)n_mfcc);
    if (!mfcc->basis) {
        free(mfcc);
        return st_failed(error, ST_ERROR_MEMORY);
    }
    for (int k = 0; k < n_mfcc; k++) {
        double scale = sqrt((k == 0 ? 1.0 : 2.0) / n_mels);
        for (int n = 0; n < n_mels; n++)
            mfcc->basis[(size_t)k * n_mels + n] =
                scale * cos(M_PI * k * (2.0 * n + 1.0) / (2.0 * n_mels));
    }
    return st_made(error, mfcc);
}

void st_mfcc_run(const st_mfcc *mfcc, const float *log_mel, float *coefficients)
{
    for (int k = 0; k < mfcc->n_mfcc; k++) {
        const double *row = mfcc->basis + (size_t)k * mfcc->n_mels;
        double sum = 0.0;
        for (int n = 0; n < mfcc->n_mels; n++)
            sum += row[n] * log_mel[n];
        coefficients[k] = (float)sum;
    }
}

void st_mfcc_free(st_mfcc *mfcc)
{
    if (!mfcc)
        return;
    free(mfcc->basis);
    free(mfcc);
}
