/* spectide core: the numerics every front shares (images part).
 *
 * The numerical conventions (pixel mapping, RAPSD, averaging, fit,
 * schedules, f_max, filters, noise) are written down in docs/conventions.md.
 *
 * API shape, as FFTW and libsamplerate: objects are opaque; st_X_new() plans
 * and allocates, st_X_run() executes many times without allocating,
 * st_X_free() releases (NULL is a no-op). Errors, one convention:
 *   - a constructor returns NULL on failure and stores the reason in *error
 *     (when error is not NULL; ST_OK on success), like src_new();
 *   - every other call that can fail returns an st_status: ST_OK, the
 *     positive ST_NOT_READY (no result yet, not an error), or a negative
 *     error;
 *   - a function that returns a measured value returns NaN only for NaN
 *     input (IEEE propagation), never to report an error.
 * Threads: each object's section says what may run concurrently. Unless it
 * says otherwise, one object is used by one thread at a time, and new/free
 * of different objects may run in any threads at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef SPECTIDE_H
#define SPECTIDE_H

#include <stddef.h>
#include <stdint.h>

#include "spectide_version.h"

/* Marks the public API: the only symbols the shared libspectide exports. */
#ifndef ST_API
#if defined(__GNUC__) && !defined(ST_STATIC_ONLY)
#define ST_API __attribute__((visibility("default")))
#else
#define ST_API
#endif
#endif

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    ST_OK = 0,
    ST_NOT_READY = 1,         /* no result yet (e.g. an analysis window not full): not an error */
    ST_ERROR_ARGUMENT = -1,   /* a size, range or pointer that makes no sense */
    ST_ERROR_MEMORY = -2,     /* allocation failed (e.g. a huge image) */
    ST_ERROR_NOT_FINITE = -3, /* input contained NaN or Inf */
    ST_ERROR_FORMAT = -4,     /* bytes that are not the expected format or version */
    ST_ERROR_MISMATCH = -5,   /* objects that cannot be combined (different grids, channels) */
    ST_ERROR_NO_SIGNAL = -6 /* a(t) = 0: nothing of the image or signal is left (spectide_tide.h) */
} st_status;

/* A short English sentence for the status; never NULL. */
ST_API const char *st_status_message(st_status status);

/* The library's version, "MAJOR.MINOR.MICRO", which may differ from the
 * ST_VERSION_STRING of the headers a program was compiled with. */
ST_API const char *st_version(void);
/* ST_VERSION_NUMBER of the library (MAJOR * 10000 + MINOR * 100 + MICRO). */
ST_API int st_version_number(void);

/* Largest image side and pixel count the core accepts; larger ones are
 * refused with ST_ERROR_ARGUMENT rather than exhausting memory. */
#define ST_MAX_IMAGE_SIDE   65536
#define ST_MAX_IMAGE_PIXELS (256u * 1024u * 1024u)

/* ------------------------------------------------------------------ */
/* FFTW: what the core does to the process                              */
/* ------------------------------------------------------------------ */

/* FFTW's planner is process-wide state, shared with every other FFTW user
 * in the process (inside a DAW: the other plug-ins too). The core plans
 * only in constructors (never in a _run), always under its own lock, and
 * in one of two modes, chosen once, before the first core object:
 *   ST_FFTW_PROCESS_WIDE (default): at the first plan the core calls
 *     fftwf_init_threads() and fftwf_make_planner_thread_safe(), which turn
 *     on FFTW's thread support and planner lock for the whole process (so
 *     every FFTW user in it may plan from any thread), and large images are
 *     transformed with st_set_threads() threads. Right for programs that own
 *     their process (the command line, GIMP plug-ins, which GIMP starts as
 *     processes of their own).
 *   ST_FFTW_PRIVATE: the process's FFTW state is left alone: no thread
 *     support, no change to the planner; plans are single-threaded and
 *     serialised by the core's lock only (another library planning at the
 *     same instant without its own lock is then not protected). Right for
 *     plug-ins loaded into someone else's process (the LV2 plugin).
 * The environment variable SPECTIDE_FFTW=private selects ST_FFTW_PRIVATE
 * when no mode was configured: a host process's way to opt out.
 * Returns ST_OK, or ST_ERROR_MISMATCH once a different mode is in force. */
typedef enum { ST_FFTW_PROCESS_WIDE = 0, ST_FFTW_PRIVATE = 1 } st_fftw_mode;
ST_API st_status st_fftw_configure(st_fftw_mode mode);
/* The mode in force (after the first plan) or that will be (before). */
ST_API st_fftw_mode st_fftw_current_mode(void);

/* FFTW threads used for image plans made from now on (1 = single-threaded;
 * ignored in ST_FFTW_PRIVATE mode). Plans of images smaller than 512x512
 * always use one thread; audio plans always use one. Thread-safe. */
ST_API void st_set_threads(int threads);
/* Current setting of st_set_threads (default 1). */
ST_API int st_get_threads(void);

/* FFTW wisdom: the planner's memory of the problems it has solved. The
 * first plan of an image size FFTW has not met searches many ways to split
 * the transform and costs about as much as the transform itself (1 to 3 ms
 * for an Imagenette-size image); with wisdom for that size, a tenth of that.
 * A program that meets the same sizes run after run (the command line over
 * a dataset) can keep the wisdom between runs. The core plans with
 * FFTW_ESTIMATE, a deterministic search: with wisdom from such plans FFTW
 * picks the plan it would have found, so transforms and results are the
 * same with and without it. Wisdom of FFTW_MEASURE plans (fftwf-wisdom)
 * would pick other plans, equal only to rounding.
 * Process-wide mode only (the wisdom is the whole process's). export:
 * NUL-terminated text to free() (NULL in ST_FFTW_PRIVATE mode or when
 * memory is short). import: ST_OK; ST_ERROR_FORMAT if `text` is not wisdom
 * this FFTW build can use (FFTW refuses another version's or build's; of
 * damaged text it may keep what came before the damage); ST_ERROR_MISMATCH
 * in ST_FFTW_PRIVATE mode. */
ST_API char *st_fftw_export_wisdom(void);
ST_API st_status st_fftw_import_wisdom(const char *text);

/* ------------------------------------------------------------------ */
/* Pixels to analysis channel                                          */
/* ------------------------------------------------------------------ */

typedef enum {
    ST_CHANNEL_GREEN = 0, /* default for RGB, as in the reference blog post */
    ST_CHANNEL_LUMA,      /* Rec. 709 luminance of the (non-linear) values */
    ST_CHANNEL_RED,
    ST_CHANNEL_BLUE,
    ST_CHANNEL_COUNT
} st_channel;

/* The analysis scale, defined here once for the loader and every front:
 * a stored value v in [0,1] is analysed as x = 2v - 1 in [-1,1], as a
 * diffusion model sees pixels, and shown again as v = (x + 1) / 2. */
static inline double st_value_to_x(double v)
{
    return 2.0 * v - 1.0;
}
/* In float, as the fronts write pixels back (GEGL buffers, PNG rows). */
static inline float st_x_to_value(float x)
{
    return 0.5f * (x + 1.0f);
}
/* x as an 8-bit code: round(255 v) of v = (x + 1) / 2, clamped to
 * [0, 255], NaN 0 (what the command line's PNGs and the GIMP preview show). */
static inline unsigned char st_x_to_code8(float x)
{
    float v = st_x_to_value(x) * 255.0f + 0.5f;
    return !(v > 0.0f) ? 0 : v >= 255.0f ? 255 : (unsigned char)v;
}
/* A code c of samples whose largest code is max (255 for 8 bits, 65535 for
 * 16): x = (2c - max) / max in double, rounded once to float, which is what
 * numpy computes in float64 from PIL's array and casts to float32. */
static inline float st_code_to_x(double code, double max)
{
    return (float)((2.0 * code - max) / max);
}
/* ST_CHANNEL_LUMA: Rec. 709 weights on the stored (gamma-encoded) values. */
static inline double st_luma(double red, double green, double blue)
{
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue;
}

/* "green" | "luma" | "red" | "blue" -> ST_OK, or ST_ERROR_ARGUMENT if unknown. */
ST_API st_status st_channel_from_name(const char *name, st_channel *channel);
/* Those names, in the enum's order (NULL out of range): what every front
 * offers, read from core's table (st_channel 0 .. ST_CHANNEL_COUNT - 1). */
ST_API const char *st_channel_name(st_channel channel);
/* "Green", "Luma (Rec. 709)", ...: labels for menus; NULL out of range. */
ST_API const char *st_channel_label(st_channel channel);

/* Extracts the analysis channel of interleaved pixels with values in [0,1]
 * and maps it to [-1,1] (x = 2v - 1). components: 1 gray, 2 gray+alpha,
 * 3 RGB, 4 RGBA (alpha ignored; gray images ignore `channel`). The stride is
 * in floats between rows (>= width*components). Non-finite values become 0. */
ST_API void st_pixels_to_analysis(const float *pixels, int width, int height, int components,
                                  size_t row_stride, st_channel channel, float *out);

/* ------------------------------------------------------------------ */
/* RAPSD: radially averaged power spectral density (pysteps-compatible) */
/* ------------------------------------------------------------------ */

typedef struct st_rapsd st_rapsd;

/* Plans a real-to-complex FFT of width x height (row-major, width fastest).
 * NULL if the size is out of range (ST_ERROR_ARGUMENT) or memory is short
 * (ST_ERROR_MEMORY).
 * Threads: one st_rapsd runs in one thread at a time; use one per thread. */
ST_API st_rapsd *st_rapsd_new(int width, int height, st_status *error);
/* Number of rings: L/2 for even L = max(w,h), (L-1)/2 + 1 for odd L. */
ST_API int st_rapsd_ring_count(const st_rapsd *rapsd);
/* Frequency of ring r in cycles/pixel: r / L. */
ST_API double st_rapsd_frequency(const st_rapsd *rapsd, int ring);
/* Fills freq[ring_count] with the ring frequencies. */
ST_API void st_rapsd_frequencies(const st_rapsd *rapsd, double *freq);
/* power[ring_count] = mean over the ring of |fftshift(fft2(x))|^2 / (w*h).
 * `image` holds width*height floats (already mapped to [-1,1]); it is read,
 * never written (transformed in place of the planned buffer when its SIMD
 * alignment allows, else copied). NaN/Inf in the image give NaN rings: map
 * them first (st_pixels_to_analysis does). No allocation. */
ST_API void st_rapsd_run(st_rapsd *rapsd, const float *image, double *power);
ST_API void st_rapsd_free(st_rapsd *rapsd);

/* Ring count and ring index of the centred frequency (xc, yc), shared with
 * the filters so that "above f_max" means the same rings everywhere. */
ST_API int st_ring_count_for_size(int width, int height);
ST_API int st_ring_of(int xc, int yc);

/* ------------------------------------------------------------------ */
/* Log-domain average over many spectra (different sizes allowed)      */
/* ------------------------------------------------------------------ */

typedef struct st_logavg st_logavg;

/* Threads: one st_logavg is used by one thread at a time. It keeps a copy
 * of every spectrum added (memory grows with the count): for datasets use
 * the streaming accumulator instead. */
ST_API st_logavg *st_logavg_new(st_status *error);
/* Adds (copies) one spectrum: freq strictly ascending, >= 0, freq[0] may be
 * 0 = DC; powers that are not positive and finite count as missing.
 * ST_ERROR_ARGUMENT for empty/invalid input, ST_ERROR_NOT_FINITE when no
 * power is usable. Typical use: per image st_rapsd_run, then
 * st_logavg_add(avg, freq, power, ring_count); at the end st_logavg_result,
 * then st_powerlaw_fit_log10 on the result. */
ST_API st_status st_logavg_add(st_logavg *avg, const double *freq, const double *power, int n);
ST_API int st_logavg_count(const st_logavg *avg); /* spectra added */
/* The common axis is the ring axis of the finest spectrum added (largest n,
 * the first such); each spectrum is interpolated linearly in log10 f /
 * log10 P onto it, inside its own frequency range only (DC only from DC
 * points), and the mean is over the spectra that cover the point. Returns
 * the number of axis points (0 if none added) and sets *freq and
 * *mean_log10_power to arrays owned by `avg` (valid until the next result
 * or free). Points no spectrum covers are NaN. */
ST_API int st_logavg_result(st_logavg *avg, const double **freq, const double **mean_log10_power);
ST_API void st_logavg_free(st_logavg *avg);

/* ------------------------------------------------------------------ */
/* Power-law fit: log10 P = c - alpha * log10 f                          */
/* ------------------------------------------------------------------ */

typedef struct {
    double alpha;     /* spectral exponent (P ~ f^-alpha) */
    double c;         /* intercept, log10 P at f = 1 cycle/pixel */
    double r_squared; /* coefficient of determination in log-log */
    double f_low;     /* frequency range actually used */
    double f_high;
    int points; /* resampled points used */
} st_powerlaw;

/* Fits over [f_low, f_high] (f_low <= 0: the first non-zero frequency;
 * f_high <= 0: the last). The curve (non-positive powers skipped) is
 * resampled onto `resample_points` points linearly spaced in log10 f (0: as
 * many as input points in range), linear interpolation in log-log, then
 * ordinary least squares. ST_ERROR_ARGUMENT if fewer than 2 usable points. */
ST_API st_status st_powerlaw_fit(const double *freq, const double *power, int n, double f_low,
                                 double f_high, int resample_points, st_powerlaw *fit);
/* Same, for a curve that is already log10 P (e.g. st_logavg_result). */
ST_API st_status st_powerlaw_fit_log10(const double *freq, const double *log10_power, int n,
                                       double f_low, double f_high, int resample_points,
                                       st_powerlaw *fit);
/* Allocation-free variant for real-time callers: `scratch` holds
 * st_powerlaw_scratch_size(n, resample_points) doubles. */
ST_API size_t st_powerlaw_scratch_size(int n, int resample_points);
ST_API st_status st_powerlaw_fit_scratch(const double *freq, const double *power, int n,
                                         double f_low, double f_high, int resample_points,
                                         double *scratch, st_powerlaw *fit);
ST_API double st_powerlaw_power(const st_powerlaw *fit, double freq); /* 10^(c - alpha log10 f) */

/* ------------------------------------------------------------------ */
/* Diffusion schedules: x_t = a(t) x0 + s(t) eps, t in [0,1]            */
/* ------------------------------------------------------------------ */

typedef enum {
    ST_SCHEDULE_RECTIFIED_FLOW = 0, /* "rectified-flow": a = 1-t, s = t */
    ST_SCHEDULE_SHIFTED_FLOW,       /* "sd3": t' = 3t/(1+2t), then rectified flow */
    ST_SCHEDULE_COSINE,             /* "cosine": variance preserving, abar as docs/conventions.md */
    ST_SCHEDULE_DDPM_LINEAR,        /* "ddpm": betas 1e-4..0.02 linear, 1000 steps */
    ST_SCHEDULE_SCALED_LINEAR, /* "scaled-linear": Stable Diffusion, sqrt-linear 0.00085..0.012 */
    ST_SCHEDULE_EDM,           /* "edm": a = 1, s in [0.002, 80] (Karras rho = 7) */
    ST_SCHEDULE_COUNT
} st_schedule;

/* Threads: every schedule function is thread-safe and, after the first
 * call for a schedule, lock-free and allocation-free.
 *
 * The schedules are one table in core/schedule.c, in the enum's order
 * (st_schedule 0 .. ST_SCHEDULE_COUNT - 1): every front lists them from
 * there, so a new schedule is a constant above and a row of that table. */

/* Canonical names above; NULL for out of range. */
ST_API const char *st_schedule_name(st_schedule schedule);
/* "Rectified flow", "Shifted rectified flow (SD3, shift 3)", ...: labels for
 * menus; NULL for out of range. */
ST_API const char *st_schedule_label(st_schedule schedule);
/* One-line formula for `spectide schedules` and tooltips. */
ST_API const char *st_schedule_formula(st_schedule schedule);
/* The index-th other name st_schedule_from_name accepts ("rf", ...), or NULL
 * past the last one (or for a schedule out of range). */
ST_API const char *st_schedule_alias(st_schedule schedule, int index);
/* Name (canonical or alias such as "rf", "rectified_flow", "vp-cosine") ->
 * ST_OK, or ST_ERROR_ARGUMENT if unknown. */
ST_API st_status st_schedule_from_name(const char *name, st_schedule *schedule);

/* a(t), s(t). t is clamped to [0,1]. The first call for "ddpm" or
 * "scaled-linear" builds their 1000-step table once (microseconds, behind a
 * pthread_once): real-time code should make one call before its audio thread
 * runs; every later call is lock-free and allocation-free. Every schedule has a(0) = 1, s(0) = 0
 * (t = 0 is the clean image; for EDM and the discrete schedules t > 0 follows
 * their own table, interpolated so that SNR decreases strictly). */
ST_API void st_schedule_coefficients(st_schedule schedule, double t, double *a, double *s);
/* a^2/s^2 (INFINITY at t = 0; 0 where a = 0). */
ST_API double st_schedule_snr(st_schedule schedule, double t);
/* Inverse of SNR(t) by bisection on the strictly decreasing SNR: the t with
 * SNR(t) = snr, clamped to [0,1]. */
ST_API double st_schedule_t_for_snr(st_schedule schedule, double snr);
/* tau * s^2 / a^2: the power below which x0's frequencies drown at the x0
 * scale (INFINITY where a = 0): the noise_floor of st_tide_level_from_schedule
 * (spectide_tide.h) at t clamped to [0, 1]; NaN for an unknown schedule or a
 * tau that is not positive. */
ST_API double st_noise_floor(st_schedule schedule, double t, double tau);

/* ------------------------------------------------------------------ */
/* Maximum detectable frequency                                        */
/* ------------------------------------------------------------------ */

/* Largest freq[i] (i >= 1, DC excluded) with power[i] > noise_floor; 0 if
 * none; NaN for a NaN noise_floor. Thread-safe (pure functions). */
ST_API double st_fmax_measured(const double *freq, const double *power, int n, double noise_floor);
/* (10^c / noise_floor)^(1/alpha), clamped to [0, 0.5]. */
ST_API double st_fmax_from_fit(const st_powerlaw *fit, double noise_floor);

typedef struct {
    double t;
    double a, s;
    double fmax;     /* measured */
    double fmax_fit; /* from the power-law fit */
} st_fmax_row;

/* rows[steps] for t = i/(steps-1), i = 0..steps-1 (steps >= 2). fmax is NaN
 * when freq/power are NULL, fmax_fit NaN when fit is NULL. */
ST_API void st_fmax_table(st_schedule schedule, double tau, const double *freq, const double *power,
                          int n, const st_powerlaw *fit, int steps, st_fmax_row *rows);

/* ------------------------------------------------------------------ */
/* Reproducible Gaussian noise                                          */
/* ------------------------------------------------------------------ */

/* Threads: st_gaussian_at / st_gaussian_fill / st_diffuse are pure and
 * thread-safe; an st_rng is one thread's state. */

/* Counter-based: the value for (seed, index) depends on nothing else, so a
 * preview of a crop and the full image get the same noise at the same pixel
 * on every front. Box-Muller on two 53-bit uniforms from a SplitMix64 hash:
 * words w1, w2 = outputs 2*index+1 and 2*index+2 of SplitMix64 seeded with
 * `seed` (mix(seed + k * 0x9e3779b97f4a7c15)), u1 = ((w1 >> 11) + 0.5) 2^-53,
 * u2 = (w2 >> 11) 2^-53, value = sqrt(-2 ln u1) cos(2 pi u2). For an image,
 * index = y * width + x. */
ST_API double st_gaussian_at(uint64_t seed, uint64_t index);
/* out[i] = st_gaussian_at(seed, first_index + i). */
ST_API void st_gaussian_fill(uint64_t seed, uint64_t first_index, float *out, size_t n);

/* Streaming generator for audio: xoshiro256** seeded by SplitMix64.
 * A plain struct so real-time code can keep it inline without allocation. */
typedef struct {
    uint64_t state[4];
    double spare; /* second Box-Muller value */
    int has_spare;
} st_rng;

ST_API void st_rng_seed(st_rng *rng, uint64_t seed);
ST_API uint64_t st_rng_next(st_rng *rng);
ST_API double st_rng_uniform(st_rng *rng);  /* [0,1) with 53 bits */
ST_API double st_rng_gaussian(st_rng *rng); /* N(0,1), Box-Muller */

/* x_t = a*x0 + s*eps with eps[i] = st_gaussian_at(seed, i). */
ST_API void st_diffuse(const float *x0, size_t n, double a, double s, uint64_t seed, float *xt);

/* ------------------------------------------------------------------ */
/* Fourier-domain filters at the x0 scale                              */
/* ------------------------------------------------------------------ */

typedef struct st_filter st_filter;

/* Plans forward and inverse r2c/c2r FFTs of width x height; NULL on error
 * (ST_ERROR_ARGUMENT for a size out of range, ST_ERROR_MEMORY).
 * Threads: one st_filter is used by one thread at a time. */
ST_API st_filter *st_filter_new(int width, int height, st_status *error);
/* Transforms and caches the spectrum of `image`: later st_filter_apply_*
 * calls only multiply and run the inverse FFT (what makes a GIMP preview of
 * a new t cheap). */
ST_API void st_filter_load(st_filter *filter, const float *image);

/* Limits what the filters below write to rows [row_begin, row_end) of out;
 * the other rows of out are left as they are. The inverse FFT then costs
 * its column half plus only those rows of its row half: a preview showing a
 * few hundred rows of a large image pays a little over half of it.
 * (0, height) restores the whole output, the default. Returns ST_OK, or
 * ST_ERROR_ARGUMENT unless 0 <= row_begin < row_end <= height. */
ST_API st_status st_filter_set_output_rows(st_filter *filter, int row_begin, int row_end);

/* Gain as a function of ring frequency f = ring / L (the RAPSD's rings; the
 * corner bins of the spectrum have rings beyond the last RAPSD ring, f > 0.5
 * possible). The output has the same size as the loaded image. */
typedef double (*st_radial_gain)(double freq, void *user_data);
/* out = inverse FFT of gain(f) * cached spectrum. */
ST_API void st_filter_apply(st_filter *filter, st_radial_gain gain, void *user_data, float *out);
/* Ideal radial low-pass: rings with f <= f_cut kept, all others removed. */
ST_API void st_filter_ideal_lowpass(st_filter *filter, double f_cut, float *out);
/* Gaussian low-pass exp(-f^2 / (2 f_sigma^2)). */
ST_API void st_filter_gaussian_lowpass(st_filter *filter, double f_sigma, float *out);
/* Wiener W(f) = a^2 S(f) / (a^2 S(f) + s^2), S = the RAPSD `ring_power`
 * (ring_count values of x0, i.e. st_rapsd_run's output) when non-NULL, else
 * the power-law `fit` (DC kept). Corner bins beyond the last ring use the
 * last ring's power. Applied to the cached image, which should be x_t / a
 * for denoising (then the noise power is s^2/a^2 at the x0 scale: W is the
 * same gain, written with a and s). */
ST_API void st_filter_wiener(st_filter *filter, const double *ring_power, const st_powerlaw *fit,
                             double a, double s, float *out);
/* The Wiener estimate of x0 from x_t / a = x0 + noise_scale * eps when the
 * two parts are transformed separately: `filter` holds the spectrum of x0
 * and `noise` that of eps (both loaded with st_filter_load). out = W (x0 +
 * noise_scale * eps), W as in st_filter_wiener, with one inverse FFT and no
 * forward one: a preview that moves t (a, s and noise_scale = s/a change,
 * x0 and eps do not) pays one c2r per channel. `noise` is only read.
 * Returns ST_OK; ST_ERROR_MISMATCH if the two sizes differ; ST_ERROR_ARGUMENT
 * for a NULL pointer or a non-finite noise_scale. */
ST_API st_status st_filter_wiener_with_noise(st_filter *filter, const st_filter *noise,
                                             double noise_scale, const double *ring_power,
                                             const st_powerlaw *fit, double a, double s,
                                             float *out);
/* The gain itself, exposed for tests and plots. */
ST_API double st_wiener_gain(double signal_power, double a, double s);
ST_API void st_filter_free(st_filter *filter);

#ifdef __cplusplus
}
#endif

#endif /* SPECTIDE_H */
