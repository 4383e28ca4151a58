/* spectide:noise-lowpass, a GEGL operation: diffusion noise and the
 * low-pass filter it amounts to, as one filter with a choice of view.
 *
 *   gegl photo.png -o out.png -- spectide:noise-lowpass t=0.3 view=wiener
 *
 * The same numbers as `spectide tide` and GIMP's Noise as Low-pass
 * (docs/conventions.md): pixels x0 = 2v - 1 of the non-linear values; noisy
 * x_t / a = x0 + (s/a) eps with eps of channel c at (x, y) the core's
 * counter-based Gaussian of index c*W*H + y*W + x (W x H the input's
 * extent, x and y from its corner); the ideal low-pass of x0 at f_max, the
 * largest frequency of the analysis channel's RAPSD above tau s^2/a^2; the
 * Wiener filter a^2 S / (a^2 S + s^2) of x_t / a, S each channel's own
 * RAPSD; split: noisy left of the middle column, low-pass from it on.
 * Alpha passes through; float output keeps values outside [0, 1]. Where
 * a(t) = 0 (x_t / a undefined) the input passes through unchanged.
 *
 * A whole-image operation: every output pixel depends on every input pixel
 * through the FFT, so the whole input is required for any output tile, and
 * the whole extent is the cached region: GEGL runs process() once per
 * render for the whole image and serves tiles from its cache (the pattern
 * of gegl:stretch-contrast). Numerics are spectide's core only.
 *
 * The nicks of the enumerations are the plug-in's (gimp_plugin/shared):
 * schedules as `spectide schedules` names them, views as stg_view_nick().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
/* No translations: the domain exists only so that gegl-op.h compiles. */
#define GETTEXT_PACKAGE "spectide"
#include <glib/gi18n.h>

/* The property DSL of gegl-op.h and GEGL_OP_C_SOURCE (stringified: no
 * spaces allowed) are not C that clang-format understands. */
/* clang-format off */
#ifdef GEGL_PROPERTIES

enum_start (spectide_noise_lowpass_schedule)
  enum_value (SPECTIDE_SCHEDULE_RECTIFIED_FLOW, "rectified-flow", N_("Rectified flow"))
  enum_value (SPECTIDE_SCHEDULE_SD3,            "sd3",            N_("Shifted rectified flow (SD3, shift 3)"))
  enum_value (SPECTIDE_SCHEDULE_COSINE,         "cosine",         N_("Cosine (variance preserving)"))
  enum_value (SPECTIDE_SCHEDULE_DDPM,           "ddpm",           N_("DDPM linear betas"))
  enum_value (SPECTIDE_SCHEDULE_SCALED_LINEAR,  "scaled-linear",  N_("Stable Diffusion scaled-linear"))
  enum_value (SPECTIDE_SCHEDULE_EDM,            "edm",            N_("EDM (variance exploding)"))
enum_end (SpectideNoiseLowpassSchedule)

enum_start (spectide_noise_lowpass_view)
  enum_value (SPECTIDE_VIEW_NOISY,   "noisy",    N_("Noisy x_t/a"))
  enum_value (SPECTIDE_VIEW_LOWPASS, "low-pass", N_("Ideal low-pass at f_max"))
  enum_value (SPECTIDE_VIEW_WIENER,  "wiener",   N_("Wiener"))
  enum_value (SPECTIDE_VIEW_SPLIT,   "split",    N_("Split: noisy | low-pass"))
enum_end (SpectideNoiseLowpassView)

enum_start (spectide_noise_lowpass_channel)
  enum_value (SPECTIDE_CHANNEL_GREEN, "green", N_("Green"))
  enum_value (SPECTIDE_CHANNEL_LUMA,  "luma",  N_("Luma"))
  enum_value (SPECTIDE_CHANNEL_RED,   "red",   N_("Red"))
  enum_value (SPECTIDE_CHANNEL_BLUE,  "blue",  N_("Blue"))
enum_end (SpectideNoiseLowpassChannel)

property_enum (schedule, _("Schedule"), SpectideNoiseLowpassSchedule,
               spectide_noise_lowpass_schedule, SPECTIDE_SCHEDULE_RECTIFIED_FLOW)
  description (_("Diffusion schedule x_t = a(t) x0 + s(t) eps"))

property_double (t, _("t"), 0.3)
  description (_("Diffusion time in [0, 1]"))
  value_range (0.0, 1.0)

property_double (sigma, _("Sigma"), 0.0)
  description (_("Plain noise level (pixels mapped to [-1,1]); > 0 overrides schedule and t"))
  value_range (0.0, 1000.0)
  ui_range (0.0, 4.0)

property_double (tau, _("Tau"), 1.0)
  description (_("SNR threshold for f_max"))
  value_range (1e-6, 1e6)
  ui_range (0.01, 100.0)

property_int (seed, _("Seed"), 1)
  description (_("Noise seed: the same seed gives the same noise as spectide tide and GIMP"))
  value_range (0, G_MAXINT)
  ui_range (0, 9999)

property_enum (view, _("View"), SpectideNoiseLowpassView,
               spectide_noise_lowpass_view, SPECTIDE_VIEW_SPLIT)
  description (_("What the filter shows"))

property_enum (channel, _("Analysis channel"), SpectideNoiseLowpassChannel,
               spectide_noise_lowpass_channel, SPECTIDE_CHANNEL_GREEN)
  description (_("Channel of RGB whose spectrum gives f_max"))

#else

#define GEGL_OP_FILTER
#define GEGL_OP_NAME     spectide_noise_lowpass
#define GEGL_OP_C_SOURCE spectide-noise-lowpass.c

#include "gegl-op.h"
/* clang-format on */

#include <math.h>
#include <string.h>

#include "spectide.h"

/* Gray inputs are filtered as one channel (with its alpha), colour ones as
 * three: the plug-in's rule. */
static gboolean input_is_gray(GeglOperation *operation)
{
    const Babl *format = gegl_operation_get_source_format(operation, "input");
    return format && babl_get_name(babl_format_get_model(format))[0] == 'Y';
}

static void prepare(GeglOperation *operation)
{
    const Babl *space = gegl_operation_get_source_space(operation, "input");
    const Babl *format =
        babl_format_with_space(input_is_gray(operation) ? "Y'A float" : "R'G'B'A float", space);
    gegl_operation_set_format(operation, "input", format);
    gegl_operation_set_format(operation, "output", format);
}

static GeglRectangle get_required_for_output(GeglOperation *operation, const gchar *input_pad,
                                             const GeglRectangle *roi)
{
    (void)input_pad;
    const GeglRectangle *bounds = gegl_operation_source_get_bounding_box(operation, "input");
    if (!bounds || gegl_rectangle_is_infinite_plane(bounds))
        return *roi;
    return *bounds;
}

static GeglRectangle get_cached_region(GeglOperation *operation, const GeglRectangle *roi)
{
    const GeglRectangle *bounds = gegl_operation_source_get_bounding_box(operation, "input");
    if (!bounds || gegl_rectangle_is_infinite_plane(bounds))
        return *roi;
    return *bounds;
}

/* The RAPSD of one plane (ring_count values, new); NULL if memory is short. */
static double *plane_rapsd(const float *plane, int width, int height, int *rings)
{
    st_rapsd *rapsd = st_rapsd_new(width, height, NULL);
    double *power = rapsd ? g_try_new(double, st_rapsd_ring_count(rapsd)) : NULL;
    if (power) {
        *rings = st_rapsd_ring_count(rapsd);
        st_rapsd_run(rapsd, plane, power);
    }
    st_rapsd_free(rapsd);
    return power;
}

static st_channel analysis_channel(GeglProperties *o)
{
    switch (o->channel) {
    case SPECTIDE_CHANNEL_LUMA:
        return ST_CHANNEL_LUMA;
    case SPECTIDE_CHANNEL_RED:
        return ST_CHANNEL_RED;
    case SPECTIDE_CHANNEL_BLUE:
        return ST_CHANNEL_BLUE;
    default:
        return ST_CHANNEL_GREEN;
    }
}

/* f_max of the analysis channel for the noise floor; -1 if memory is short. */
static double analysis_fmax(const float *pixels, int width, int height, int components,
                            st_channel channel, double floor)
{
    size_t n = (size_t)width * (size_t)height;
    float *analysis = g_try_new(float, n);
    st_rapsd *rapsd = analysis ? st_rapsd_new(width, height, NULL) : NULL;
    int rings = rapsd ? st_rapsd_ring_count(rapsd) : 0;
    double *freq = rapsd ? g_try_new(double, rings) : NULL;
    double *power = rapsd ? g_try_new(double, rings) : NULL;
    double fmax = -1.0;
    if (freq && power) {
        st_pixels_to_analysis(pixels, width, height, components, (size_t)width * components,
                              channel, analysis);
        st_rapsd_frequencies(rapsd, freq);
        st_rapsd_run(rapsd, analysis, power);
        fmax = isfinite(floor) ? st_fmax_measured(freq, power, rings, floor) : 0.0;
    }
    st_rapsd_free(rapsd);
    g_free(analysis);
    g_free(freq);
    g_free(power);
    return fmax;
}

/* One colour channel: x0 into `clean`, the view into `out` (both n floats). */
static gboolean filter_channel(GeglProperties *o, st_filter *filter, const float *pixels, int width,
                               int height, int components, int color, double a, double s,
                               double fmax, float *clean, float *noisy, float *out)
{
    size_t n = (size_t)width * (size_t)height;
    for (size_t i = 0; i < n; i++) {
        float v = pixels[i * (size_t)components + (size_t)color];
        clean[i] = isfinite(v) ? 2.0f * v - 1.0f : 0.0f;
    }
    gboolean need_noisy = o->view != SPECTIDE_VIEW_LOWPASS;
    if (need_noisy) {
        /* x_t / a = x0 + (s/a) eps, eps at index color*W*H + y*W + x. */
        st_gaussian_fill((uint64_t)o->seed, (uint64_t)color * n, noisy, n);
        float k = (float)(s / a);
        for (size_t i = 0; i < n; i++)
            noisy[i] = clean[i] + k * noisy[i];
    }
    switch (o->view) {
    case SPECTIDE_VIEW_NOISY:
        memcpy(out, noisy, n * sizeof(float));
        break;
    case SPECTIDE_VIEW_WIENER: {
        int rings = 0;
        double *power = plane_rapsd(clean, width, height, &rings);
        if (!power)
            return FALSE;
        st_filter_load(filter, noisy);
        st_filter_wiener(filter, power, NULL, a, s, out);
        g_free(power);
        break;
    }
    default: /* low-pass, split */
        st_filter_load(filter, clean);
        st_filter_ideal_lowpass(filter, fmax, out);
        if (o->view == SPECTIDE_VIEW_SPLIT)
            for (int y = 0; y < height; y++)
                memcpy(out + (size_t)y * width, noisy + (size_t)y * width,
                       (size_t)(width / 2) * sizeof(float));
        break;
    }
    return TRUE;
}

static gboolean process(GeglOperation *operation, GeglBuffer *input, GeglBuffer *output,
                        const GeglRectangle *result, gint level)
{
    (void)result;
    (void)level;
    GeglProperties *o = GEGL_PROPERTIES(operation);
    const GeglRectangle *bounds = gegl_operation_source_get_bounding_box(operation, "input");
    if (!bounds || bounds->width < 1 || bounds->height < 1)
        return TRUE;
    GeglRectangle extent = *bounds;
    const Babl *format = gegl_operation_get_format(operation, "output");
    int components = babl_format_get_n_components(format);
    int colors = components - 1;
    int width = extent.width, height = extent.height;
    size_t n = (size_t)width * (size_t)height;

    float *pixels = g_try_new(float, n *(size_t)components);
    if (!pixels) {
        g_warning("spectide:noise-lowpass: not enough memory for %dx%d pixels", width, height);
        return FALSE;
    }
    gegl_buffer_get(input, &extent, 1.0, format, pixels, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);

    double a = 1.0, s = o->sigma;
    if (!(o->sigma > 0.0))
        st_schedule_coefficients((st_schedule)o->schedule, o->t, &a, &s);
    if (!(a > 0.0)) {
        /* x_t / a is undefined: pass the input through. */
        gegl_buffer_set(output, &extent, 0, format, pixels, GEGL_AUTO_ROWSTRIDE);
        g_free(pixels);
        return TRUE;
    }

    double fmax = analysis_fmax(pixels, width, height, components,
                                colors == 1 ? ST_CHANNEL_GREEN : analysis_channel(o),
                                o->tau * s * s / (a * a));
    float *clean = g_try_new(float, n), *noisy = g_try_new(float, n);
    float *out = g_try_new(float, n);
    st_status status = ST_ERROR_MEMORY;
    st_filter *filter = clean && noisy && out ? st_filter_new(width, height, &status) : NULL;
    gboolean ok = filter && fmax >= 0.0;
    for (int c = 0; c < colors && ok; c++) {
        ok = filter_channel(o, filter, pixels, width, height, components, c, a, s, fmax, clean,
                            noisy, out);
        for (size_t i = 0; ok && i < n; i++)
            pixels[i * (size_t)components + (size_t)c] = 0.5f * (out[i] + 1.0f);
    }
    if (ok)
        gegl_buffer_set(output, &extent, 0, format, pixels, GEGL_AUTO_ROWSTRIDE);
    else
        g_warning("spectide:noise-lowpass: cannot filter %dx%d pixels: %s", width, height,
                  st_status_message(filter ? ST_ERROR_MEMORY : status));
    st_filter_free(filter);
    g_free(clean);
    g_free(noisy);
    g_free(out);
    g_free(pixels);
    return ok;
}

static void gegl_op_class_init(GeglOpClass *klass)
{
    GeglOperationClass *operation_class = GEGL_OPERATION_CLASS(klass);
    GeglOperationFilterClass *filter_class = GEGL_OPERATION_FILTER_CLASS(klass);

    /* Inside someone else's process (GIMP, the gegl command): leave its FFTW
     * state alone. */
    st_fftw_configure(ST_FFTW_PRIVATE);

    operation_class->prepare = prepare;
    operation_class->get_required_for_output = get_required_for_output;
    operation_class->get_cached_region = get_cached_region;
    /* One whole-image computation per render, not one per thread's tile. */
    operation_class->threaded = FALSE;
    operation_class->opencl_support = FALSE;
    filter_class->process = process;

    gegl_operation_class_set_keys(
        operation_class, "name", "spectide:noise-lowpass", "title", _("Noise as Low-pass"),
        "categories", "noise", "position-dependent", "true", "description",
        _("Diffusion noise of a schedule at time t (or a plain sigma) and the low-pass filter it "
          "amounts to: the noisy image x_t/a, the ideal low-pass at f_max, the Wiener estimate, "
          "or noisy and low-pass side by side (spectide)"),
        NULL);
}

#endif
