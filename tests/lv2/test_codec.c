/* The messages between spectide's DSP and UI (lv2_plugin/uris.c): what a
 * writer puts into a sequence the reader gives back, field for field; the
 * sizes the DSP checks before writing are the sizes written; malformed or
 * truncated objects are refused, never read past (each one sits at the very
 * end of a buffer of its own size: ASan builds see any read beyond).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "check.h"
#include "test_random.h"
#include "urid_table.h"
#include "uris.h"

#include <lv2/atom/util.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static test_urid_table table;
static stl_uris uris;
static uint64_t buffer[65536 / 8];

static uint64_t state = 0x2545f4914f6cdd1dull;
static float random_float(void)
{
    return (float)(test_random_uniform(&state) * 200.0 - 100.0);
}

/* A forge inside a sequence in `buffer`, as the DSP's run() has it. */
static void start(LV2_Atom_Forge *forge, LV2_Atom_Forge_Frame *sequence)
{
    memset(buffer, 0, sizeof buffer);
    lv2_atom_forge_init(forge, &table.map);
    lv2_atom_forge_set_buffer(forge, (uint8_t *)buffer, sizeof buffer);
    lv2_atom_forge_sequence_head(forge, sequence, 0);
}

static const LV2_Atom_Object *first_event(void)
{
    const LV2_Atom_Sequence *sequence = (const LV2_Atom_Sequence *)buffer;
    LV2_ATOM_SEQUENCE_FOREACH(sequence, event)
    {
        return (const LV2_Atom_Object *)&event->body;
    }
    return NULL;
}

/* A copy of the object at the very end of an allocation of its size. */
static LV2_Atom_Object *exact_copy(const LV2_Atom_Object *object, uint32_t size)
{
    LV2_Atom_Object *copy = malloc(size);
    memcpy(copy, object, size);
    return copy;
}

static void test_spectrum(void)
{
    float frequency[STL_SPECTRUM_POINTS], power[STL_SPECTRUM_POINTS], peak[STL_SPECTRUM_POINTS];
    const int sizes[] = {STL_SPECTRUM_MIN, 300, STL_SPECTRUM_POINTS};
    for (int k = 0; k < 3; k++) {
        int points = sizes[k];
        for (int i = 0; i < points; i++) {
            frequency[i] = 20.0f + (float)i;
            power[i] = random_float();
            peak[i] = power[i] + 3.0f;
        }
        stl_spectrum_message out = {points, frequency, power, peak, 22050, 48000, 4096, -40, 3,
                                    -37,    0.25,      1,     0,    12.5,  99.5,  -4.5, 1};
        LV2_Atom_Forge forge;
        LV2_Atom_Forge_Frame sequence;
        start(&forge, &sequence);
        uint32_t before = forge.offset;
        stl_write_spectrum(&forge, &uris, 17, &out);
        uint32_t written = forge.offset - before;
        lv2_atom_forge_pop(&forge, &sequence);
        CHECK(written == stl_spectrum_event_size(points),
              "spectrum of %d points: %u bytes written, %u announced", points, written,
              stl_spectrum_event_size(points));
        stl_spectrum_message in;
        const LV2_Atom_Object *object = first_event();
        CHECK(object && stl_read_spectrum(&uris, object, &in), "the spectrum reads back");
        if (!object) {
            continue;
        }
        CHECK(in.points == points && !memcmp(in.frequency, frequency, sizeof(float) * points) &&
                  !memcmp(in.power_db, power, sizeof(float) * points) && in.peak_db &&
                  !memcmp(in.peak_db, peak, sizeof(float) * points),
              "the spectrum's vectors read back as written");
        CHECK(in.sample_rate == 22050 && in.host_rate == 48000 && in.fft_size == 4096 &&
                  in.sigma_db == -40 && in.tau_db == 3 && in.water_db == -37 && in.t == 0.25f &&
                  in.schedule == 1 && in.tide_mode == 0 && in.share_bins == 12.5f &&
                  in.share_energy == 99.5f && in.slope == -4.5f && in.frozen == 1,
              "the spectrum's numbers read back as written");
        /* Cut anywhere: refused or read within the bytes that are there. */
        uint32_t total = lv2_atom_total_size(&object->atom);
        int cuts = 0, read = 0, past = 0;
        for (uint32_t cut = sizeof(LV2_Atom); cut < total; cut += 4, cuts++) {
            LV2_Atom_Object *copy = exact_copy(object, cut);
            copy->atom.size = cut - (uint32_t)sizeof(LV2_Atom);
            stl_spectrum_message partial;
            if (stl_read_spectrum(&uris, copy, &partial)) {
                const uint8_t *end = (const uint8_t *)copy + cut;
                read++;
                past += (const uint8_t *)(partial.power_db + partial.points) > end ||
                        (const uint8_t *)(partial.frequency + partial.points) > end;
            }
            free(copy);
        }
        CHECK(past == 0, "spectrum of %d points cut at %d places: %d read back, %d past the end",
              points, cuts, read, past);
    }
}

static void test_mel(void)
{
    static float values[4 * STL_MEL_BANDS_MAX];
    float mfcc[STL_MFCC_COUNT];
    for (int i = 0; i < 4 * STL_MEL_BANDS_MAX; i++) {
        values[i] = random_float();
    }
    for (int i = 0; i < STL_MFCC_COUNT; i++) {
        mfcc[i] = random_float();
    }
    stl_mel_message out = {4, 64, values, mfcc, STL_MFCC_COUNT, 43.07f, 22050};
    LV2_Atom_Forge forge;
    LV2_Atom_Forge_Frame sequence;
    start(&forge, &sequence);
    uint32_t before = forge.offset;
    stl_write_mel(&forge, &uris, 0, &out);
    uint32_t written = forge.offset - before;
    lv2_atom_forge_pop(&forge, &sequence);
    CHECK(written == stl_mel_event_size(4, 64, STL_MFCC_COUNT),
          "mel columns: %u bytes written, %u announced", written,
          stl_mel_event_size(4, 64, STL_MFCC_COUNT));
    stl_mel_message in;
    const LV2_Atom_Object *object = first_event();
    CHECK(stl_read_mel(&uris, object, &in), "the mel columns read back");
    CHECK(in.columns == 4 && in.mel_bands == 64 &&
              !memcmp(in.values, values, 4 * 64 * sizeof(float)) &&
              in.mfcc_count == STL_MFCC_COUNT && !memcmp(in.mfcc, mfcc, sizeof mfcc) &&
              in.frame_rate == 43.07f && in.sample_rate == 22050,
          "the mel columns read back as written");
    /* More columns claimed than the vector holds: refused. */
    LV2_Atom_Object *copy = exact_copy(object, lv2_atom_total_size(&object->atom));
    LV2_ATOM_OBJECT_FOREACH(copy, property)
    {
        if (property->key == uris.columns) {
            ((LV2_Atom_Int *)&property->value)->body = 5;
        }
    }
    CHECK(!stl_read_mel(&uris, copy, &in), "mel columns claiming more than they hold are refused");
    free(copy);
}

static void test_cepstral(void)
{
    float frequency[128], power[128];
    for (int i = 0; i < 128; i++) {
        frequency[i] = (float)i / 256.0f;
        power[i] = fabsf(random_float());
    }
    stl_cepstral_message out = {128, frequency, power, 2.25f, -1.5f, 0.98f, 128, 64};
    LV2_Atom_Forge forge;
    LV2_Atom_Forge_Frame sequence;
    start(&forge, &sequence);
    uint32_t before = forge.offset;
    stl_write_cepstral(&forge, &uris, 0, &out);
    uint32_t written = forge.offset - before;
    lv2_atom_forge_pop(&forge, &sequence);
    CHECK(written == stl_cepstral_event_size(128), "cepstral: %u bytes written, %u announced",
          written, stl_cepstral_event_size(128));
    stl_cepstral_message in;
    const LV2_Atom_Object *object = first_event();
    CHECK(stl_read_cepstral(&uris, object, &in) && in.rings == 128 &&
              !memcmp(in.frequency, frequency, sizeof frequency) &&
              !memcmp(in.power, power, sizeof power) && in.alpha == 2.25f &&
              in.intercept == -1.5f && in.r_squared == 0.98f && in.columns == 128 &&
              in.mel_bands == 64,
          "the cepstral message reads back as written");
    /* Neither a spectrum nor mel columns. */
    stl_spectrum_message spectrum;
    stl_mel_message mel;
    CHECK(!stl_read_spectrum(&uris, object, &spectrum) && !stl_read_mel(&uris, object, &mel),
          "a cepstral message is no other type");
}

static void test_commands(void)
{
    const stl_command commands[] = {STL_COMMAND_UI_ON, STL_COMMAND_UI_OFF,
                                    STL_COMMAND_STATE_REQUEST};
    for (int i = 0; i < 3; i++) {
        LV2_Atom_Forge forge;
        LV2_Atom_Object small[2];
        lv2_atom_forge_init(&forge, &table.map);
        lv2_atom_forge_set_buffer(&forge, (uint8_t *)small, sizeof small);
        stl_write_command(&forge, &uris, commands[i]);
        CHECK(stl_read_command(&uris, &small[0].atom) == commands[i], "command %d reads back",
              (int)commands[i]);
        /* Too short for its otype: not a command. */
        small[0].atom.size = 4;
        CHECK(stl_read_command(&uris, &small[0].atom) == STL_COMMAND_NONE,
              "an object too short for an otype is no command");
    }
    LV2_Atom_Int number = {{sizeof(int32_t), uris.atom_int}, 7};
    CHECK(stl_read_command(&uris, &number.atom) == STL_COMMAND_NONE, "an Int is no command");
}

int main(void)
{
    test_urid_table_init(&table);
    stl_uris_map(&uris, &table.map);
    test_spectrum();
    test_mel();
    test_cepstral();
    test_commands();
    return check_done();
}
