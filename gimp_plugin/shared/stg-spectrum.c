/* See stg-spectrum.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "stg-spectrum.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sys/stat.h>

static gboolean spectrum_from_plane(const float *plane, gint width, gint height,
                                    stg_spectrum *spectrum, GError **error)
{
    memset(spectrum, 0, sizeof *spectrum);
    st_status status = ST_OK;
    st_rapsd *rapsd = st_rapsd_new(width, height, &status);
    if (!rapsd) {
        g_set_error(error, STG_ERROR, 1, "cannot analyse %dx%d pixels: %s", width, height,
                    st_status_message(status));
        return FALSE;
    }
    spectrum->ring_count = st_rapsd_ring_count(rapsd);
    spectrum->freq = g_new(double, spectrum->ring_count);
    spectrum->power = g_new(double, spectrum->ring_count);
    st_rapsd_frequencies(rapsd, spectrum->freq);
    st_rapsd_run(rapsd, plane, spectrum->power);
    st_rapsd_free(rapsd);
    spectrum->fit_ok = st_powerlaw_fit(spectrum->freq, spectrum->power, spectrum->ring_count, 0.0,
                                       0.0, 0, &spectrum->fit) == ST_OK;
    return TRUE;
}

gboolean stg_spectrum_compute(const stg_region *region, st_channel channel, stg_spectrum *spectrum,
                              GError **error)
{
    memset(spectrum, 0, sizeof *spectrum);
    gsize n = (gsize)region->width * (gsize)region->height;
    float *analysis = g_try_malloc(n * sizeof(float));
    if (!analysis) {
        g_set_error(error, STG_ERROR, 1, "not enough memory to analyse %dx%d pixels", region->width,
                    region->height);
        return FALSE;
    }
    st_pixels_to_analysis(region->pixels, region->width, region->height, region->components,
                          (gsize)region->width * (gsize)region->components, channel, analysis);
    gboolean ok = spectrum_from_plane(analysis, region->width, region->height, spectrum, error);
    g_free(analysis);
    return ok;
}

void stg_spectrum_clear(stg_spectrum *spectrum)
{
    g_free(spectrum->freq);
    g_free(spectrum->power);
    memset(spectrum, 0, sizeof *spectrum);
}

double stg_spectrum_fmax(const stg_spectrum *spectrum, const stg_tide *tide)
{
    double floor = stg_tide_get_level(tide).noise_floor;
    if (!isfinite(floor))
        return 0.0;
    return st_fmax_measured(spectrum->freq, spectrum->power, spectrum->ring_count, floor);
}

gboolean stg_spectrum_write_csv(const stg_spectrum *spectrum, const char *filename, GError **error)
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
        g_set_error(error, STG_ERROR, 1, "cannot write %s: %s", filename, g_strerror(errno));
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
        g_set_error(error, STG_ERROR, 1, "cannot write %s: %s", filename, g_strerror(errno));
        g_unlink(temporary);
    }
    g_free(temporary);
    return ok;
}

void stg_spectrum_results(const stg_spectrum *spectrum, const stg_tide *tide, double results[4])
{
    results[0] = spectrum->fit_ok ? spectrum->fit.alpha : 0.0;
    results[1] = spectrum->fit_ok ? spectrum->fit.c : 0.0;
    results[2] = spectrum->fit_ok ? spectrum->fit.r_squared : 0.0;
    results[3] = stg_spectrum_fmax(spectrum, tide);
}

void stg_spectrum_title(char *text, size_t size, const char *name, gint width, gint height)
{
    g_snprintf(text, size, "RAPSD of %s (%dx%d)", name ? name : "drawable", width, height);
}

static void fill_plot(const stg_spectrum *spectrum, const stg_tide *tide, sv_plot *plot,
                      const char *title)
{
    st_tide_level level = stg_tide_get_level(tide);
    char tide_text[64];
    stg_tide_describe(tide, tide_text, sizeof tide_text);
    sv_tide_spectrum shown = {title,
                              spectrum->freq,
                              spectrum->power,
                              spectrum->ring_count,
                              spectrum->fit_ok ? &spectrum->fit : NULL,
                              &level,
                              stg_spectrum_fmax(spectrum, tide)};
    sv_tide_plot_expected(plot, &shown, tide_text);
}

void stg_spectrum_draw(const stg_spectrum *spectrum, const stg_tide *tide, const char *title,
                       cairo_t *cr, double width, double height)
{
    sv_plot *plot = sv_plot_new();
    fill_plot(spectrum, tide, plot, title);
    sv_plot_draw(plot, cr, 0, 0, width, height);
    sv_plot_free(plot);
}

guchar *stg_spectrum_render_rgb(const stg_spectrum *spectrum, const stg_tide *tide,
                                const char *title, gint width, gint height)
{
    cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
    cairo_t *cr = cairo_create(surface);
    stg_spectrum_draw(spectrum, tide, title, cr, width, height);
    cairo_destroy(cr);
    cairo_surface_flush(surface);
    /* cairo RGB24 is a native-endian 0x00RRGGBB word per pixel. */
    guchar *rgb = g_new(guchar, (gsize)width * (gsize)height * 3);
    const guchar *data = cairo_image_surface_get_data(surface);
    int stride = cairo_image_surface_get_stride(surface);
    for (int y = 0; y < height; y++) {
        const guint32 *row = (const guint32 *)(const void *)(data + (gsize)y * (gsize)stride);
        guchar *out = rgb + (gsize)y * (gsize)width * 3;
        for (int x = 0; x < width; x++) {
            out[3 * x + 0] = (row[x] >> 16) & 0xff;
            out[3 * x + 1] = (row[x] >> 8) & 0xff;
            out[3 * x + 2] = row[x] & 0xff;
        }
    }
    cairo_surface_destroy(surface);
    return rgb;
}
