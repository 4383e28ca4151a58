/* Fuzz target: the LV2 plugin's atom input ("control" port, from the UI).
 *
 * The plugin's DSP sources are compiled into this target and driven through
 * lv2_descriptor() like a host would: instantiate with urid:map, connect
 * every port, activate, then a few run() calls whose control sequences are
 * built from the input: events at any time stamp (also past the block),
 * atoms of any type and size (objects with 0..n body bytes, unknown otypes,
 * vectors, plain ints), and sometimes a port that is not a sequence at all.
 * Every buffer is allocated to its exact size so ASan sees a read past it.
 * Malformed atoms must be ignored: no crash, no read or write out of
 * bounds, the notify output stays within the capacity the host gave, audio
 * stays finite for finite input.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fuzz_input.h"
#include "controls.h"
#include "uris.h"

#include <lv2/atom/atom.h>
#include <lv2/atom/util.h>
#include <lv2/core/lv2.h>
#include <lv2/urid/urid.h>

#include <math.h>

LV2_SYMBOL_EXPORT const LV2_Descriptor *lv2_descriptor(uint32_t index);

#define MAX_URIS  64
#define MAX_BLOCK 1024

static char uri_table[MAX_URIS][96];
static int uri_count;

static LV2_URID map_uri(LV2_URID_Map_Handle handle, const char *uri)
{
    (void)handle;
    for (int i = 0; i < uri_count; i++) {
        if (!strcmp(uri_table[i], uri)) {
            return (LV2_URID)(i + 1);
        }
    }
    if (uri_count == MAX_URIS || strlen(uri) >= sizeof uri_table[0]) {
        return 0;
    }
    strcpy(uri_table[uri_count], uri);
    return (LV2_URID)++uri_count;
}

static LV2_URID map(const char *uri)
{
    return map_uri(NULL, uri);
}

/* Atom types the events may claim. */
static LV2_URID event_type(uint8_t choice)
{
    switch (choice % 8) {
    case 0:
    case 1:
    case 2:
        return map(LV2_ATOM__Object);
    case 3:
        return map(LV2_ATOM__Vector);
    case 4:
        return map(LV2_ATOM__Int);
    case 5:
        return map(LV2_ATOM__Sequence);
    case 6:
        return 0;
    default:
        return (LV2_URID)choice;
    }
}

static LV2_URID object_type(uint8_t choice)
{
    switch (choice % 5) {
    case 0:
        return map(STL_URI_UI_ON);
    case 1:
        return map(STL_URI_UI_OFF);
    case 2:
        return map(STL_URI_STATE_REQUEST);
    case 3:
        return map(STL_URI_SPECTRUM);
    default:
        return (LV2_URID)choice;
    }
}

/* A control-port sequence of exactly the bytes it claims. */
static LV2_Atom_Sequence *make_sequence(fuzz_input *in)
{
    uint8_t events = take_u8(in) % 8;
    uint8_t *body = calloc(1, 8 * 1024);
    uint32_t used = 0;
    for (uint8_t e = 0; e < events && remaining(in) > 0; e++) {
        LV2_Atom_Event *event = (LV2_Atom_Event *)(body + used);
        uint32_t size = take_u8(in) % 48; /* body bytes, 0 included */
        event->time.frames = (int64_t)(take_u8(in) & 0x80 ? (int32_t)take_u32(in) : take_u8(in));
        event->body.type = event_type(take_u8(in));
        event->body.size = size;
        uint8_t *payload = (uint8_t *)(&event->body + 1);
        for (uint32_t i = 0; i < size; i++) {
            payload[i] = take_u8(in);
        }
        if (event->body.type == map(LV2_ATOM__Object) && size >= 8) {
            LV2_Atom_Object_Body *object = (LV2_Atom_Object_Body *)payload;
            object->otype = object_type(payload[4]);
        }
        used += (uint32_t)lv2_atom_pad_size(sizeof(LV2_Atom_Event) + size);
    }
    LV2_Atom_Sequence *sequence = malloc(sizeof(LV2_Atom_Sequence) + used);
    sequence->atom.size = (uint32_t)sizeof(LV2_Atom_Sequence_Body) + used;
    sequence->atom.type = take_u8(in) % 16 == 0 ? map(LV2_ATOM__Chunk) : map(LV2_ATOM__Sequence);
    sequence->body.unit = take_u8(in) % 16 == 0 ? 1 : 0;
    sequence->body.pad = 0;
    memcpy(sequence + 1, body, used);
    free(body);
    return sequence;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = {data, size, 0};
    int stereo = take_u8(&in) & 1;
    const LV2_Descriptor *descriptor = lv2_descriptor((uint32_t)stereo);
    FUZZ_CHECK(descriptor != NULL);
    LV2_URID_Map map_feature = {NULL, map_uri};
    const LV2_Feature map_entry = {LV2_URID__map, &map_feature};
    const LV2_Feature *features[] = {&map_entry, NULL};
    LV2_Handle plugin = descriptor->instantiate(descriptor, 48000, "/nonexistent/", features);
    FUZZ_CHECK(plugin != NULL);

    int channels = stereo ? 2 : 1;
    static float in_audio[2][MAX_BLOCK], out_audio[2][MAX_BLOCK];
    float controls[STL_PORT_COUNT] = {0};
    for (int p = 0; p < STL_PORT_COUNT; p++) {
        controls[p] = stl_ports[p].fallback;
    }
    controls[STL_PORT_FFT_SIZE] = 1024;
    controls[STL_PORT_AVERAGING] = 0.1f;
    controls[STL_PORT_ANALYSIS_RATE] = 16000;
    controls[STL_PORT_MEL_BANDS] = 32;
    controls[STL_PORT_SIGMA_DB] = -40;
    controls[STL_PORT_AUDITION] = (float)(take_u8(&in) % 4);
    for (int c = 0; c < channels; c++) {
        descriptor->connect_port(plugin, (uint32_t)c, in_audio[c]);
        descriptor->connect_port(plugin, (uint32_t)(channels + c), out_audio[c]);
    }
    for (int p = STL_PORT_FFT_SIZE; p < STL_PORT_COUNT; p++) {
        int index = stl_port_index(stereo, (stl_port)p);
        if (index >= 0) {
            descriptor->connect_port(plugin, (uint32_t)index, &controls[p]);
        }
    }
    uint32_t control_index = (uint32_t)stl_port_index(stereo, STL_PORT_CONTROL);
    uint32_t notify_index = (uint32_t)stl_port_index(stereo, STL_PORT_NOTIFY);
    descriptor->activate(plugin);

    int blocks = 1 + take_u8(&in) % 4;
    for (int b = 0; b < blocks; b++) {
        uint32_t n = 1 + take_u16(&in) % MAX_BLOCK;
        /* The notify buffer: at least an atom header, any capacity above. */
        uint32_t capacity = (uint32_t)lv2_atom_pad_size(sizeof(LV2_Atom) + take_u16(&in) % 8192);
        LV2_Atom_Sequence *notify = malloc(capacity);
        notify->atom.size = capacity - (uint32_t)sizeof(LV2_Atom);
        notify->atom.type = map(LV2_ATOM__Chunk);
        LV2_Atom_Sequence *control = make_sequence(&in);
        descriptor->connect_port(plugin, control_index, control);
        descriptor->connect_port(plugin, notify_index, notify);
        for (int c = 0; c < channels; c++) {
            for (uint32_t i = 0; i < n; i++) {
                in_audio[c][i] = (int8_t)take_u8(&in) / 128.0f;
            }
        }
        descriptor->run(plugin, n);
        FUZZ_CHECK(notify->atom.size <= capacity - sizeof(LV2_Atom));
        for (int c = 0; c < channels; c++) {
            for (uint32_t i = 0; i < n; i++) {
                FUZZ_CHECK(isfinite(out_audio[c][i]));
            }
        }
        /* Disconnect before freeing, as a host that reuses nothing would. */
        descriptor->connect_port(plugin, control_index, NULL);
        descriptor->connect_port(plugin, notify_index, NULL);
        free(control);
        free(notify);
    }
    descriptor->deactivate(plugin);
    descriptor->cleanup(plugin);
    return 0;
}
