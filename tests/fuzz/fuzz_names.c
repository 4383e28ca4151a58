/* Fuzz target: the core functions that take user text or user numbers
 * straight from the command line and the GIMP/LV2 controls: schedule and
 * channel names, t, tau, SNR, a power-law fit's numbers.
 *
 * Input: a NUL-free name (up to the first 0 byte), then doubles as raw bit
 * patterns. Checks: a recognised name maps back to a canonical name that is
 * recognised as the same value; t is clamped; coefficients of valid t are
 * finite (a in [0,1] except EDM's a = 1, s >= 0); t_for_snr is in [0,1].
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz_input.h"
#include "spectide.h"

#include <math.h>

static double take_double_bits(fuzz_input *in)
{
    uint64_t bits = (uint64_t)take_u32(in) | (uint64_t)take_u32(in) << 32;
    double value;
    memcpy(&value, &bits, sizeof value);
    return value;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = {data, size, 0};
    size_t length = 0;
    while (length < size && data[length] != 0) {
        length++;
    }
    char *name = malloc(length + 1);
    memcpy(name, data, length);
    name[length] = '\0';
    in.at = length < size ? length + 1 : length;

    st_schedule schedule;
    if (st_schedule_from_name(name, &schedule) == ST_OK) {
        FUZZ_CHECK(schedule >= 0 && schedule < ST_SCHEDULE_COUNT);
        const char *canonical = st_schedule_name(schedule);
        st_schedule again;
        FUZZ_CHECK(canonical && st_schedule_from_name(canonical, &again) == ST_OK &&
                   again == schedule);
        FUZZ_CHECK(st_schedule_formula(schedule) != NULL);
    } else {
        schedule = (st_schedule)(take_u8(&in) % ST_SCHEDULE_COUNT);
    }
    st_channel channel;
    if (st_channel_from_name(name, &channel) == ST_OK) {
        FUZZ_CHECK(st_channel_name(channel) != NULL);
    }
    st_schedule_name((st_schedule)(int8_t)take_u8(&in)); /* out of range: NULL, no crash */

    double t = take_double_bits(&in), tau = take_double_bits(&in);
    double snr = take_double_bits(&in);
    double a, s;
    st_schedule_coefficients(schedule, t, &a, &s);
    if (!isnan(t)) {
        FUZZ_CHECK(isfinite(a) && isfinite(s) && a >= 0 && s >= 0);
    }
    st_schedule_snr(schedule, t);
    st_noise_floor(schedule, t, tau);
    double t_back = st_schedule_t_for_snr(schedule, snr);
    FUZZ_CHECK(isnan(snr) || (t_back >= 0 && t_back <= 1));

    st_powerlaw fit = {take_double_bits(&in), take_double_bits(&in), 0, 0, 0.5, 10};
    double f = st_fmax_from_fit(&fit, take_double_bits(&in));
    FUZZ_CHECK(isnan(f) || (f >= 0 && f <= 0.5));
    st_powerlaw_power(&fit, take_double_bits(&in));
    st_status_message((st_status)(int8_t)take_u8(&in));
    free(name);
    return 0;
}
