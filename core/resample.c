/* Resampling through libsamplerate, so that analysis can run at one fixed
 * rate whatever the host rate (mel views then mean the same at 44.1, 48 or
 * 96 kHz).
 *
 * The converter state and a scratch block are allocated in _new; run() only
 * copies (replacing NaN/Inf by 0, which would otherwise ring through the
 * sinc filter's memory) and calls src_process with end_of_input = 0, which
 * works on the converter's preallocated buffers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "constructor.h"
#include "spectide_audio.h"

#include <math.h>
#include <samplerate.h>
#include <stdlib.h>

struct st_resampler {
    SRC_STATE *state;
    double ratio; /* output rate / input rate */
    int max_block;
    float *scratch; /* max_block sanitised input samples */
};

st_resampler *st_resampler_new(double input_rate, double output_rate, int converter, int max_block,
                               st_status *error)
{
    if (!(input_rate > 0.0) || !(output_rate > 0.0) || !isfinite(input_rate) ||
        !isfinite(output_rate) || max_block < 1 || max_block > (1 << 24))
        return st_failed(error, ST_ERROR_ARGUMENT);
    if (converter < 0)
        converter = SRC_SINC_FASTEST;
    if (converter > SRC_LINEAR)
        return st_failed(error, ST_ERROR_ARGUMENT);
    double ratio = output_rate / input_rate;
    if (!src_is_valid_ratio(ratio))
        return st_failed(error, ST_ERROR_ARGUMENT);
    st_resampler *resampler = calloc(1, sizeof *resampler);
    if (!resampler)
        return st_failed(error, ST_ERROR_MEMORY);
    resampler->ratio = ratio;
    resampler->max_block = max_block;
    resampler->scratch = malloc(sizeof(float) * (size_t)max_block);
    int src_error = 0;
    resampler->state = src_new(converter, 1, &src_error);
    if (!resampler->scratch || !resampler->state) {
        st_resampler_free(resampler);
        return st_failed(error, ST_ERROR_MEMORY);
    }
    return st_made(error, resampler);
}

int st_resampler_max_output(const st_resampler *resampler, int n)
{
    /* The converter emits what the input so far allows: per call at most
     * n * ratio rounded up, plus one for the fractional position. The
     * margin covers rounding of the position inside libsamplerate. */
    return (int)ceil((double)n * resampler->ratio) + 8;
}

/* Converts one chunk of at most max_block samples. */
static int run_chunk(st_resampler *resampler, const float *in, int n, float *out, int capacity)
{
    for (int i = 0; i < n; i++)
        resampler->scratch[i] = isfinite(in[i]) ? in[i] : 0.0f;
    int written = 0, used = 0;
    while (used < n) {
        SRC_DATA data = {
            .data_in = resampler->scratch + used,
            .data_out = out + written,
            .input_frames = n - used,
            .output_frames = capacity - written,
            .end_of_input = 0,
            .src_ratio = resampler->ratio,
        };
        if (src_process(resampler->state, &data) != 0)
            return ST_ERROR_ARGUMENT;
        used += (int)data.input_frames_used;
        written += (int)data.output_frames_gen;
        /* No progress means the output is full: the caller's capacity was
         * below st_resampler_max_output(). */
        if (data.input_frames_used == 0 && data.output_frames_gen == 0)
            return ST_ERROR_ARGUMENT;
    }
    return written;
}

int st_resampler_run(st_resampler *resampler, const float *in, int n, float *out, int capacity)
{
    /* Refused up front: a short output would make libsamplerate keep part
     * of the input unconsumed, which a streaming caller would lose. */
    if (n < 0 || (n > 0 && (!in || !out)) || capacity < st_resampler_max_output(resampler, n))
        return ST_ERROR_ARGUMENT;
    int written = 0;
    for (int start = 0; start < n; start += resampler->max_block) {
        int chunk = n - start < resampler->max_block ? n - start : resampler->max_block;
        int got = run_chunk(resampler, in + start, chunk, out + written, capacity - written);
        if (got < 0)
            return got;
        written += got;
    }
    return written;
}

void st_resampler_reset(st_resampler *resampler)
{
    src_reset(resampler->state);
}

void st_resampler_free(st_resampler *resampler)
{
    if (!resampler)
        return;
    if (resampler->state)
        src_delete(resampler->state);
    free(resampler->scratch);
    free(resampler);
}
