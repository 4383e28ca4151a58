/* The image loader (see pixels.h): file checks, format sniffing, and the
 * row sink that turns decoded samples into analysis planes.
 *
 * The mapping is done here once for every format: a code value c of an
 * n-bit sample becomes x = (2c - max) / max with max = 2^n - 1, computed in
 * double and rounded once to float (so x equals what numpy computes from
 * PIL's array in float64 and casts to float32, bit for bit); tables hold it
 * for 8 and 16 bits. Luma is 0.2126 R + 0.7152 G + 0.0722 B (Rec. 709) of
 * the stored values v, in double, then x = 2v - 1. Float samples give
 * x = 2v - 1 in double, rounded to float; NaN and infinities become 0.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cli.h"
#include "pixels_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Larger files are refused before reading: no image within the pixel budget
 * needs more (256 M pixels of uncompressed 16-bit RGBA are 2 GiB). */
#define MAX_FILE_BYTES ((size_t)1 << 31)
/* Planes start on 64-byte boundaries (FFTW's SIMD alignment and more). */
#define PLANE_ALIGNMENT 64
/* Buffers of this size and more are asked for in transparent huge pages:
 * a 4096^2 image's planes and file take 20k page faults otherwise. */
#define HUGE_PAGE_BYTES ((size_t)2 << 20)
#define HUGE_BUFFER     ((size_t)8 << 20)

static float code8_to_x[256];
static float code16_to_x[65536];
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static void make_tables(void)
{
    for (int c = 0; c < 256; c++)
        code8_to_x[c] = (float)((2.0 * c - 255.0) / 255.0);
    for (int c = 0; c < 65536; c++)
        code16_to_x[c] = (float)((2.0 * c - 65535.0) / 65535.0);
}

double cli_max_pixels(void)
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

int cli_sink_fail(cli_sink *sink, const char *format, ...)
{
    if (sink->problem[0] == '\0') {
        va_list args;
        va_start(args, format);
        vsnprintf(sink->problem, sink->problem_size, format, args);
        va_end(args);
    }
    return CLI_BAD_INPUT;
}

static size_t padded_floats(size_t count)
{
    size_t per_line = PLANE_ALIGNMENT / sizeof(float);
    return (count + per_line - 1) / per_line * per_line;
}

/* Aligned memory, in huge pages when large (where the kernel allows it). */
static void *allocate(size_t bytes)
{
    void *memory = NULL;
    size_t alignment = bytes >= HUGE_BUFFER ? HUGE_PAGE_BYTES : PLANE_ALIGNMENT;
    if (posix_memalign(&memory, alignment, bytes) != 0)
        return NULL;
#ifdef MADV_HUGEPAGE
    if (bytes >= HUGE_BUFFER)
        madvise(memory, (bytes + HUGE_PAGE_BYTES - 1) / HUGE_PAGE_BYTES * HUGE_PAGE_BYTES,
                MADV_HUGEPAGE);
#endif
    return memory;
}

int cli_sink_begin(cli_sink *sink, int width, int height, int gray)
{
    cli_picture *picture = sink->picture;
    const cli_load_settings *settings = sink->settings;
    if (width < 1 || height < 1)
        return cli_sink_fail(sink, "image of %dx%d pixels", width, height);
    if (width > ST_MAX_IMAGE_SIDE || height > ST_MAX_IMAGE_SIDE ||
        (double)width * height > settings->max_pixels)
        return cli_sink_fail(sink,
                             "image of %dx%d is too large (at most %d pixels a side and %.0f "
                             "pixels; SPECTIDE_MAX_PIXELS sets the latter)",
                             width, height, ST_MAX_IMAGE_SIDE, settings->max_pixels);
    int planes = gray || !settings->colour_planes ? 1 : 3;
    size_t plane_floats = padded_floats((size_t)width * height);
    size_t needed = plane_floats * planes;
    /* Keep the buffer unless it is much larger than needed (one huge image
     * must not pin its memory for the rest of a batch). */
    if (picture->storage &&
        (picture->storage_floats < needed ||
         (picture->storage_floats > 4 * needed && picture->storage_floats > ((size_t)4 << 20)))) {
        free(picture->storage);
        picture->storage = NULL;
        picture->storage_floats = 0;
    }
    if (!picture->storage) {
        picture->storage = allocate(needed * sizeof(float));
        if (!picture->storage)
            return cli_sink_fail(sink, "out of memory for %dx%d pixels", width, height);
        picture->storage_floats = needed;
    }
    picture->width = width;
    picture->height = height;
    picture->is_gray = gray;
    picture->planes = planes;
    for (int p = 0; p < 3; p++)
        picture->plane[p] = p < planes ? picture->storage + plane_floats * p : NULL;
    sink->width = width;
    sink->height = height;
    switch (settings->channel) {
    case ST_CHANNEL_RED:
        sink->pick = 0;
        break;
    case ST_CHANNEL_BLUE:
        sink->pick = 2;
        break;
    case ST_CHANNEL_LUMA:
        sink->pick = -1;
        break;
    case ST_CHANNEL_GREEN:
    default:
        sink->pick = 1;
        break;
    }
    sink->opened = 1;
    return CLI_OK;
}

static float float_to_x(float v)
{
    double x = 2.0 * (double)v - 1.0;
    return isfinite(x) ? (float)x : 0.0f;
}

static double sample_value(const void *row, size_t index, cli_sample_type type)
{
    switch (type) {
    case CLI_SAMPLE_U8:
        return ((const uint8_t *)row)[index] / 255.0;
    case CLI_SAMPLE_U16:
        return ((const uint16_t *)row)[index] / 65535.0;
    case CLI_SAMPLE_F32:
    default:
        return ((const float *)row)[index];
    }
}

/* One sample of every pixel (offset, step `channels`) to x. */
static void map_samples(float *out, int width, const void *row, cli_sample_type type, int channels,
                        int offset)
{
    if (type == CLI_SAMPLE_U8) {
        const uint8_t *in = (const uint8_t *)row + offset;
        for (int x = 0; x < width; x++)
            out[x] = code8_to_x[in[(size_t)x * channels]];
    } else if (type == CLI_SAMPLE_U16) {
        const uint16_t *in = (const uint16_t *)row + offset;
        for (int x = 0; x < width; x++)
            out[x] = code16_to_x[in[(size_t)x * channels]];
    } else {
        const float *in = (const float *)row + offset;
        for (int x = 0; x < width; x++)
            out[x] = float_to_x(in[(size_t)x * channels]);
    }
}

static void map_luma(float *out, int width, const void *row, cli_sample_type type, int channels)
{
    for (int x = 0; x < width; x++) {
        size_t i = (size_t)x * channels;
        double v = 0.2126 * sample_value(row, i, type) + 0.7152 * sample_value(row, i + 1, type) +
                   0.0722 * sample_value(row, i + 2, type);
        double mapped = 2.0 * v - 1.0;
        out[x] = isfinite(mapped) ? (float)mapped : 0.0f;
    }
}

void cli_sink_set_icc(cli_sink *sink, const void *bytes, size_t size)
{
    if (!sink->settings->color_managed || !bytes || size == 0 || sink->color_source.icc)
        return;
    sink->color_source.icc = malloc(size);
    if (sink->color_source.icc) {
        memcpy(sink->color_source.icc, bytes, size);
        sink->color_source.icc_size = size;
    }
}

void cli_sink_row(cli_sink *sink, int y, const void *row, cli_sample_type type, int channels)
{
    cli_picture *picture = sink->picture;
    if (!sink->opened || sink->failed || y < 0 || y >= sink->height)
        return;
    if (sink->settings->color_managed && !sink->color_started) {
        sink->color_started = 1;
        if (cli_color_start(sink) != CLI_OK) {
            sink->failed = 1;
            return;
        }
    }
    if (sink->color) {
        row = cli_color_row(sink->color, sink->width, row, type, channels);
        type = CLI_SAMPLE_F32;
        channels = cli_color_channels(sink->color);
    }
    size_t offset = (size_t)y * sink->width;
    if (picture->is_gray || channels < 3) {
        map_samples(picture->plane[0] + offset, sink->width, row, type, channels, 0);
    } else if (picture->planes == 3) {
        for (int p = 0; p < 3; p++)
            map_samples(picture->plane[p] + offset, sink->width, row, type, channels, p);
    } else if (sink->pick < 0) {
        map_luma(picture->plane[0] + offset, sink->width, row, type, channels);
    } else {
        map_samples(picture->plane[0] + offset, sink->width, row, type, channels, sink->pick);
    }
}

/* ------------------------------------------------------------ the file */

typedef enum { FORMAT_UNKNOWN, FORMAT_PNG, FORMAT_JPEG, FORMAT_TIFF, FORMAT_WEBP } file_format;

static file_format sniff(const unsigned char *head, size_t size, const char **other)
{
    *other = NULL;
    if (size >= 8 && memcmp(head, "\x89PNG\r\n\x1a\n", 8) == 0)
        return FORMAT_PNG;
    if (size >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF)
        return FORMAT_JPEG;
    if (size >= 4 && (memcmp(head, "II*\0", 4) == 0 || memcmp(head, "MM\0*", 4) == 0 ||
                      memcmp(head, "II+\0", 4) == 0 || memcmp(head, "MM\0+", 4) == 0))
        return FORMAT_TIFF;
    if (size >= 12 && memcmp(head, "RIFF", 4) == 0 && memcmp(head + 8, "WEBP", 4) == 0)
        return FORMAT_WEBP;
    if (size >= 6 && (memcmp(head, "GIF87a", 6) == 0 || memcmp(head, "GIF89a", 6) == 0))
        *other = "a GIF image";
    else if (size >= 2 && memcmp(head, "BM", 2) == 0)
        *other = "a BMP image, or not an image";
    else if (size >= 12 && memcmp(head, "RIFF", 4) == 0 && memcmp(head + 8, "WAVE", 4) == 0)
        *other = "a WAV file";
    else if (size >= 4 && (memcmp(head, "fLaC", 4) == 0 || memcmp(head, "OggS", 4) == 0))
        *other = "an audio file";
    else if (size >= 12 && memcmp(head + 4, "ftyp", 4) == 0)
        *other = "an ISO media file (HEIF/AVIF/MP4)";
    else if (size >= 2 && head[0] == 'P' && head[1] >= '1' && head[1] <= '7')
        *other = "a PNM (PGM/PPM) image, or not an image";
    return FORMAT_UNKNOWN;
}

/* Reads the whole file into the picture's reusable buffer. */
static int read_all(cli_sink *sink, int fd, size_t size)
{
    cli_picture *picture = sink->picture;
    if (picture->file_bytes &&
        (picture->file_capacity < size ||
         (picture->file_capacity > 4 * size && picture->file_capacity > ((size_t)16 << 20)))) {
        free(picture->file_bytes);
        picture->file_bytes = NULL;
        picture->file_capacity = 0;
    }
    if (!picture->file_bytes) {
        picture->file_bytes = allocate(size);
        if (!picture->file_bytes)
            return cli_sink_fail(sink, "out of memory for a file of %zu bytes", size);
        picture->file_capacity = size;
    }
    size_t done = 0;
    while (done < size) {
        ssize_t got = read(fd, picture->file_bytes + done, size - done);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return cli_sink_fail(sink, "cannot read: %s", strerror(errno));
        if (got == 0)
            return cli_sink_fail(sink, "file shrank while it was read");
        done += (size_t)got;
    }
    return CLI_OK;
}

static int decode_file(cli_sink *sink, const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return cli_sink_fail(sink, "cannot open: %s", strerror(errno));
    struct stat info;
    int status = CLI_OK;
    if (fstat(fd, &info) != 0)
        status = cli_sink_fail(sink, "cannot open: %s", strerror(errno));
    else if (S_ISDIR(info.st_mode))
        status = cli_sink_fail(sink, "is a folder, not an image file");
    else if (!S_ISREG(info.st_mode))
        status = cli_sink_fail(sink, "not a regular file");
    else if (info.st_size == 0)
        status = cli_sink_fail(sink, "empty file, not an image file");
    else if ((unsigned long long)info.st_size > MAX_FILE_BYTES)
        status = cli_sink_fail(sink, "file of %lld bytes is too large for an image",
                               (long long)info.st_size);
    unsigned char head[16];
    ssize_t head_size = 0;
    if (status == CLI_OK) {
        do {
            head_size = pread(fd, head, sizeof head, 0);
        } while (head_size < 0 && errno == EINTR);
        if (head_size < 0)
            status = cli_sink_fail(sink, "cannot read: %s", strerror(errno));
    }
    if (status == CLI_OK) {
        const char *other = NULL;
        file_format format = sniff(head, (size_t)head_size, &other);
        size_t size = (size_t)info.st_size;
        if (format == FORMAT_TIFF) {
            status = cli_decode_tiff(sink, fd, path);
        } else if (format == FORMAT_UNKNOWN) {
            status = cli_sink_fail(sink,
                                   "not an image spectide reads (%s; PNG, JPEG, TIFF and WebP are "
                                   "recognised by their first bytes)",
                                   other ? other : "unknown format");
        } else if ((status = read_all(sink, fd, size)) == CLI_OK) {
            const unsigned char *bytes = sink->picture->file_bytes;
            status = format == FORMAT_PNG    ? cli_decode_png(sink, bytes, size)
                     : format == FORMAT_JPEG ? cli_decode_jpeg(sink, bytes, size)
                                             : cli_decode_webp(sink, bytes, size);
        }
    }
    close(fd);
    return status;
}

int cli_picture_load(cli_picture *picture, const char *path, const cli_load_settings *settings,
                     char *problem, size_t problem_size)
{
    pthread_once(&tables_once, make_tables);
    problem[0] = '\0';
    picture->width = picture->height = picture->planes = 0;
    picture->format[0] = '\0';
    cli_sink sink = {
        .picture = picture, .settings = settings, .problem = problem, .problem_size = problem_size};
    int status = decode_file(&sink, path);
    if (status == CLI_OK && sink.failed)
        status = CLI_BAD_INPUT;
    if (status == CLI_OK && !sink.opened)
        status = cli_sink_fail(&sink, "no image in the file");
    cli_color_free(sink.color);
    free(sink.color_source.icc);
    if (status != CLI_OK) {
        if (problem[0] == '\0')
            snprintf(problem, problem_size, "not a readable image");
        picture->width = picture->height = picture->planes = 0;
        return CLI_BAD_INPUT;
    }
    return CLI_OK;
}

void cli_picture_release(cli_picture *picture)
{
    free(picture->storage);
    free(picture->file_bytes);
    memset(picture, 0, sizeof *picture);
}
