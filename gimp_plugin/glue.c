/* Host glue shared by both procedures (see spectide-gimp.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sys/stat.h>

#include "spectide-gimp.h"

GQuark spectide_error_quark(void)
{
    return g_quark_from_static_string("spectide-gimp-error");
}

#define SPECTIDE_ERROR spectide_error_quark()

/* ------------------------------------------------------------------ */
/* Tide                                                                */
/* ------------------------------------------------------------------ */

void tide_coefficients(const TideParams *tide, double *a, double *s)
{
    if (tide->sigma > 0.0) {
        *a = 1.0;
        *s = tide->sigma;
        return;
    }
    st_schedule_coefficients((st_schedule)tide->schedule, tide->t, a, s);
}

double tide_noise_floor(const TideParams *tide)
{
    double a, s;
    tide_coefficients(tide, &a, &s);
    if (!(a > 0.0))
        return INFINITY;
    return tide->tau * s * s / (a * a);
}

void tide_describe(const TideParams *tide, char *text, size_t size)
{
    if (tide->sigma > 0.0)
        g_snprintf(text, size, "sigma=%.3g", tide->sigma);
    else
        g_snprintf(text, size, "t=%.3g", tide->t);
}

gboolean tide_validate(TideParams *tide, GError **error)
{
    if (tide->schedule < 0 || tide->schedule >= ST_SCHEDULE_COUNT) {
        g_set_error(error, SPECTIDE_ERROR, 1, "schedule %d is not one of 0..%d", tide->schedule,
                    ST_SCHEDULE_COUNT - 1);
        return FALSE;
    }
    if (!isfinite(tide->t) || tide->t < 0.0 || tide->t > 1.0) {
        g_set_error(error, SPECTIDE_ERROR, 1, "t = %g is outside [0, 1]", tide->t);
        return FALSE;
    }
    if (!isfinite(tide->sigma) || tide->sigma < 0.0) {
        g_set_error(error, SPECTIDE_ERROR, 1, "sigma = %g must be >= 0 (0: use the schedule)",
                    tide->sigma);
        return FALSE;
    }
    if (!isfinite(tide->tau) || tide->tau <= 0.0) {
        g_set_error(error, SPECTIDE_ERROR, 1, "tau = %g must be > 0", tide->tau);
        return FALSE;
    }
    return TRUE;
}

/* ------------------------------------------------------------------ */
/* Pixels                                                              */
/* ------------------------------------------------------------------ */

const Babl *region_float_format(gint components)
{
    static const char *const names[5] = {NULL, "Y' float", "Y'A float", "R'G'B' float",
                                         "R'G'B'A float"};
    return babl_format(names[CLAMP(components, 1, 4)]);
}

const Babl *region_u8_format(gint components)
{
    static const char *const names[5] = {NULL, "Y' u8", "Y'A u8", "R'G'B' u8", "R'G'B'A u8"};
    return babl_format(names[CLAMP(components, 1, 4)]);
}

gboolean region_check_drawable(gint32 drawable_id, GError **error)
{
    if (!gimp_item_is_valid(drawable_id) || !gimp_item_is_drawable(drawable_id)) {
        g_set_error(error, SPECTIDE_ERROR, 1, "%d is not a valid drawable", drawable_id);
        return FALSE;
    }
    if (gimp_drawable_is_indexed(drawable_id)) {
        g_set_error(error, SPECTIDE_ERROR, 1,
                    "spectide works on RGB and grayscale images, not indexed ones: "
                    "convert the image to RGB first (Image > Mode > RGB)");
        return FALSE;
    }
    return TRUE;
}

gboolean region_read(gint32 drawable_id, RegionPixels *region, GError **error)
{
    memset(region, 0, sizeof *region);
    if (!region_check_drawable(drawable_id, error))
        return FALSE;
    region->drawable_id = drawable_id;
    region->full_width = gimp_drawable_width(drawable_id);
    region->full_height = gimp_drawable_height(drawable_id);
    /* Selections are honoured by working on their bounds, like GIMP's own
     * frequency-domain filters (the FFT needs a rectangle). */
    if (!gimp_drawable_mask_intersect(drawable_id, &region->x, &region->y, &region->width,
                                      &region->height) ||
        region->width < 1 || region->height < 1) {
        g_set_error(error, SPECTIDE_ERROR, 1, "the selection does not touch the drawable");
        return FALSE;
    }
    region->has_alpha = gimp_drawable_has_alpha(drawable_id);
    region->colors = gimp_drawable_is_rgb(drawable_id) ? 3 : 1;
    region->components = region->colors + (region->has_alpha ? 1 : 0);
    size_t count = (size_t)region->width * (size_t)region->height * (size_t)region->components;
    region->pixels = g_try_malloc(count * sizeof(float));
    if (!region->pixels) {
        g_set_error(error, SPECTIDE_ERROR, 1, "not enough memory for %dx%d pixels", region->width,
                    region->height);
        return FALSE;
    }
    /* GEGL converts every precision (8/16/32-bit integer, half, float,
     * linear or perceptual) to the non-linear float values a PNG holds. */
    GeglBuffer *buffer = gimp_drawable_get_buffer(drawable_id);
    gegl_buffer_get(buffer, GEGL_RECTANGLE(region->x, region->y, region->width, region->height),
                    1.0, region_float_format(region->components), region->pixels,
                    GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
    g_object_unref(buffer);
    return TRUE;
}

void region_clear(RegionPixels *region)
{
    g_free(region->pixels);
    memset(region, 0, sizeof *region);
}

void region_color_plane(const RegionPixels *region, gint color, float *x)
{
    size_t n = (size_t)region->width * (size_t)region->height;
    const float *src = region->pixels + color;
    for (size_t i = 0; i < n; i++) {
        float v = src[i * (size_t)region->components];
        x[i] = isfinite(v) ? 2.0f * v - 1.0f : 0.0f;
    }
}

/* ------------------------------------------------------------------ */
/* Spectrum                                                            */
/* ------------------------------------------------------------------ */

gboolean spectrum_compute(const RegionPixels *region, st_channel channel, Spectrum *spectrum,
                          GError **error)
{
    memset(spectrum, 0, sizeof *spectrum);
    size_t n = (size_t)region->width * (size_t)region->height;
    float *analysis = g_try_malloc(n * sizeof(float));
    st_rapsd *rapsd = analysis ? st_rapsd_new(region->width, region->height, NULL) : NULL;
    if (!rapsd) {
        g_free(analysis);
        g_set_error(error, SPECTIDE_ERROR, 1, "cannot analyse %dx%d pixels (size or memory)",
                    region->width, region->height);
        return FALSE;
    }
    st_pixels_to_analysis(region->pixels, region->width, region->height, region->components,
                          (size_t)region->width * (size_t)region->components, channel, analysis);
    spectrum->ring_count = st_rapsd_ring_count(rapsd);
    spectrum->freq = g_new(double, spectrum->ring_count);
    spectrum->power = g_new(double, spectrum->ring_count);
    st_rapsd_frequencies(rapsd, spectrum->freq);
    st_rapsd_run(rapsd, analysis, spectrum->power);
    st_rapsd_free(rapsd);
    g_free(analysis);
    /* Tiny images have too few rings for a fit: the plot still shows them. */
    spectrum->fit_ok = st_powerlaw_fit(spectrum->freq, spectrum->power, spectrum->ring_count, 0.0,
                                       0.0, 0, &spectrum->fit) == ST_OK;
    return TRUE;
}

void spectrum_clear(Spectrum *spectrum)
{
    g_free(spectrum->freq);
    g_free(spectrum->power);
    memset(spectrum, 0, sizeof *spectrum);
}

double spectrum_fmax(const Spectrum *spectrum, const TideParams *tide)
{
    double floor = tide_noise_floor(tide);
    if (!isfinite(floor))
        return 0.0;
    return st_fmax_measured(spectrum->freq, spectrum->power, spectrum->ring_count, floor);
}

gboolean spectrum_write_csv(const Spectrum *spectrum, const char *filename, GError **error)
{
    gchar *temporary = g_strdup_printf("%s.XXXXXX", filename);
    int fd = g_mkstemp(temporary);
    if (fd >= 0) {
        /* mkstemp makes 0600; a CSV is an ordinary file (0666 minus umask). */
        mode_t mask = umask(0);
        umask(mask);
        fchmod(fd, 0666 & ~mask);
    }
    FILE *file = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!file) {
        g_set_error(error, SPECTIDE_ERROR, 1, "cannot write %s: %s", filename, g_strerror(errno));
        if (fd >= 0) {
            close(fd);
            g_unlink(temporary);
        }
        g_free(temporary);
        return FALSE;
    }
    fprintf(file, "freq,power\n");
    for (int i = 0; i < spectrum->ring_count; i++)
        fprintf(file, "%.9g,%.9g\n", spectrum->freq[i], spectrum->power[i]);
    gboolean ok = !ferror(file);
    ok = (fclose(file) == 0) && ok;
    if (ok && g_rename(temporary, filename) != 0)
        ok = FALSE;
    if (!ok) {
        g_set_error(error, SPECTIDE_ERROR, 1, "cannot write %s: %s", filename, g_strerror(errno));
        g_unlink(temporary);
    }
    g_free(temporary);
    return ok;
}

/* ------------------------------------------------------------------ */
/* Plot                                                                */
/* ------------------------------------------------------------------ */

void spectrum_fill_plot(const Spectrum *spectrum, const TideParams *tide, sv_plot *plot,
                        const char *title)
{
    int n = spectrum->ring_count;
    double a, s;
    tide_coefficients(tide, &a, &s);
    double floor = tide_noise_floor(tide);
    double fmax = spectrum_fmax(spectrum, tide);
    char label[128], tide_text[64];
    tide_describe(tide, tide_text, sizeof tide_text);

    sv_plot_clear(plot);
    sv_plot_set_title(plot, title);
    sv_plot_set_x_axis(plot, "frequency (cycles/pixel)", SV_AXIS_LOG, 0.0, 0.0, 0);
    sv_plot_set_y_axis(plot, "power", SV_AXIS_LOG, 0.0, 0.0);
    /* DC (f = 0) is a gap on the log axis by the view's own rule. */
    int signal = sv_plot_add_curve(plot, spectrum->freq, spectrum->power, n, "image RAPSD",
                                   SV_COLOR_SIGNAL, SV_LINE_SOLID);
    if (spectrum->fit_ok) {
        double *fit = g_new(double, n);
        for (int i = 0; i < n; i++)
            fit[i] = spectrum->freq[i] > 0.0 ? st_powerlaw_power(&spectrum->fit, spectrum->freq[i])
                                             : NAN;
        g_snprintf(label, sizeof label, "fit alpha=%.2f R\xc2\xb2=%.3f", spectrum->fit.alpha,
                   spectrum->fit.r_squared);
        sv_plot_add_curve(plot, spectrum->freq, fit, n, label, SV_COLOR_FIT, SV_LINE_DOTTED);
        g_free(fit);
    }
    if (isfinite(floor) && floor > 0.0) {
        /* What x_t / a shows on average: the clean spectrum plus the flat
         * noise s^2/a^2, a hinge where the two cross. */
        double *noisy = g_new(double, n);
        for (int i = 0; i < n; i++)
            noisy[i] = spectrum->power[i] + s * s / (a * a);
        g_snprintf(label, sizeof label, "noisy x_t/a %s", tide_text);
        sv_plot_add_curve(plot, spectrum->freq, noisy, n, label, SV_COLOR_NOISY, SV_LINE_SOLID);
        g_free(noisy);
        g_snprintf(label, sizeof label, "noise floor tau*s\xc2\xb2/a\xc2\xb2");
        sv_plot_add_hline(plot, floor, label, SV_COLOR_NOISE, SV_LINE_DASHED);
        sv_plot_shade_below(plot, signal, floor);
    }
    if (fmax > 0.0) {
        g_snprintf(label, sizeof label, "f_max=%.4g", fmax);
        sv_plot_add_vline(plot, fmax, label, SV_COLOR_FMAX, SV_LINE_DASHED);
    }
    char note[256];
    if (spectrum->fit_ok)
        g_snprintf(note, sizeof note, "alpha = %.3f\nR\xc2\xb2 = %.4f\nf_max = %.4g c/px",
                   spectrum->fit.alpha, spectrum->fit.r_squared, fmax);
    else
        g_snprintf(note, sizeof note, "too few rings to fit\nf_max = %.4g c/px", fmax);
    sv_plot_set_note(plot, note);
}

gint32 spectrum_plot_image(const Spectrum *spectrum, const TideParams *tide, const char *title,
                           gint width, gint height)
{
    cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
    cairo_t *cr = cairo_create(surface);
    sv_plot *plot = sv_plot_new();
    spectrum_fill_plot(spectrum, tide, plot, title);
    sv_plot_draw(plot, cr, 0, 0, width, height);
    sv_plot_free(plot);
    cairo_destroy(cr);
    cairo_surface_flush(surface);

    /* cairo RGB24 is a native-endian 0x00RRGGBB word per pixel. */
    guchar *rgb = g_new(guchar, (size_t)width * (size_t)height * 3);
    const guchar *data = cairo_image_surface_get_data(surface);
    int stride = cairo_image_surface_get_stride(surface);
    for (int y = 0; y < height; y++) {
        const guint32 *row = (const guint32 *)(const void *)(data + (size_t)y * (size_t)stride);
        guchar *out = rgb + (size_t)y * (size_t)width * 3;
        for (int x = 0; x < width; x++) {
            out[3 * x + 0] = (row[x] >> 16) & 0xff;
            out[3 * x + 1] = (row[x] >> 8) & 0xff;
            out[3 * x + 2] = row[x] & 0xff;
        }
    }
    cairo_surface_destroy(surface);

    gint32 image = gimp_image_new(width, height, GIMP_RGB);
    gint32 layer = gimp_layer_new(image, "RAPSD", width, height, GIMP_RGB_IMAGE, 100.0,
                                  GIMP_LAYER_MODE_NORMAL);
    gimp_image_insert_layer(image, layer, 0, 0);
    GeglBuffer *buffer = gimp_drawable_get_buffer(layer);
    gegl_buffer_set(buffer, GEGL_RECTANGLE(0, 0, width, height), 0, babl_format("R'G'B' u8"), rgb,
                    GEGL_AUTO_ROWSTRIDE);
    g_object_unref(buffer);
    g_free(rgb);
    return image;
}

/* ------------------------------------------------------------------ */
/* Layers                                                              */
/* ------------------------------------------------------------------ */

gint32 layer_from_planes(gint32 image_id, gint32 parent_id, const RegionPixels *region,
                         const char *name, float *const *planes)
{
    /* A grayscale channel of an RGB image still becomes an RGB layer. */
    gboolean rgb = gimp_image_base_type(image_id) == GIMP_RGB;
    gint colors = rgb ? 3 : 1;
    gint components = colors + (region->has_alpha ? 1 : 0);
    GimpImageType type = rgb ? (region->has_alpha ? GIMP_RGBA_IMAGE : GIMP_RGB_IMAGE)
                             : (region->has_alpha ? GIMP_GRAYA_IMAGE : GIMP_GRAY_IMAGE);
    gint32 layer = gimp_layer_new(image_id, name, region->width, region->height, type, 100.0,
                                  GIMP_LAYER_MODE_NORMAL);
    if (layer < 0)
        return -1;
    gint offset_x = 0, offset_y = 0;
    gimp_drawable_offsets(region->drawable_id, &offset_x, &offset_y);
    gimp_image_insert_layer(image_id, layer, parent_id, 0);
    gimp_layer_set_offsets(layer, offset_x + region->x, offset_y + region->y);

    /* Written in strips of rows so an 8000x6000 image needs no second full
     * interleaved copy. */
    const int strip = 128;
    float *rows = g_new(float, (size_t)region->width *(size_t)strip *(size_t)components);
    GeglBuffer *buffer = gimp_drawable_get_buffer(layer);
    for (int y0 = 0; y0 < region->height; y0 += strip) {
        int count = MIN(strip, region->height - y0);
        for (int y = 0; y < count; y++) {
            size_t row = (size_t)(y0 + y) * (size_t)region->width;
            float *out = rows + (size_t)y * (size_t)region->width * (size_t)components;
            const float *alpha = region->pixels + row * (size_t)region->components +
                                 (size_t)(region->components - 1);
            for (int x = 0; x < region->width; x++) {
                for (int c = 0; c < colors; c++) {
                    const float *plane = planes[region->colors == 3 ? c : 0];
                    /* Back from the diffusion scale; no clamping here: float
                     * layers keep the whole noisy range. */
                    out[x * components + c] = 0.5f * (plane[row + (size_t)x] + 1.0f);
                }
                if (region->has_alpha)
                    out[x * components + colors] = alpha[(size_t)x * (size_t)region->components];
            }
        }
        gegl_buffer_set(buffer, GEGL_RECTANGLE(0, y0, region->width, count), 0,
                        region_float_format(components), rows, GEGL_AUTO_ROWSTRIDE);
    }
    g_object_unref(buffer);
    g_free(rows);
    return layer;
}

/* ------------------------------------------------------------------ */
/* Widgets and return values                                           */
/* ------------------------------------------------------------------ */

GtkWidget *schedule_combo_new(gint active)
{
    GtkWidget *combo = g_object_new(GIMP_TYPE_INT_COMBO_BOX, NULL);
    for (int i = 0; i < ST_SCHEDULE_COUNT; i++)
        gimp_int_combo_box_append(GIMP_INT_COMBO_BOX(combo), GIMP_INT_STORE_VALUE, i,
                                  GIMP_INT_STORE_LABEL, st_schedule_name((st_schedule)i), -1);
    gimp_int_combo_box_set_active(GIMP_INT_COMBO_BOX(combo), active);
    return combo;
}

GtkWidget *channel_combo_new(gint active)
{
    GtkWidget *combo = gimp_int_combo_box_new("green", ST_CHANNEL_GREEN, "luma", ST_CHANNEL_LUMA,
                                              "red", ST_CHANNEL_RED, "blue", ST_CHANNEL_BLUE, NULL);
    gimp_int_combo_box_set_active(GIMP_INT_COMBO_BOX(combo), active);
    return combo;
}

void set_error_return(GimpParam *values, gint *nreturn_vals, const char *message)
{
    static gchar *last_message = NULL;
    g_free(last_message);
    last_message = g_strdup(message);
    values[0].type = GIMP_PDB_STATUS;
    values[0].data.d_status = GIMP_PDB_EXECUTION_ERROR;
    values[1].type = GIMP_PDB_STRING;
    values[1].data.d_string = last_message;
    *nreturn_vals = 2;
}
