/* spectide.lv2: the contract between the DSP (dsp.c), the X11 UI (ui.c) and
 * the TTL. URIs, port indices and the atom messages on the notify/control
 * ports. Stable: the UI codes against it.
 *
 * Ports
 *   Mono   (urn:spectide:mono):   0 in, 1 out, then the common ports from 2.
 *   Stereo (urn:spectide:stereo): 0 in_l, 1 in_r, 2 out_l, 3 out_r, then the
 *           common ports from 4, then ST_PORT_STEREO_CHANNEL (last).
 *   st_port_index(stereo, ST_COMMON_X) gives the index of a common port.
 *
 * Messages (all atom:Object; vectors are atom:Vector of atom:Float)
 *   DSP -> UI on "notify", only while a UI (or the inline display) listens,
 *   at most ST_NOTIFY_RATE_HZ times per second each, never more than the
 *   buffer's capacity (a message that does not fit is dropped, not cut):
 *
 *   st:Spectrum  (otype ST_URI_SPECTRUM)
 *     st:frequency  Vector  centre of each log bin in Hz (<= ST_SPECTRUM_POINTS)
 *     st:power      Vector  time-averaged power in dB (10 log10 P; P as
 *                           docs/conventions.md, scaled so that white noise of variance
 *                           v at the host rate reads v at every analysis rate)
 *     st:peak       Vector  max over the log bin of the unaveraged frames since
 *                           the previous message, dB (the UI does peak hold)
 *     st:sampleRate Float   analysis rate in Hz (host rate or 22050 / 16000)
 *     st:hostRate   Float   host sample rate in Hz
 *     st:fftSize    Int     FFT size of the spectrum
 *     st:sigmaDb    Float   noise tide sigma in dBFS (from the level or schedule+t)
 *     st:tauDb      Float   SNR threshold tau in dB
 *     st:waterDb    Float   water line 10 log10(tau sigma^2) in the same dB as st:power
 *     st:t          Float   t (meaningful in schedule mode)
 *     st:schedule   Int     ST_SCHEDULE_* of core/spectide.h
 *     st:tideMode   Int     ST_TIDE_SIGMA or ST_TIDE_SCHEDULE
 *     st:shareBins  Float   share of the spectrum above water, percent
 *     st:shareEnergy Float  share of the energy above water, percent
 *     st:slope      Float   spectral slope, dB/octave
 *     st:frozen     Bool    analysis frozen
 *
 *   st:MelColumns (otype ST_URI_MEL_COLUMNS): the columns since the last message
 *     st:mel        Vector  columns * melBands log-mel values (dB, column after
 *                           column, band 0 = lowest first); newest column last
 *     st:columns    Int     number of columns in st:mel (>= 1)
 *     st:melBands   Int     values per column
 *     st:mfcc       Vector  ST_MFCC_COUNT MFCCs of the newest column
 *     st:frameRate  Float   columns per second (analysis rate / hop)
 *     st:sampleRate Float   analysis rate (mel scale: Slaney, fmin 0, fmax sr/2)
 *
 *   st:Cepstral  (otype ST_URI_CEPSTRAL): the log-mel spectrogram window seen as an image
 *     st:frequency  Vector  ring frequencies in cycles/pixel (ring 0 = DC included)
 *     st:power      Vector  RAPSD, linear power (core st_cepstral_run)
 *     st:alpha      Float   power-law exponent of the fit
 *     st:intercept  Float   c of the fit (log10 P at f = 1)
 *     st:rSquared   Float   R^2 of the fit
 *     st:columns    Int     window length in columns (time axis of the image)
 *     st:melBands   Int     rows of the image
 *
 *   UI -> DSP on "control":
 *   st:UiOn       (otype ST_URI_UI_ON)    start sending (a UI is listening)
 *   st:UiOff      (otype ST_URI_UI_OFF)   stop sending (send it from cleanup)
 *   st:StateRequest (ST_URI_STATE_REQUEST) send every message on the next cycle
 *   The objects have no properties.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef SPECTIDE_LV2_PROTOCOL_H
#define SPECTIDE_LV2_PROTOCOL_H

#define ST_URI_PREFIX "urn:spectide:"
#define ST_URI_MONO   ST_URI_PREFIX "mono"
#define ST_URI_STEREO ST_URI_PREFIX "stereo"
#define ST_URI_UI     ST_URI_PREFIX "ui"

/* Message types (atom:Object otype). */
#define ST_URI_SPECTRUM      ST_URI_PREFIX "Spectrum"
#define ST_URI_MEL_COLUMNS   ST_URI_PREFIX "MelColumns"
#define ST_URI_CEPSTRAL      ST_URI_PREFIX "Cepstral"
#define ST_URI_UI_ON         ST_URI_PREFIX "UiOn"
#define ST_URI_UI_OFF        ST_URI_PREFIX "UiOff"
#define ST_URI_STATE_REQUEST ST_URI_PREFIX "StateRequest"

/* Keys. */
#define ST_URI_FREQUENCY    ST_URI_PREFIX "frequency"
#define ST_URI_POWER        ST_URI_PREFIX "power"
#define ST_URI_PEAK         ST_URI_PREFIX "peak"
#define ST_URI_SAMPLE_RATE  ST_URI_PREFIX "sampleRate"
#define ST_URI_HOST_RATE    ST_URI_PREFIX "hostRate"
#define ST_URI_FFT_SIZE     ST_URI_PREFIX "fftSize"
#define ST_URI_SIGMA_DB     ST_URI_PREFIX "sigmaDb"
#define ST_URI_TAU_DB       ST_URI_PREFIX "tauDb"
#define ST_URI_WATER_DB     ST_URI_PREFIX "waterDb"
#define ST_URI_T            ST_URI_PREFIX "t"
#define ST_URI_SCHEDULE     ST_URI_PREFIX "schedule"
#define ST_URI_TIDE_MODE    ST_URI_PREFIX "tideMode"
#define ST_URI_SHARE_BINS   ST_URI_PREFIX "shareBins"
#define ST_URI_SHARE_ENERGY ST_URI_PREFIX "shareEnergy"
#define ST_URI_SLOPE        ST_URI_PREFIX "slope"
#define ST_URI_FROZEN       ST_URI_PREFIX "frozen"
#define ST_URI_MEL          ST_URI_PREFIX "mel"
#define ST_URI_COLUMNS      ST_URI_PREFIX "columns"
#define ST_URI_MEL_BANDS    ST_URI_PREFIX "melBands"
#define ST_URI_MFCC         ST_URI_PREFIX "mfcc"
#define ST_URI_FRAME_RATE   ST_URI_PREFIX "frameRate"
#define ST_URI_ALPHA        ST_URI_PREFIX "alpha"
#define ST_URI_INTERCEPT    ST_URI_PREFIX "intercept"
#define ST_URI_R_SQUARED    ST_URI_PREFIX "rSquared"

/* Limits of the messages. */
#define ST_SPECTRUM_POINTS  512 /* log bins of a Spectrum message, at most */
#define ST_MEL_BANDS_MIN    32
#define ST_MEL_BANDS_MAX    256
#define ST_MFCC_COUNT       20
#define ST_MEL_COLUMNS_MAX  16    /* columns queued between two messages */
#define ST_CEPSTRAL_COLUMNS 128   /* time length of the cepstral window */
#define ST_NOTIFY_RATE_HZ   30    /* messages of each type per second, at most */
#define ST_NOTIFY_MIN_SIZE  65536 /* rsz:minimumSize of the notify port, bytes */

/* Common ports, relative to the first control port of either plugin. */
typedef enum {
    ST_COMMON_CONTROL = 0,   /* atom input from the UI (connectionOptional) */
    ST_COMMON_NOTIFY,        /* atom output to the UI (connectionOptional) */
    ST_COMMON_FFT_SIZE,      /* 1024..65536, enumeration of powers of two */
    ST_COMMON_AVERAGING,     /* averaging time constant, seconds (0.01..30, log) */
    ST_COMMON_ANALYSIS_RATE, /* 0 = host, 22050, 16000 (enumeration) */
    ST_COMMON_MEL_BANDS,     /* 32..256 integer */
    ST_COMMON_TIDE_MODE,     /* ST_TIDE_SIGMA or ST_TIDE_SCHEDULE */
    ST_COMMON_SCHEDULE,      /* ST_SCHEDULE_* (0..5) */
    ST_COMMON_T,             /* 0..1 */
    ST_COMMON_SIGMA_DB,      /* -120..0 dBFS */
    ST_COMMON_TAU_DB,        /* -20..40 dB */
    ST_COMMON_AUDITION,      /* ST_AUDITION_* */
    ST_COMMON_FREEZE,        /* toggle */
    ST_COMMON_SEED,          /* 0..16777215 integer */
    ST_COMMON_SLOPE,         /* output: dB/octave */
    ST_COMMON_ALPHA,         /* output: alpha of the mel-spectrogram RAPSD */
    ST_COMMON_ABOVE_BINS,    /* output: % of the spectrum above water */
    ST_COMMON_ABOVE_ENERGY,  /* output: % of the energy above water */
    ST_COMMON_LATENCY,       /* output: lv2:reportsLatency, samples */
    ST_COMMON_COUNT
} st_common_port;

enum {
    ST_PORT_MONO_IN = 0,
    ST_PORT_MONO_OUT = 1,
    ST_PORT_MONO_COMMON = 2, /* first common port */
    ST_PORT_MONO_COUNT = ST_PORT_MONO_COMMON + ST_COMMON_COUNT
};

enum {
    ST_PORT_STEREO_IN_L = 0,
    ST_PORT_STEREO_IN_R = 1,
    ST_PORT_STEREO_OUT_L = 2,
    ST_PORT_STEREO_OUT_R = 3,
    ST_PORT_STEREO_COMMON = 4,
    ST_PORT_STEREO_CHANNEL = ST_PORT_STEREO_COMMON + ST_COMMON_COUNT, /* ST_CHANNEL_* */
    ST_PORT_STEREO_COUNT
};

static inline int st_port_index(int stereo, st_common_port port)
{
    return (stereo ? ST_PORT_STEREO_COMMON : ST_PORT_MONO_COMMON) + (int)port;
}

enum { ST_TIDE_SIGMA = 0, ST_TIDE_SCHEDULE = 1 };
enum { ST_AUDITION_OFF = 0, ST_AUDITION_NOISE, ST_AUDITION_MASK, ST_AUDITION_RESIDUAL };
/* Stereo analysis channel. */
enum { ST_STEREO_MID = 0, ST_STEREO_LEFT, ST_STEREO_RIGHT, ST_STEREO_SIDE };

#endif /* SPECTIDE_LV2_PROTOCOL_H */
