/* spectide.lv2: the URIs of the messages between the DSP and the UI, and
 * the messages themselves, written and read side by side (the shape of
 * the LV2 book's eg-sampler uris.h). The DSP writes Spectrum, MelColumns
 * and Cepstral objects on its notify port and reads the commands on its
 * control port; the UI does the opposite; both use these functions.
 *
 * Messages (atom:Object; vectors are atom:Vector of atom:Float)
 *   DSP -> UI on "notify", only while a UI listens, at most
 *   STL_NOTIFY_RATE_HZ times per second each, never past the capacity of
 *   the buffer the host gave (a message that does not fit is dropped, not
 *   cut; the spectrum is decimated first, down to 32 points):
 *
 *   st:Spectrum
 *     st:frequency  Vector  centre of each log bin in Hz (<= STL_SPECTRUM_POINTS)
 *     st:power      Vector  time-averaged power in dB (10 log10 P, P as in
 *                           docs/conventions.md, scaled so that white noise of
 *                           variance v at the host rate reads v at every
 *                           analysis rate)
 *     st:peak       Vector  max over the log bin of the unaveraged frames since
 *                           the previous message, dB (the UI holds peaks)
 *     st:sampleRate Float   analysis rate in Hz (host rate, 22050 or 16000)
 *     st:hostRate   Float   host sample rate in Hz
 *     st:fftSize    Int     FFT size of the spectrum
 *     st:sigmaDb    Float   noise tide sigma in dBFS (from the level or schedule and t)
 *     st:tauDb      Float   SNR threshold tau in dB
 *     st:waterDb    Float   water line 10 log10(tau sigma^2), same dB as st:power
 *     st:t          Float   t (meaningful in schedule mode)
 *     st:schedule   Int     ST_SCHEDULE_* of core/spectide.h
 *     st:tideMode   Int     STL_TIDE_SIGMA or STL_TIDE_SCHEDULE
 *     st:shareBins  Float   share of the spectrum above water, percent
 *     st:shareEnergy Float  share of the energy above water, percent
 *     st:slope      Float   spectral slope, dB/octave
 *     st:frozen     Bool    analysis frozen
 *
 *   st:MelColumns: the columns since the last message
 *     st:mel        Vector  columns x melBands log-mel values (dB, column after
 *                           column, band 0 = lowest first); newest column last
 *     st:columns    Int     number of columns in st:mel (>= 1)
 *     st:melBands   Int     values per column
 *     st:mfcc       Vector  STL_MFCC_COUNT MFCCs of the newest column
 *     st:frameRate  Float   columns per second (analysis rate / hop)
 *     st:sampleRate Float   analysis rate (mel scale: Slaney, fmin 0, fmax sr/2)
 *
 *   st:Cepstral: the log-mel spectrogram window seen as an image
 *     st:frequency  Vector  ring frequencies in cycles/pixel (ring 0 = DC included)
 *     st:power      Vector  RAPSD, linear power (core st_cepstral_run)
 *     st:alpha      Float   power-law exponent of the fit
 *     st:intercept  Float   c of the fit (log10 P at f = 1)
 *     st:rSquared   Float   R^2 of the fit
 *     st:columns    Int     window length in columns (time axis of the image)
 *     st:melBands   Int     rows of the image
 *
 *   UI -> DSP on "control", objects without properties:
 *   st:UiOn          start sending (a UI is listening)
 *   st:UiOff         stop sending (the UI sends it from cleanup)
 *   st:StateRequest  send every message on the next cycle
 *
 * The readers check every size and type before they read, and ignore what
 * does not fit: a malformed atom is never read past its end.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef SPECTIDE_LV2_URIS_H
#define SPECTIDE_LV2_URIS_H

#include "controls.h"

#include <lv2/atom/atom.h>
#include <lv2/atom/forge.h>
#include <lv2/urid/urid.h>

#include <stdint.h>

/* Message types (atom:Object otype). */
#define STL_URI_SPECTRUM      STL_URI_PREFIX "Spectrum"
#define STL_URI_MEL_COLUMNS   STL_URI_PREFIX "MelColumns"
#define STL_URI_CEPSTRAL      STL_URI_PREFIX "Cepstral"
#define STL_URI_UI_ON         STL_URI_PREFIX "UiOn"
#define STL_URI_UI_OFF        STL_URI_PREFIX "UiOff"
#define STL_URI_STATE_REQUEST STL_URI_PREFIX "StateRequest"

/* Keys. */
#define STL_URI_FREQUENCY    STL_URI_PREFIX "frequency"
#define STL_URI_POWER        STL_URI_PREFIX "power"
#define STL_URI_PEAK         STL_URI_PREFIX "peak"
#define STL_URI_SAMPLE_RATE  STL_URI_PREFIX "sampleRate"
#define STL_URI_HOST_RATE    STL_URI_PREFIX "hostRate"
#define STL_URI_FFT_SIZE     STL_URI_PREFIX "fftSize"
#define STL_URI_SIGMA_DB     STL_URI_PREFIX "sigmaDb"
#define STL_URI_TAU_DB       STL_URI_PREFIX "tauDb"
#define STL_URI_WATER_DB     STL_URI_PREFIX "waterDb"
#define STL_URI_T            STL_URI_PREFIX "t"
#define STL_URI_SCHEDULE     STL_URI_PREFIX "schedule"
#define STL_URI_TIDE_MODE    STL_URI_PREFIX "tideMode"
#define STL_URI_SHARE_BINS   STL_URI_PREFIX "shareBins"
#define STL_URI_SHARE_ENERGY STL_URI_PREFIX "shareEnergy"
#define STL_URI_SLOPE        STL_URI_PREFIX "slope"
#define STL_URI_FROZEN       STL_URI_PREFIX "frozen"
#define STL_URI_MEL          STL_URI_PREFIX "mel"
#define STL_URI_COLUMNS      STL_URI_PREFIX "columns"
#define STL_URI_MEL_BANDS    STL_URI_PREFIX "melBands"
#define STL_URI_MFCC         STL_URI_PREFIX "mfcc"
#define STL_URI_FRAME_RATE   STL_URI_PREFIX "frameRate"
#define STL_URI_ALPHA        STL_URI_PREFIX "alpha"
#define STL_URI_INTERCEPT    STL_URI_PREFIX "intercept"
#define STL_URI_R_SQUARED    STL_URI_PREFIX "rSquared"

/* Limits of the messages. */
#define STL_SPECTRUM_POINTS  512 /* log bins of a Spectrum message, at most */
#define STL_SPECTRUM_MIN     32  /* a small buffer decimates down to this */
#define STL_MEL_BANDS_MIN    32
#define STL_MEL_BANDS_MAX    256
#define STL_MFCC_COUNT       20
#define STL_MEL_COLUMNS_MAX  16  /* columns queued between two messages */
#define STL_CEPSTRAL_COLUMNS 128 /* time length of the cepstral window */
#define STL_CEPSTRAL_RINGS   512 /* rings of a Cepstral message, at most */
#define STL_NOTIFY_RATE_HZ   30  /* messages of each type per second, at most */

typedef struct {
    LV2_URID atom_object, atom_blank, atom_float, atom_int, atom_bool, atom_vector;
    LV2_URID atom_sequence, atom_chunk, atom_event_transfer;
    LV2_URID spectrum, mel_columns, cepstral, ui_on, ui_off, state_request;
    LV2_URID frequency, power, peak, sample_rate, host_rate, fft_size, sigma_db, tau_db, water_db;
    LV2_URID t, schedule, tide_mode, share_bins, share_energy, slope, frozen;
    LV2_URID mel, columns, mel_bands, mfcc, frame_rate, alpha, intercept, r_squared;
} stl_uris;

/* Maps every URI once (instantiate of the DSP and of the UI). */
void stl_uris_map(stl_uris *uris, LV2_URID_Map *map);

/* ------------------------------------------------------------------ */
/* The messages as C structs. Vectors point into the writer's arrays or  */
/* into the atom read; a reader sets missing scalars to NaN (or -1).      */
/* ------------------------------------------------------------------ */

typedef struct {
    int points;
    const float *frequency, *power_db, *peak_db; /* peak_db may be NULL when read */
    float sample_rate, host_rate;
    int fft_size;
    float sigma_db, tau_db, water_db, t;
    int schedule, tide_mode;
    float share_bins, share_energy, slope;
    int frozen;
} stl_spectrum_message;

typedef struct {
    int columns, mel_bands;
    const float *values; /* columns * mel_bands, oldest column first */
    const float *mfcc;   /* mfcc_count values of the newest column */
    int mfcc_count;
    float frame_rate, sample_rate;
} stl_mel_message;

typedef struct {
    int rings;
    const float *frequency, *power;
    float alpha, intercept, r_squared;
    int columns, mel_bands;
} stl_cepstral_message;

typedef enum {
    STL_COMMAND_NONE = 0,
    STL_COMMAND_UI_ON,
    STL_COMMAND_UI_OFF,
    STL_COMMAND_STATE_REQUEST
} stl_command;

/* Bytes a message takes in an atom:Sequence (event header included), for
 * the writer to check the room left before it starts one. */
uint32_t stl_spectrum_event_size(int points);
uint32_t stl_mel_event_size(int columns, int mel_bands, int mfcc_count);
uint32_t stl_cepstral_event_size(int rings);

/* Writers: an event at `frames` into the sequence the forge is inside.
 * The caller checked the room with the *_event_size functions. */
void stl_write_spectrum(LV2_Atom_Forge *forge, const stl_uris *uris, uint32_t frames,
                        const stl_spectrum_message *message);
void stl_write_mel(LV2_Atom_Forge *forge, const stl_uris *uris, uint32_t frames,
                   const stl_mel_message *message);
void stl_write_cepstral(LV2_Atom_Forge *forge, const stl_uris *uris, uint32_t frames,
                        const stl_cepstral_message *message);
/* A command as one whole atom (the UI sends it with write_function). */
void stl_write_command(LV2_Atom_Forge *forge, const stl_uris *uris, stl_command command);

/* Readers: 1 if `object` is such a message with the vectors it needs (of
 * floats, of the lengths it claims), 0 otherwise. `object` must be whole:
 * its atom.size bytes readable. */
int stl_read_spectrum(const stl_uris *uris, const LV2_Atom_Object *object,
                      stl_spectrum_message *message);
int stl_read_mel(const stl_uris *uris, const LV2_Atom_Object *object, stl_mel_message *message);
int stl_read_cepstral(const stl_uris *uris, const LV2_Atom_Object *object,
                      stl_cepstral_message *message);
/* Any atom: the command it is, or STL_COMMAND_NONE (not an object, too
 * short for an otype, another type). */
stl_command stl_read_command(const stl_uris *uris, const LV2_Atom *atom);

#endif /* SPECTIDE_LV2_URIS_H */
