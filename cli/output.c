/* Atomic outputs: every file is written under a temporary name in its final
 * folder (so the rename cannot cross file systems) and renamed only when the
 * whole run has succeeded. A failed run removes its temporary files. PNG
 * and SVG pictures are drawn with cairo.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cli.h"
#include "spectide.h"

#include <cairo-svg.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
    char *final_path;
    char *temp_path;
    FILE *file;
} pending_output;

struct cli_outputs {
    pending_output *items;
    int count;
};

cli_outputs *cli_outputs_new(void)
{
    return calloc(1, sizeof(cli_outputs));
}

static char *temp_name_for(const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t dir_length = slash ? (size_t)(slash - path) + 1 : 0;
    const char *base = slash ? slash + 1 : path;
    size_t size = dir_length + strlen(base) + 32;
    char *temp = malloc(size);
    if (temp)
        snprintf(temp, size, "%.*s.%s.spectide-XXXXXX", (int)dir_length, path, base);
    return temp;
}

FILE *cli_output_open(cli_outputs *outputs, const char *path)
{
    struct stat info;
    if (stat(path, &info) == 0 && S_ISDIR(info.st_mode)) {
        cli_error("%s: is a folder, cannot write the output there", path);
        return NULL;
    }
    pending_output *grown = realloc(outputs->items, sizeof(pending_output) * (outputs->count + 1));
    if (!grown) {
        cli_error("%s: out of memory", path);
        return NULL;
    }
    outputs->items = grown;
    pending_output *item = &outputs->items[outputs->count];
    *item = (pending_output){0};
    item->final_path = strdup(path);
    item->temp_path = temp_name_for(path);
    int fd = item->temp_path ? mkstemp(item->temp_path) : -1;
    if (fd < 0) {
        cli_error("%s: cannot create a file in its folder: %s", path, strerror(errno));
        free(item->final_path);
        free(item->temp_path);
        return NULL;
    }
    /* mkstemp makes 0600; give the final file the usual permissions. */
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0) {
        /* Not fatal: the file is still ours and readable. */
    }
    item->file = fdopen(fd, "wb");
    if (!item->file) {
        close(fd);
        unlink(item->temp_path);
        cli_error("%s: %s", path, strerror(errno));
        free(item->final_path);
        free(item->temp_path);
        return NULL;
    }
    outputs->count++;
    return item->file;
}

int cli_outputs_commit(cli_outputs *outputs)
{
    int status = CLI_OK;
    for (int i = 0; i < outputs->count; i++) {
        pending_output *item = &outputs->items[i];
        int failed = ferror(item->file);
        if (fclose(item->file) != 0)
            failed = 1;
        item->file = NULL;
        if (failed && status == CLI_OK) {
            cli_error("%s: write error (disk full?)", item->final_path);
            status = CLI_BAD_INPUT;
        }
    }
    for (int i = 0; i < outputs->count && status == CLI_OK; i++) {
        pending_output *item = &outputs->items[i];
        if (rename(item->temp_path, item->final_path) != 0) {
            cli_error("%s: cannot rename the finished file: %s", item->final_path, strerror(errno));
            status = CLI_BAD_INPUT;
            break;
        }
        free(item->temp_path);
        item->temp_path = NULL;
    }
    return status;
}

void cli_outputs_free(cli_outputs *outputs)
{
    if (!outputs)
        return;
    for (int i = 0; i < outputs->count; i++) {
        pending_output *item = &outputs->items[i];
        if (item->file)
            fclose(item->file);
        if (item->temp_path) {
            unlink(item->temp_path);
            free(item->temp_path);
        }
        free(item->final_path);
    }
    free(outputs->items);
    free(outputs);
}

static cairo_status_t write_to_file(void *closure, const unsigned char *data, unsigned int length)
{
    return fwrite(data, 1, length, (FILE *)closure) == length ? CAIRO_STATUS_SUCCESS
                                                              : CAIRO_STATUS_WRITE_ERROR;
}

static int has_extension(const char *path, const char *extension)
{
    size_t n = strlen(path), e = strlen(extension);
    return n > e && strcasecmp(path + n - e, extension) == 0;
}

int cli_output_plot(cli_outputs *outputs, const char *path, int width, int height, cli_draw_fn draw,
                    void *user_data)
{
    FILE *file = cli_output_open(outputs, path);
    if (!file)
        return CLI_BAD_INPUT;
    cairo_surface_t *surface;
    if (has_extension(path, ".svg"))
        surface = cairo_svg_surface_create_for_stream(write_to_file, file, width, height);
    else
        surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
    cairo_t *cr = cairo_create(surface);
    draw(cr, width, height, user_data);
    cairo_status_t status = cairo_status(cr);
    cairo_destroy(cr);
    if (status == CAIRO_STATUS_SUCCESS && !has_extension(path, ".svg"))
        status = cairo_surface_write_to_png_stream(surface, write_to_file, file);
    cairo_surface_finish(surface); /* an SVG is written out here */
    if (status == CAIRO_STATUS_SUCCESS)
        status = cairo_surface_status(surface);
    cairo_surface_destroy(surface);
    if (status != CAIRO_STATUS_SUCCESS) {
        cli_error("%s: cannot draw the picture: %s", path, cairo_status_to_string(status));
        return CLI_BAD_INPUT;
    }
    return CLI_OK;
}

int cli_output_png_planes(cli_outputs *outputs, const char *path, const float *const *planes,
                          int plane_count, int width, int height)
{
    FILE *file = cli_output_open(outputs, path);
    if (!file)
        return CLI_BAD_INPUT;
    cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
    if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
        cli_error("%s: cannot make a %dx%d picture", path, width, height);
        cairo_surface_destroy(surface);
        return CLI_BAD_INPUT;
    }
    cairo_surface_flush(surface);
    unsigned char *data = cairo_image_surface_get_data(surface);
    int stride = cairo_image_surface_get_stride(surface);
    for (int y = 0; y < height; y++) {
        uint32_t *row = (uint32_t *)(data + (size_t)y * stride);
        for (int x = 0; x < width; x++) {
            size_t i = (size_t)y * width + x;
            /* v = (x + 1) / 2 as 8 bits: core's mapping back. */
            unsigned r = st_x_to_code8(planes[0][i]);
            unsigned g = plane_count == 3 ? (unsigned)st_x_to_code8(planes[1][i]) : r;
            unsigned b = plane_count == 3 ? (unsigned)st_x_to_code8(planes[2][i]) : r;
            row[x] = 0xff000000u | r << 16 | g << 8 | b;
        }
    }
    cairo_surface_mark_dirty(surface);
    cairo_status_t status = cairo_surface_write_to_png_stream(surface, write_to_file, file);
    cairo_surface_destroy(surface);
    if (status != CAIRO_STATUS_SUCCESS) {
        cli_error("%s: cannot write the PNG: %s", path, cairo_status_to_string(status));
        return CLI_BAD_INPUT;
    }
    return CLI_OK;
}
