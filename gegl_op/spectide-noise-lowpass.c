/* spectide:noise-lowpass, a GEGL operation: diffusion noise and the
 * low-pass filter it amounts to, as one filter with a choice of view.
 *
 *   gegl photo.png -o out.png -- spectide:noise-lowpass t=0.3 view=wiener
 *
 * The same numbers as `spectide tide` and GIMP's Noise as Low-pass: the
 * tide level and the image pipeline are core's (st_tide_level_from_settings,
 * st_tide_image: the noisy image x_t / a, the ideal low-pass at f_max, the
 * Wiener estimate, split noisy | low-pass at the middle column; the noise
 * of the input's extent as if it were the whole image), on the non-linear
 * values. Alpha passes through; float output keeps values outside [0, 1].
 * Where a(t) = 0 (x_t / a undefined) the input passes through unchanged.
 *
 * A whole-image operation: every output pixel depends on every input pixel
 * through the FFT, so the whole input is required for any output tile, and
 * the whole extent is the cached region: GEGL runs process() once per
 * render for the whole image and serves tiles from its cache (the pattern
 * of gegl:stretch-contrast). Numerics are spectide's core only.
 *
 * The enumerations (schedule, view, channel) are core's tables, registered
 * as GEnum types when the operation's class is made: a schedule added to
 * core is offered here with no edit, under the name `spectide schedules`
 * prints (the nick, what GIMP 3 stores in an XCF) and core's label.
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

/* gegl-op.h includes this part once per pass: declare the enum types once.
 * Their values come from core's tables at run time (the _get_type
 * functions after gegl-op.h), not from enum_value lists. */
#ifndef SPECTIDE_NOISE_LOWPASS_ENUMS
#define SPECTIDE_NOISE_LOWPASS_ENUMS
#include "spectide_tide.h"
typedef st_schedule SpectideNoiseLowpassSchedule;
typedef st_tide_view SpectideNoiseLowpassView;
typedef st_channel SpectideNoiseLowpassChannel;
static GType spectide_noise_lowpass_schedule_get_type(void);
static GType spectide_noise_lowpass_view_get_type(void);
static GType spectide_noise_lowpass_channel_get_type(void);
#endif

property_enum (schedule, _("Schedule"), SpectideNoiseLowpassSchedule,
               spectide_noise_lowpass_schedule, ST_SCHEDULE_RECTIFIED_FLOW)
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
               spectide_noise_lowpass_view, ST_TIDE_VIEW_SPLIT)
  description (_("What the filter shows"))

property_enum (channel, _("Analysis channel"), SpectideNoiseLowpassChannel,
               spectide_noise_lowpass_channel, ST_CHANNEL_GREEN)
  description (_("Channel of RGB whose spectrum gives f_max"))

#else

#define GEGL_OP_FILTER
#define GEGL_OP_NAME     spectide_noise_lowpass
#define GEGL_OP_C_SOURCE spectide-noise-lowpass.c

#include "gegl-op.h"
/* clang-format on */

#include <math.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* The enumerations, from core's tables                                */
/* ------------------------------------------------------------------ */

/* A GEnum type whose values are entries 0 .. count - 1 of a core table
 * (nick: the name, label: the menu label). `values` has count + 1 slots
 * and lives as long as the type (GLib's rule for static enums). */
static GType register_enum(const char *type_name, GEnumValue *values, int count,
                           const char *(*name)(int), const char *(*label)(int))
{
    for (int i = 0; i < count; i++)
        values[i] = (GEnumValue){i, label(i), name(i)};
    values[count] = (GEnumValue){0, NULL, NULL};
    return g_enum_register_static(type_name, values);
}

static const char *schedule_name(int i)
{
    return st_schedule_name((st_schedule)i);
}

static const char *schedule_label(int i)
{
    return st_schedule_label((st_schedule)i);
}

static const char *view_name(int i)
{
    return st_tide_view_name((st_tide_view)i);
}

static const char *view_label(int i)
{
    return st_tide_view_label((st_tide_view)i);
}

static const char *channel_name(int i)
{
    return st_channel_name((st_channel)i);
}

static const char *channel_label(int i)
{
    return st_channel_label((st_channel)i);
}

static GType spectide_noise_lowpass_schedule_get_type(void)
{
    static GEnumValue values[ST_SCHEDULE_COUNT + 1];
    static gsize type = 0;
    if (g_once_init_enter(&type))
        g_once_init_leave(&type, register_enum("SpectideNoiseLowpassSchedule", values,
                                               ST_SCHEDULE_COUNT, schedule_name, schedule_label));
    return type;
}

static GType spectide_noise_lowpass_view_get_type(void)
{
    static GEnumValue values[ST_TIDE_VIEW_COUNT + 1];
    static gsize type = 0;
    if (g_once_init_enter(&type))
        g_once_init_leave(&type, register_enum("SpectideNoiseLowpassView", values,
                                               ST_TIDE_VIEW_COUNT, view_name, view_label));
    return type;
}

static GType spectide_noise_lowpass_channel_get_type(void)
{
    static GEnumValue values[ST_CHANNEL_COUNT + 1];
    static gsize type = 0;
    if (g_once_init_enter(&type))
        g_once_init_leave(&type, register_enum("SpectideNoiseLowpassChannel", values,
                                               ST_CHANNEL_COUNT, channel_name, channel_label));
    return type;
}

/* ------------------------------------------------------------------ */
/* The operation                                                       */
/* ------------------------------------------------------------------ */

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

/* The view of every colour channel of `pixels` into `out` (same layout,
 * alpha already there). FALSE if memory is short. */
static gboolean render_view(GeglProperties *o, const st_tide_level *level, const float *pixels,
                            int width, int height, int components, float *out)
{
    st_status status = ST_OK;
    st_tide_image *tide =
        st_tide_image_new(pixels, width, height, components, (size_t)width * (size_t)components,
                          (st_channel)o->channel, NULL, ST_TIDE_IMAGE_ONE_LEVEL, &status);
    size_t n = (size_t)width * (size_t)height;
    float *plane = tide ? g_try_new(float, n) : NULL;
    gboolean ok = plane && st_tide_image_set_level(tide, level, (uint64_t)o->seed) == ST_OK;
    for (int c = 0; ok && c < st_tide_image_colors(tide); c++) {
        ok = st_tide_image_run(tide, (st_tide_view)o->view, c, plane) == ST_OK;
        for (size_t i = 0; ok && i < n; i++)
            out[i * (size_t)components + (size_t)c] = st_x_to_value(plane[i]);
    }
    if (!ok)
        g_warning("spectide:noise-lowpass: cannot filter %dx%d pixels: %s", width, height,
                  st_status_message(tide ? ST_ERROR_MEMORY : status));
    g_free(plane);
    st_tide_image_free(tide);
    return ok;
}

static gboolean process(GeglOperation *operation, GeglBuffer *input, GeglBuffer *output,
                        const GeglRectangle *result, gint level_of_detail)
{
    (void)result;
    (void)level_of_detail;
    GeglProperties *o = GEGL_PROPERTIES(operation);
    const GeglRectangle *bounds = gegl_operation_source_get_bounding_box(operation, "input");
    if (!bounds || bounds->width < 1 || bounds->height < 1)
        return TRUE;
    GeglRectangle extent = *bounds;
    const Babl *format = gegl_operation_get_format(operation, "output");
    int components = babl_format_get_n_components(format);
    int width = extent.width, height = extent.height;
    size_t count = (size_t)width * (size_t)height * (size_t)components;

    float *pixels = g_try_new(float, count);
    float *out = pixels ? g_try_new(float, count) : NULL;
    if (!out) {
        g_warning("spectide:noise-lowpass: not enough memory for %dx%d pixels", width, height);
        g_free(pixels);
        return FALSE;
    }
    gegl_buffer_get(input, &extent, 1.0, format, pixels, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
    memcpy(out, pixels, count * sizeof(float)); /* alpha, and the input where a = 0 */

    st_tide_level level;
    st_status status =
        st_tide_level_from_settings((st_schedule)o->schedule, o->t, o->sigma, o->tau, &level);
    /* Where a(t) = 0, x_t / a is undefined: the input passes through. */
    gboolean ok =
        status == ST_ERROR_NO_SIGNAL ||
        (status == ST_OK && render_view(o, &level, pixels, width, height, components, out));
    if (status != ST_OK && status != ST_ERROR_NO_SIGNAL)
        g_warning("spectide:noise-lowpass: %s", level.problem);
    if (ok)
        gegl_buffer_set(output, &extent, 0, format, out, GEGL_AUTO_ROWSTRIDE);
    g_free(pixels);
    g_free(out);
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
