/* Log-domain average of spectra of different sizes on a common frequency axis.
 *
 * Natural-image spectra span decades, and the blog this project follows
 * averages log10 P across images; spectra of different image sizes have
 * different ring axes, so each is interpolated (linearly in log10 f and
 * log10 P, like the fit) onto the finest axis, but only inside its own range:
 * nothing is extrapolated.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "constructor.h"
#include "spectide.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    int n;
    double *freq;
    double *log10_power; /* NaN where power was not positive and finite */
} spectrum;

struct st_logavg {
    spectrum *spectra;
    int count, capacity;
    int finest; /* index of the spectrum with the most points */
    double *axis;
    double *mean;
};

st_logavg *st_logavg_new(st_status *error)
{
    st_logavg *avg = calloc(1, sizeof(st_logavg));
    return avg ? st_made(error, avg) : st_failed(error, ST_ERROR_MEMORY);
}

int st_logavg_count(const st_logavg *avg)
{
    return avg ? avg->count : 0;
}

static st_status check_spectrum(const double *freq, const double *power, int n)
{
    if (!freq || !power || n < 1)
        return ST_ERROR_ARGUMENT;
    int usable = 0;
    for (int i = 0; i < n; i++) {
        if (!isfinite(freq[i]) || freq[i] < 0.0 || (i > 0 && !(freq[i] > freq[i - 1])))
            return ST_ERROR_ARGUMENT;
        usable += isfinite(power[i]) && power[i] > 0.0;
    }
    return usable > 0 ? ST_OK : ST_ERROR_NOT_FINITE;
}

st_status st_logavg_add(st_logavg *avg, const double *freq, const double *power, int n)
{
    if (!avg)
        return ST_ERROR_ARGUMENT;
    st_status status = check_spectrum(freq, power, n);
    if (status != ST_OK)
        return status;
    if (avg->count == avg->capacity) {
        int capacity = avg->capacity ? 2 * avg->capacity : 8;
        spectrum *grown = realloc(avg->spectra, (size_t)capacity * sizeof *grown);
        if (!grown)
            return ST_ERROR_MEMORY;
        avg->spectra = grown;
        avg->capacity = capacity;
    }
    spectrum *added = &avg->spectra[avg->count];
    added->n = n;
    added->freq = malloc((size_t)n * sizeof(double));
    added->log10_power = malloc((size_t)n * sizeof(double));
    if (!added->freq || !added->log10_power) {
        free(added->freq);
        free(added->log10_power);
        return ST_ERROR_MEMORY;
    }
    memcpy(added->freq, freq, (size_t)n * sizeof(double));
    for (int i = 0; i < n; i++)
        added->log10_power[i] = isfinite(power[i]) && power[i] > 0.0 ? log10(power[i]) : NAN;
    if (avg->count == 0 || n > avg->spectra[avg->finest].n)
        avg->finest = avg->count;
    avg->count++;
    return ST_OK;
}

/* log10 P of `s` at frequency f, interpolated in log-log between its two
 * neighbouring points (both valid); NaN outside its range or next to a hole.
 * DC (f = 0) only matches a DC point. */
static double value_at(const spectrum *s, double f)
{
    if (f == 0.0)
        return s->freq[0] == 0.0 ? s->log10_power[0] : NAN;
    int first = s->freq[0] == 0.0 ? 1 : 0;
    if (first >= s->n || f < s->freq[first] || f > s->freq[s->n - 1])
        return NAN;
    /* Binary search for the last point <= f. */
    int low = first, high = s->n - 1;
    while (low < high) {
        int middle = (low + high + 1) / 2;
        if (s->freq[middle] <= f)
            low = middle;
        else
            high = middle - 1;
    }
    if (s->freq[low] == f)
        return s->log10_power[low];
    double x0 = log10(s->freq[low]), x1 = log10(s->freq[low + 1]);
    double weight = (log10(f) - x0) / (x1 - x0);
    return s->log10_power[low] + weight * (s->log10_power[low + 1] - s->log10_power[low]);
}

int st_logavg_result(st_logavg *avg, const double **freq, const double **mean_log10_power)
{
    if (!avg || avg->count == 0)
        return 0;
    const spectrum *finest = &avg->spectra[avg->finest];
    int n = finest->n;
    free(avg->axis);
    free(avg->mean);
    avg->axis = malloc((size_t)n * sizeof(double));
    avg->mean = malloc((size_t)n * sizeof(double));
    if (!avg->axis || !avg->mean) {
        free(avg->axis);
        free(avg->mean);
        avg->axis = avg->mean = NULL;
        return 0;
    }
    memcpy(avg->axis, finest->freq, (size_t)n * sizeof(double));
    for (int i = 0; i < n; i++) {
        double sum = 0.0;
        int covered = 0;
        for (int k = 0; k < avg->count; k++) {
            double value = value_at(&avg->spectra[k], avg->axis[i]);
            if (!isnan(value)) {
                sum += value;
                covered++;
            }
        }
        avg->mean[i] = covered ? sum / covered : NAN;
    }
    if (freq)
        *freq = avg->axis;
    if (mean_log10_power)
        *mean_log10_power = avg->mean;
    return n;
}

void st_logavg_free(st_logavg *avg)
{
    if (!avg)
        return;
    for (int k = 0; k < avg->count; k++) {
        free(avg->spectra[k].freq);
        free(avg->spectra[k].log10_power);
    }
    free(avg->spectra);
    free(avg->axis);
    free(avg->mean);
    free(avg);
}
