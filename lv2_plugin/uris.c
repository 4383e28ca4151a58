/* spectide.lv2: URIs and messages (see uris.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "uris.h"

#include <lv2/atom/util.h>

#include <math.h>
#include <string.h>

void stl_uris_map(stl_uris *uris, LV2_URID_Map *map)
{
#define MAP(field, uri) uris->field = map->map(map->handle, uri)
    MAP(atom_object, LV2_ATOM__Object);
    MAP(atom_blank, LV2_ATOM__Blank);
    MAP(atom_float, LV2_ATOM__Float);
    MAP(atom_int, LV2_ATOM__Int);
    MAP(atom_bool, LV2_ATOM__Bool);
    MAP(atom_vector, LV2_ATOM__Vector);
    MAP(atom_sequence, LV2_ATOM__Sequence);
    MAP(atom_chunk, LV2_ATOM__Chunk);
    MAP(atom_event_transfer, LV2_ATOM__eventTransfer);
    MAP(spectrum, STL_URI_SPECTRUM);
    MAP(mel_columns, STL_URI_MEL_COLUMNS);
    MAP(cepstral, STL_URI_CEPSTRAL);
    MAP(ui_on, STL_URI_UI_ON);
    MAP(ui_off, STL_URI_UI_OFF);
    MAP(state_request, STL_URI_STATE_REQUEST);
    MAP(frequency, STL_URI_FREQUENCY);
    MAP(power, STL_URI_POWER);
    MAP(peak, STL_URI_PEAK);
    MAP(sample_rate, STL_URI_SAMPLE_RATE);
    MAP(host_rate, STL_URI_HOST_RATE);
    MAP(fft_size, STL_URI_FFT_SIZE);
    MAP(sigma_db, STL_URI_SIGMA_DB);
    MAP(tau_db, STL_URI_TAU_DB);
    MAP(water_db, STL_URI_WATER_DB);
    MAP(t, STL_URI_T);
    MAP(schedule, STL_URI_SCHEDULE);
    MAP(tide_mode, STL_URI_TIDE_MODE);
    MAP(share_bins, STL_URI_SHARE_BINS);
    MAP(share_energy, STL_URI_SHARE_ENERGY);
    MAP(slope, STL_URI_SLOPE);
    MAP(frozen, STL_URI_FROZEN);
    MAP(mel, STL_URI_MEL);
    MAP(columns, STL_URI_COLUMNS);
    MAP(mel_bands, STL_URI_MEL_BANDS);
    MAP(mfcc, STL_URI_MFCC);
    MAP(frame_rate, STL_URI_FRAME_RATE);
    MAP(alpha, STL_URI_ALPHA);
    MAP(intercept, STL_URI_INTERCEPT);
    MAP(r_squared, STL_URI_R_SQUARED);
#undef MAP
}

/* ------------------------------------------------------------------ */
/* Sizes                                                                */
/* ------------------------------------------------------------------ */

/* Event header (time and atom header) and object body. */
#define EVENT_BYTES 24u
/* A property whose value is a 4-byte scalar: key, context, atom header,
 * value padded to 8. */
#define SCALAR_BYTES 24u

static uint32_t vector_bytes(uint32_t count)
{
    return (uint32_t)sizeof(LV2_Atom_Property_Body) + (uint32_t)sizeof(LV2_Atom_Vector_Body) +
           lv2_atom_pad_size(4u * count);
}

uint32_t stl_spectrum_event_size(int points)
{
    return EVENT_BYTES + 3 * vector_bytes((uint32_t)points) + 13 * SCALAR_BYTES;
}

uint32_t stl_mel_event_size(int columns, int mel_bands, int mfcc_count)
{
    return EVENT_BYTES + vector_bytes((uint32_t)(columns * mel_bands)) +
           vector_bytes((uint32_t)mfcc_count) + 4 * SCALAR_BYTES;
}

uint32_t stl_cepstral_event_size(int rings)
{
    return EVENT_BYTES + 2 * vector_bytes((uint32_t)rings) + 5 * SCALAR_BYTES;
}

/* ------------------------------------------------------------------ */
/* Writers                                                              */
/* ------------------------------------------------------------------ */

static void put_float(LV2_Atom_Forge *forge, LV2_URID key, float value)
{
    lv2_atom_forge_key(forge, key);
    lv2_atom_forge_float(forge, value);
}

static void put_int(LV2_Atom_Forge *forge, LV2_URID key, int value)
{
    lv2_atom_forge_key(forge, key);
    lv2_atom_forge_int(forge, value);
}

static void put_vector(LV2_Atom_Forge *forge, const stl_uris *uris, LV2_URID key,
                       const float *values, int count)
{
    lv2_atom_forge_key(forge, key);
    lv2_atom_forge_vector(forge, sizeof(float), uris->atom_float, (uint32_t)count, values);
}

void stl_write_spectrum(LV2_Atom_Forge *forge, const stl_uris *uris, uint32_t frames,
                        const stl_spectrum_message *m)
{
    LV2_Atom_Forge_Frame object;
    lv2_atom_forge_frame_time(forge, frames);
    lv2_atom_forge_object(forge, &object, 0, uris->spectrum);
    put_vector(forge, uris, uris->frequency, m->frequency, m->points);
    put_vector(forge, uris, uris->power, m->power_db, m->points);
    put_vector(forge, uris, uris->peak, m->peak_db ? m->peak_db : m->power_db, m->points);
    put_float(forge, uris->sample_rate, m->sample_rate);
    put_float(forge, uris->host_rate, m->host_rate);
    put_int(forge, uris->fft_size, m->fft_size);
    put_float(forge, uris->sigma_db, m->sigma_db);
    put_float(forge, uris->tau_db, m->tau_db);
    put_float(forge, uris->water_db, m->water_db);
    put_float(forge, uris->t, m->t);
    put_int(forge, uris->schedule, m->schedule);
    put_int(forge, uris->tide_mode, m->tide_mode);
    put_float(forge, uris->share_bins, m->share_bins);
    put_float(forge, uris->share_energy, m->share_energy);
    put_float(forge, uris->slope, m->slope);
    lv2_atom_forge_key(forge, uris->frozen);
    lv2_atom_forge_bool(forge, m->frozen != 0);
    lv2_atom_forge_pop(forge, &object);
}

void stl_write_mel(LV2_Atom_Forge *forge, const stl_uris *uris, uint32_t frames,
                   const stl_mel_message *m)
{
    LV2_Atom_Forge_Frame object;
    lv2_atom_forge_frame_time(forge, frames);
    lv2_atom_forge_object(forge, &object, 0, uris->mel_columns);
    put_vector(forge, uris, uris->mel, m->values, m->columns * m->mel_bands);
    put_int(forge, uris->columns, m->columns);
    put_int(forge, uris->mel_bands, m->mel_bands);
    put_vector(forge, uris, uris->mfcc, m->mfcc, m->mfcc_count);
    put_float(forge, uris->frame_rate, m->frame_rate);
    put_float(forge, uris->sample_rate, m->sample_rate);
    lv2_atom_forge_pop(forge, &object);
}

void stl_write_cepstral(LV2_Atom_Forge *forge, const stl_uris *uris, uint32_t frames,
                        const stl_cepstral_message *m)
{
    LV2_Atom_Forge_Frame object;
    lv2_atom_forge_frame_time(forge, frames);
    lv2_atom_forge_object(forge, &object, 0, uris->cepstral);
    put_vector(forge, uris, uris->frequency, m->frequency, m->rings);
    put_vector(forge, uris, uris->power, m->power, m->rings);
    put_float(forge, uris->alpha, m->alpha);
    put_float(forge, uris->intercept, m->intercept);
    put_float(forge, uris->r_squared, m->r_squared);
    put_int(forge, uris->columns, m->columns);
    put_int(forge, uris->mel_bands, m->mel_bands);
    lv2_atom_forge_pop(forge, &object);
}

void stl_write_command(LV2_Atom_Forge *forge, const stl_uris *uris, stl_command command)
{
    LV2_URID otype = command == STL_COMMAND_UI_ON    ? uris->ui_on
                     : command == STL_COMMAND_UI_OFF ? uris->ui_off
                                                     : uris->state_request;
    LV2_Atom_Forge_Frame object;
    lv2_atom_forge_object(forge, &object, 0, otype);
    lv2_atom_forge_pop(forge, &object);
}

/* ------------------------------------------------------------------ */
/* Readers                                                              */
/* ------------------------------------------------------------------ */

/* The value of `key`, or NULL. Walks the properties itself, checking that
 * each one lies inside the object before touching it. */
static const LV2_Atom *find(const LV2_Atom_Object *object, LV2_URID key)
{
    const uint8_t *body = (const uint8_t *)&object->body;
    uint32_t size = object->atom.size, offset = (uint32_t)sizeof(LV2_Atom_Object_Body);
    while (size >= offset && size - offset >= sizeof(LV2_Atom_Property_Body)) {
        const LV2_Atom_Property_Body *property = (const LV2_Atom_Property_Body *)(body + offset);
        uint64_t bytes = sizeof(LV2_Atom_Property_Body) + (uint64_t)property->value.size;
        if (bytes > size - offset) {
            return NULL; /* runs past the object: stop reading */
        }
        if (property->key == key) {
            return &property->value;
        }
        offset += lv2_atom_pad_size((uint32_t)bytes);
    }
    return NULL;
}

/* A finite number (Float, Int or Bool), or NaN. */
static double number(const stl_uris *uris, const LV2_Atom *atom)
{
    if (!atom) {
        return NAN;
    }
    double value = NAN;
    if (atom->type == uris->atom_float && atom->size >= sizeof(float)) {
        value = ((const LV2_Atom_Float *)atom)->body;
    } else if ((atom->type == uris->atom_int || atom->type == uris->atom_bool) &&
               atom->size >= sizeof(int32_t)) {
        value = ((const LV2_Atom_Int *)atom)->body;
    }
    return isfinite(value) ? value : NAN;
}

static int whole(double value)
{
    return isfinite(value) && value >= -1e9 && value <= 1e9 ? (int)value : -1;
}

/* The elements of a vector of floats, or NULL. */
static const float *floats(const stl_uris *uris, const LV2_Atom *atom, int *count)
{
    if (!atom || atom->type != uris->atom_vector || atom->size < sizeof(LV2_Atom_Vector_Body)) {
        return NULL;
    }
    const LV2_Atom_Vector *vector = (const LV2_Atom_Vector *)atom;
    if (vector->body.child_type != uris->atom_float || vector->body.child_size != sizeof(float)) {
        return NULL;
    }
    *count = (int)((atom->size - sizeof(LV2_Atom_Vector_Body)) / sizeof(float));
    return (const float *)(&vector->body + 1);
}

static int is_object(const stl_uris *uris, const LV2_Atom_Object *object, LV2_URID otype)
{
    return (object->atom.type == uris->atom_object || object->atom.type == uris->atom_blank) &&
           object->atom.size >= sizeof(LV2_Atom_Object_Body) && object->body.otype == otype;
}

int stl_read_spectrum(const stl_uris *uris, const LV2_Atom_Object *object, stl_spectrum_message *m)
{
    if (!is_object(uris, object, uris->spectrum)) {
        return 0;
    }
    int n_frequency = 0, n_power = 0, n_peak = 0;
    m->frequency = floats(uris, find(object, uris->frequency), &n_frequency);
    m->power_db = floats(uris, find(object, uris->power), &n_power);
    m->peak_db = floats(uris, find(object, uris->peak), &n_peak);
    if (!m->frequency || !m->power_db) {
        return 0;
    }
    m->points = n_frequency < n_power ? n_frequency : n_power;
    if (m->points > STL_SPECTRUM_POINTS) {
        m->points = STL_SPECTRUM_POINTS;
    }
    if (n_peak < m->points) {
        m->peak_db = NULL;
    }
    m->sample_rate = (float)number(uris, find(object, uris->sample_rate));
    m->host_rate = (float)number(uris, find(object, uris->host_rate));
    m->fft_size = whole(number(uris, find(object, uris->fft_size)));
    m->sigma_db = (float)number(uris, find(object, uris->sigma_db));
    m->tau_db = (float)number(uris, find(object, uris->tau_db));
    m->water_db = (float)number(uris, find(object, uris->water_db));
    m->t = (float)number(uris, find(object, uris->t));
    m->schedule = whole(number(uris, find(object, uris->schedule)));
    m->tide_mode = whole(number(uris, find(object, uris->tide_mode)));
    m->share_bins = (float)number(uris, find(object, uris->share_bins));
    m->share_energy = (float)number(uris, find(object, uris->share_energy));
    m->slope = (float)number(uris, find(object, uris->slope));
    m->frozen = whole(number(uris, find(object, uris->frozen)));
    return 1;
}

int stl_read_mel(const stl_uris *uris, const LV2_Atom_Object *object, stl_mel_message *m)
{
    if (!is_object(uris, object, uris->mel_columns)) {
        return 0;
    }
    int n_values = 0, n_mfcc = 0;
    m->values = floats(uris, find(object, uris->mel), &n_values);
    m->columns = whole(number(uris, find(object, uris->columns)));
    m->mel_bands = whole(number(uris, find(object, uris->mel_bands)));
    if (!m->values || m->columns < 1 || m->columns > n_values || m->mel_bands < 1 ||
        m->mel_bands > STL_MEL_BANDS_MAX || (long)m->columns * m->mel_bands > n_values) {
        return 0;
    }
    m->mfcc = floats(uris, find(object, uris->mfcc), &n_mfcc);
    m->mfcc_count = m->mfcc ? (n_mfcc < STL_MFCC_COUNT ? n_mfcc : STL_MFCC_COUNT) : 0;
    m->frame_rate = (float)number(uris, find(object, uris->frame_rate));
    m->sample_rate = (float)number(uris, find(object, uris->sample_rate));
    return 1;
}

int stl_read_cepstral(const stl_uris *uris, const LV2_Atom_Object *object, stl_cepstral_message *m)
{
    if (!is_object(uris, object, uris->cepstral)) {
        return 0;
    }
    int n_frequency = 0, n_power = 0;
    m->frequency = floats(uris, find(object, uris->frequency), &n_frequency);
    m->power = floats(uris, find(object, uris->power), &n_power);
    if (!m->frequency || !m->power) {
        return 0;
    }
    m->rings = n_frequency < n_power ? n_frequency : n_power;
    if (m->rings > STL_CEPSTRAL_RINGS) {
        m->rings = STL_CEPSTRAL_RINGS;
    }
    m->alpha = (float)number(uris, find(object, uris->alpha));
    m->intercept = (float)number(uris, find(object, uris->intercept));
    m->r_squared = (float)number(uris, find(object, uris->r_squared));
    m->columns = whole(number(uris, find(object, uris->columns)));
    m->mel_bands = whole(number(uris, find(object, uris->mel_bands)));
    return 1;
}

stl_command stl_read_command(const stl_uris *uris, const LV2_Atom *atom)
{
    if (atom->type != uris->atom_object || atom->size < sizeof(LV2_Atom_Object_Body)) {
        return STL_COMMAND_NONE;
    }
    LV2_URID otype = ((const LV2_Atom_Object *)atom)->body.otype;
    return otype == uris->ui_on           ? STL_COMMAND_UI_ON
           : otype == uris->ui_off        ? STL_COMMAND_UI_OFF
           : otype == uris->state_request ? STL_COMMAND_STATE_REQUEST
                                          : STL_COMMAND_NONE;
}
