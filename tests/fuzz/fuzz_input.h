/* A byte reader shared by the fuzz targets: takes numbers off the front of
 * libFuzzer's input and answers 0 once it runs dry, so every input is a
 * valid (if boring) test case.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef SPECTIDE_FUZZ_INPUT_H
#define SPECTIDE_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const uint8_t *data;
    size_t size, at;
} fuzz_input;

static inline uint8_t take_u8(fuzz_input *in)
{
    return in->at < in->size ? in->data[in->at++] : 0;
}

static inline uint16_t take_u16(fuzz_input *in)
{
    return (uint16_t)(take_u8(in) | take_u8(in) << 8);
}

static inline uint32_t take_u32(fuzz_input *in)
{
    return (uint32_t)take_u16(in) | (uint32_t)take_u16(in) << 16;
}

/* Any float bit pattern: NaN, Inf, denormals and huge values included. */
static inline float take_float_bits(fuzz_input *in)
{
    uint32_t bits = take_u32(in);
    float value;
    memcpy(&value, &bits, sizeof value);
    return value;
}

static inline size_t remaining(const fuzz_input *in)
{
    return in->size - in->at;
}

/* A property of the code under test does not hold: abort so that libFuzzer
 * (or the replay driver) reports the input. */
#define FUZZ_CHECK(condition)                                                                      \
    do {                                                                                           \
        if (!(condition)) {                                                                        \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #condition);          \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
