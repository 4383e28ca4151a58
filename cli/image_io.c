/* Image files through GEGL, the image library of GIMP: one loader for PNG
 * (8 and 16 bit), JPEG, TIFF (float too), WebP and more, which keeps the
 * file's precision (pixels come out as non-linear floats in [0,1]).
 *
 * GEGL is forgiving where a measuring tool must not be: a missing file
 * becomes a placeholder picture, a text file a 0x0 image, a truncated PNG a
 * full-size image padded with black, with only a warning on stderr. So the
 * file is checked first (exists, regular, not empty, PNG chunks complete),
 * the bounding box before any pixel is decoded, and the decoders' messages
 * are captured (never shown in normal runs) and turned into a refusal.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cli.h"

#include "spectide.h"

#include <gegl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static int gegl_started;

const char *cli_basename(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static void start_gegl(void)
{
    if (gegl_started)
        return;
    /* Tiles stay in memory: no swap files under ~/.cache for a batch tool. */
    setenv("GEGL_SWAP", "RAM", 0);
    gegl_init(NULL, NULL);
    gegl_started = 1;
}

void cli_image_shutdown(void)
{
#ifndef __SANITIZE_ADDRESS__
    /* Under AddressSanitizer GEGL's modules stay loaded: their allocations
     * at start-up are then named in the leak report, and the tests'
     * suppressions (tests/cli/lsan.supp) can tell them from ours. */
    if (gegl_started)
        gegl_exit();
#endif
    gegl_started = 0;
}

/* Decoder chatter (libpng, libjpeg, GLib warnings) goes to a temporary file
 * while GEGL works; it is read back and judged afterwards. */
typedef struct {
    int saved_fd;
    FILE *capture;
} stderr_capture;

static void capture_begin(stderr_capture *capture)
{
    fflush(stderr);
    capture->capture = tmpfile();
    capture->saved_fd = capture->capture ? dup(STDERR_FILENO) : -1;
    if (capture->saved_fd >= 0)
        dup2(fileno(capture->capture), STDERR_FILENO);
}

/* Restores stderr and copies what was written (up to size-1 bytes). */
static void capture_end(stderr_capture *capture, char *text, size_t size)
{
    text[0] = '\0';
    fflush(stderr);
    if (capture->saved_fd >= 0) {
        dup2(capture->saved_fd, STDERR_FILENO);
        close(capture->saved_fd);
    }
    if (capture->capture) {
        rewind(capture->capture);
        size_t n = fread(text, 1, size - 1, capture->capture);
        text[n] = '\0';
        fclose(capture->capture);
    }
    if (getenv("SPECTIDE_VERBOSE") && text[0])
        fputs(text, stderr);
}

/* Words by which libpng, libjpeg, libtiff, libwebp and GEGL's loaders report
 * damage; warnings such as "known incorrect sRGB profile" do not match. */
static const char *decoder_complaint(const char *text)
{
    static const char *const words[] = {"error",     "corrupt", "premature",  "failed",
                                        "too short", "truncat", "unexpected", "could not"};
    for (const char *line = text; *line;) {
        const char *end = strchr(line, '\n');
        size_t length = end ? (size_t)(end - line) : strlen(line);
        for (size_t w = 0; w < sizeof words / sizeof words[0]; w++) {
            size_t word_length = strlen(words[w]);
            for (size_t i = 0; i + word_length <= length; i++)
                if (strncasecmp(line + i, words[w], word_length) == 0)
                    return line;
        }
        line = end ? end + 1 : line + length;
    }
    return NULL;
}

static uint32_t read_be32(const unsigned char *bytes)
{
    return (uint32_t)bytes[0] << 24 | (uint32_t)bytes[1] << 16 | (uint32_t)bytes[2] << 8 | bytes[3];
}

/* For PNG files: every chunk must be complete and IEND present, else the
 * file was cut (libpng would pad the missing rows with zeros). Returns 1 if
 * the file is a complete PNG or not a PNG at all. */
static int png_is_complete(const char *path)
{
    static const unsigned char signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    FILE *file = fopen(path, "rb");
    if (!file)
        return 1;
    unsigned char header[8];
    int complete = 1;
    if (fread(header, 1, 8, file) == 8 && memcmp(header, signature, 8) == 0) {
        complete = 0;
        struct stat info;
        long long size = fstat(fileno(file), &info) == 0 ? (long long)info.st_size : 0;
        long long position = 8;
        unsigned char chunk[8];
        while (position + 12 <= size && fseek(file, (long)position, SEEK_SET) == 0 &&
               fread(chunk, 1, 8, file) == 8) {
            long long next = position + 12 + (long long)read_be32(chunk);
            if (next > size)
                break;
            if (memcmp(chunk + 4, "IEND", 4) == 0) {
                complete = 1;
                break;
            }
            position = next;
        }
    }
    fclose(file);
    return complete;
}

/* GEGL chooses its loader by extension, and its JPEG loader keeps libjpeg's
 * default error handler, which calls exit() on a damaged JPEG: files named
 * like JPEGs are decoded once by cli_jpeg_is_decodable before GEGL sees them. */
static int has_jpeg_extension(const char *path)
{
    const char *dot = strrchr(path, '.');
    return dot && (strcasecmp(dot, ".jpg") == 0 || strcasecmp(dot, ".jpeg") == 0 ||
                   strcasecmp(dot, ".jpe") == 0 || strcasecmp(dot, ".jfif") == 0);
}

static int check_file(const char *path)
{
    int status = cli_check_input_file(path, "an image file");
    if (status != CLI_OK) {
        return status;
    }
    if (!png_is_complete(path)) {
        cli_error("%s: truncated PNG (chunks end before IEND), not a readable image", path);
        return CLI_BAD_INPUT;
    }
    char problem[200];
    if (has_jpeg_extension(path) && !cli_jpeg_is_decodable(path, problem, sizeof problem)) {
        cli_error("%s: not a readable JPEG (%s)", path, problem);
        return CLI_BAD_INPUT;
    }
    return CLI_OK;
}

/* The pixel budget: the core's limit, or less from SPECTIDE_MAX_PIXELS. A
 * tiny compressed file (WebP, PNG) can claim 15000x15000 pixels, several GB
 * once decoded to float: batch runs on small machines and the fuzzers lower
 * the budget rather than let such a file exhaust memory. */
static double max_pixels(void)
{
    double limit = (double)ST_MAX_IMAGE_PIXELS;
    const char *text = getenv("SPECTIDE_MAX_PIXELS");
    if (text && *text) {
        char *end = NULL;
        double wanted = strtod(text, &end);
        if (end && *end == '\0' && wanted >= 1.0 && wanted < limit)
            limit = wanted;
    }
    return limit;
}

static int format_is_gray(const Babl *format)
{
    const char *model = babl_get_name(babl_format_get_model(format));
    return model && model[0] == 'Y';
}

/* Decodes the loader's output into image (called with stderr captured). */
static int decode(const char *path, cli_image *image, char *problem, size_t problem_size)
{
    GeglNode *graph = gegl_node_new();
    GeglNode *load = gegl_node_new_child(graph, "operation", "gegl:load", "path", path, NULL);
    GeglRectangle box = gegl_node_get_bounding_box(load);
    int status = CLI_OK;
    if (box.width <= 0 || box.height <= 0) {
        snprintf(problem, problem_size, "not a readable image (unknown format or damaged)");
        status = CLI_BAD_INPUT;
    } else if (box.width > ST_MAX_IMAGE_SIDE || box.height > ST_MAX_IMAGE_SIDE ||
               (double)box.width * box.height > max_pixels()) {
        snprintf(problem, problem_size,
                 "image of %dx%d is too large (at most %d pixels a side and %.0f pixels; "
                 "SPECTIDE_MAX_PIXELS sets the latter)",
                 box.width, box.height, ST_MAX_IMAGE_SIDE, max_pixels());
        status = CLI_BAD_INPUT;
    }
    GeglBuffer *buffer = NULL;
    if (status == CLI_OK) {
        GeglNode *sink =
            gegl_node_new_child(graph, "operation", "gegl:buffer-sink", "buffer", &buffer, NULL);
        gegl_node_link(load, sink);
        gegl_node_process(sink);
        if (!buffer) {
            snprintf(problem, problem_size, "not a readable image");
            status = CLI_BAD_INPUT;
        }
    }
    if (status == CLI_OK) {
        image->is_gray = format_is_gray(gegl_buffer_get_format(buffer));
        image->components = image->is_gray ? 2 : 4;
        image->width = box.width;
        image->height = box.height;
        size_t count = (size_t)box.width * box.height * image->components;
        image->pixels = malloc(count * sizeof(float));
        if (!image->pixels) {
            snprintf(problem, problem_size, "out of memory for %dx%d pixels", box.width,
                     box.height);
            status = CLI_BAD_INPUT;
        } else {
            const Babl *format = babl_format(image->is_gray ? "Y'A float" : "R'G'B'A float");
            gegl_buffer_get(buffer, &box, 1.0, format, image->pixels, GEGL_AUTO_ROWSTRIDE,
                            GEGL_ABYSS_NONE);
        }
    }
    if (buffer)
        g_object_unref(buffer);
    g_object_unref(graph);
    return status;
}

int cli_image_load(const char *path, cli_image *image)
{
    memset(image, 0, sizeof *image);
    int status = check_file(path);
    if (status != CLI_OK)
        return status;
    start_gegl();

    char problem[256] = "";
    char decoder_text[4096];
    stderr_capture capture;
    capture_begin(&capture);
    status = decode(path, image, problem, sizeof problem);
    capture_end(&capture, decoder_text, sizeof decoder_text);

    const char *complaint = decoder_complaint(decoder_text);
    if (status == CLI_OK && complaint) {
        size_t length = strcspn(complaint, "\n");
        snprintf(problem, sizeof problem, "damaged image (decoder: %.*s)",
                 (int)(length > 160 ? 160 : length), complaint);
        status = CLI_BAD_INPUT;
    }
    if (status != CLI_OK) {
        cli_error("%s: %s", path, problem);
        cli_image_free(image);
    }
    return status;
}

void cli_image_free(cli_image *image)
{
    free(image->pixels);
    memset(image, 0, sizeof *image);
}
