/* The loop of the dataset commands over their inputs, and accumulator
 * files (see dataset.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "dataset.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *plural(uint64_t n)
{
    return n == 1 ? "" : "s";
}

/* Adds one analysed image; CLI_OK or CLI_BAD_INPUT (message printed). */
static int add_image(st_accumulator *acc, const char *path, const cli_spectrum *spectrum)
{
    st_status added = st_accumulator_add(acc, spectrum->width, spectrum->height, spectrum->power);
    if (added == ST_OK)
        return CLI_OK;
    if (added == ST_ERROR_NOT_FINITE)
        cli_error("%s: no ring has positive power (a constant image): it has no log spectrum",
                  path);
    else
        cli_error("%s: cannot be added to the accumulator: %s", path, st_status_message(added));
    return CLI_BAD_INPUT;
}

int cli_dataset_accumulate(const char *command, cli_inputs *inputs,
                           const cli_image_options *options, int skip_bad, st_accumulator *acc,
                           cli_spectrum_visitor visit, void *user, cli_dataset_counts *counts)
{
    counts->used = counts->skipped = 0;
    cli_image_worker *worker = cli_image_worker_new(options);
    if (!worker) {
        cli_error("%s: out of memory", command);
        return CLI_BAD_INPUT;
    }
    int status = CLI_OK;
    for (;;) {
        int file_status;
        const char *path = cli_inputs_next(inputs, &file_status);
        if (!path) {
            if (file_status != CLI_OK)
                status = CLI_BAD_INPUT; /* the file list itself could not be read */
            break;
        }
        cli_spectrum spectrum = {0};
        if (file_status == CLI_OK)
            file_status = cli_image_spectrum(worker, path, &spectrum);
        if (file_status == CLI_OK && acc)
            file_status = add_image(acc, path, &spectrum);
        if (file_status == CLI_OK && visit)
            status = visit(path, &spectrum, user);
        cli_spectrum_free(&spectrum);
        if (status != CLI_OK)
            break;
        if (file_status == CLI_OK) {
            counts->used++;
            continue;
        }
        if (!skip_bad) {
            cli_error("%s: stopped at %s, after %llu file%s done (--skip-bad passes over bad "
                      "files)",
                      command, path, (unsigned long long)counts->used, plural(counts->used));
            status = CLI_BAD_INPUT;
            break;
        }
        counts->skipped++;
        if (acc)
            st_accumulator_add_skipped(acc, 1);
    }
    cli_image_worker_free(worker);
    if (status == CLI_OK && counts->skipped) {
        cli_error("%s: %llu file%s skipped, %llu used", command,
                  (unsigned long long)counts->skipped, plural(counts->skipped),
                  (unsigned long long)counts->used);
        status = CLI_PARTIAL;
    }
    return status;
}

st_accumulator *cli_accumulator_new(const cli_image_options *options)
{
    st_accumulator_settings settings = {.channel = st_channel_name(options->channel)};
    st_status error;
    st_accumulator *acc = st_accumulator_new(&settings, &error);
    if (!acc)
        cli_error("cannot make an accumulator: %s", st_status_message(error));
    return acc;
}

/* Larger than any accumulator (a few MB at most): refused unread. */
#define MAX_ACCUMULATOR_BYTES (256L * 1024 * 1024)

/* Why bytes that core refuses are not an accumulator, in words. */
static const char *format_problem(const unsigned char *bytes, size_t size)
{
    static const unsigned char magic[8] = {0x89, 'S', 'T', 'A', 'C', 'C', '\r', '\n'};
    if (size < 8 || memcmp(bytes, magic, 8) != 0)
        return "not a spectide accumulator";
    if (size >= 12) {
        unsigned long version = (unsigned long)bytes[8] | (unsigned long)bytes[9] << 8 |
                                (unsigned long)bytes[10] << 16 | (unsigned long)bytes[11] << 24;
        if (version > 1)
            return "written by a later spectide (format version above 1): update spectide";
    }
    return "a damaged or truncated accumulator (length, checksum or sums do not match)";
}

st_accumulator *cli_accumulator_load(const char *path)
{
    if (cli_check_input_file(path, "a spectide accumulator") != CLI_OK)
        return NULL;
    FILE *file = fopen(path, "rb");
    if (!file) {
        cli_error("%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    unsigned char *bytes = NULL;
    size_t size = 0, capacity = 0;
    int failed = 0;
    for (;;) {
        if (size == capacity) {
            capacity = capacity ? 2 * capacity : 1 << 16;
            if (capacity > (size_t)MAX_ACCUMULATOR_BYTES + 1) {
                failed = 2;
                break;
            }
            unsigned char *grown = realloc(bytes, capacity);
            if (!grown) {
                failed = 1;
                break;
            }
            bytes = grown;
        }
        size_t got = fread(bytes + size, 1, capacity - size, file);
        size += got;
        if (got == 0)
            break;
    }
    if (!failed && ferror(file))
        failed = 1;
    fclose(file);
    st_accumulator *acc = NULL;
    if (failed == 2) {
        cli_error("%s: too large to be a spectide accumulator", path);
    } else if (failed) {
        cli_error("%s: cannot read: %s", path, strerror(errno));
    } else {
        st_status status;
        acc = st_accumulator_new_from_bytes(bytes, size, &status);
        if (!acc)
            cli_error("%s: %s", path,
                      status == ST_ERROR_FORMAT ? format_problem(bytes, size)
                                                : st_status_message(status));
    }
    free(bytes);
    return acc;
}

int cli_accumulator_save(cli_outputs *outputs, const char *path, const st_accumulator *acc)
{
    size_t size = st_accumulator_serialized_size(acc);
    unsigned char *bytes = malloc(size);
    if (!bytes || st_accumulator_serialize(acc, bytes, size) != ST_OK) {
        free(bytes);
        cli_error("%s: out of memory", path);
        return CLI_BAD_INPUT;
    }
    FILE *file = cli_output_open(outputs, path);
    int status = file && fwrite(bytes, 1, size, file) == size ? CLI_OK : CLI_BAD_INPUT;
    if (file && status != CLI_OK)
        cli_error("%s: write error (disk full?)", path);
    free(bytes);
    return status;
}
