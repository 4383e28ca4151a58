/* spectide.lv2: the mask and residual resynthesis. See audition.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "audition.h"

#include "spectide_audio.h"
#include "spectide_realtime.h"

#include <stdlib.h>

/* Core's st_wola with the water mask: the rule of the command line's
 * tide-audio --mode mask, so both give the same samples. */
struct stl_mask {
    st_wola *wola;
    double level; /* read by st_water_mask inside st_wola_run */
};

stl_mask *stl_mask_new(int n_fft)
{
    stl_mask *mask = calloc(1, sizeof *mask);
    if (!mask) {
        return NULL;
    }
    /* The parameters of the command line's tide-audio (the same samples):
     * hop n_fft / 4, each frame's work spread over st_realtime_delay. */
    int hop = n_fft / 4;
    mask->wola =
        st_wola_new(n_fft, hop, st_realtime_delay(n_fft, hop), st_water_mask, &mask->level, NULL);
    if (!mask->wola) {
        free(mask);
        return NULL;
    }
    return mask;
}

int stl_mask_latency(const stl_mask *mask)
{
    return st_wola_latency(mask->wola);
}

void stl_mask_reset(stl_mask *mask)
{
    st_wola_reset(mask->wola);
}

void stl_mask_run(stl_mask *mask, const float *in, float *kept, float *removed, int n, double level)
{
    mask->level = level;
    st_wola_run(mask->wola, in, kept, removed, n);
}

void stl_mask_free(stl_mask *mask)
{
    if (!mask) {
        return;
    }
    st_wola_free(mask->wola);
    free(mask);
}
