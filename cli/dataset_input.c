/* Dataset arguments: accumulators, images, folders and lists into one
 * accumulator (see dataset_input.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "dataset_input.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *plural(uint64_t n)
{
    return n == 1 ? "" : "s";
}

int cli_is_accumulator_name(const char *path)
{
    size_t n = strlen(path);
    return n > 6 && strcasecmp(path + n - 6, ".stacc") == 0;
}

void cli_explain_mismatch(const char *command, const char *first, const st_accumulator *a,
                          const char *second, const st_accumulator *b)
{
    st_accumulator_info x, y;
    st_accumulator_get_info(a, &x);
    st_accumulator_get_info(b, &y);
    if (strcmp(x.channel, y.channel) != 0)
        cli_error("%s: %s was analysed on channel %s, %s on channel %s (--channel, or remake one)",
                  command, first, x.channel, second, y.channel);
    else if (strcmp(x.mapping, y.mapping) != 0)
        cli_error("%s: %s has pixel mapping '%s', %s has '%s'", command, first, x.mapping, second,
                  y.mapping);
    else if (x.points_per_octave != y.points_per_octave)
        cli_error("%s: %s has %d grid points per octave, %s has %d", command, first,
                  x.points_per_octave, second, y.points_per_octave);
    else if (strcmp(x.version, y.version) != 0)
        cli_error("%s: %s was made by spectide %s, %s by spectide %s: remake one", command, first,
                  x.version, second, y.version);
    else
        cli_error("%s: %s and %s cannot be combined", command, first, second);
}

/* Merges the accumulator file `path` into *acc (made from it when NULL). */
static int merge_file(const cli_gather_settings *settings, const char *path, const char **first,
                      st_accumulator **acc)
{
    if (settings->visit) {
        cli_error("%s: %s is an accumulator: this needs the images themselves (--group-by)",
                  settings->command, path);
        return CLI_BAD_INPUT;
    }
    st_accumulator *loaded = cli_accumulator_load(path);
    if (!loaded)
        return CLI_BAD_INPUT;
    if (!*acc) {
        *acc = loaded;
        *first = path;
        return CLI_OK;
    }
    st_status status = st_accumulator_merge(*acc, loaded);
    if (status == ST_ERROR_MISMATCH)
        cli_explain_mismatch(settings->command, *first, *acc, path, loaded);
    else if (status != ST_OK)
        cli_error("%s: %s: %s", settings->command, path, st_status_message(status));
    st_accumulator_free(loaded);
    return status == ST_OK ? CLI_OK : CLI_BAD_INPUT;
}

/* Images of one cli_inputs into acc; CLI_PARTIAL is noted in *partial. */
static int accumulate(const cli_gather_settings *settings, const char *const *paths, int count,
                      const char *files_from, st_accumulator *acc, uint64_t *used, int *partial)
{
    cli_inputs *inputs = cli_inputs_from(paths, count, files_from);
    if (!inputs)
        return CLI_BAD_INPUT; /* a list that cannot be opened, or no memory: said */
    cli_dataset_counts counts = {0, 0};
    int status =
        cli_dataset_accumulate(settings->command, inputs, settings->options, settings->skip_bad,
                               acc, settings->visit, settings->user, &counts);
    cli_inputs_free(inputs);
    *used += counts.used;
    if (status == CLI_PARTIAL) {
        *partial = 1;
        status = CLI_OK;
    }
    return status;
}

int cli_dataset_gather(const cli_gather_settings *settings, const char *const *paths, int count,
                       const char *files_from, st_accumulator **result)
{
    *result = NULL;
    const char **images = malloc(sizeof *images * (size_t)(count > 0 ? count : 1));
    if (!images) {
        cli_error("%s: out of memory", settings->command);
        return CLI_BAD_INPUT;
    }
    int image_count = 0, lists = files_from != NULL;
    for (int i = 0; i < count; i++) {
        if (paths[i][0] == '@' && paths[i][1])
            lists++;
        else if (!cli_is_accumulator_name(paths[i]))
            images[image_count++] = paths[i];
    }
    st_accumulator *acc = NULL, *analysed = NULL;
    const char *first = NULL;
    int status = CLI_OK, partial = 0;
    uint64_t used = 0;
    if (image_count || lists) {
        analysed = cli_accumulator_new(settings->options);
        status = analysed ? CLI_OK : CLI_BAD_INPUT;
    }
    /* Images and folders first (in order), then each list. */
    if (status == CLI_OK && (image_count || files_from))
        status = accumulate(settings, images, image_count, files_from, analysed, &used, &partial);
    for (int i = 0; i < count && status == CLI_OK; i++)
        if (paths[i][0] == '@' && paths[i][1])
            status = accumulate(settings, NULL, 0, paths[i] + 1, analysed, &used, &partial);
    if (status == CLI_OK && analysed) {
        acc = analysed;
        first = image_count ? images[0] : "the listed images";
        analysed = NULL;
        if (used == 0) {
            cli_error("%s: no image found in %s", settings->command,
                      image_count  ? images[0]
                      : files_from ? files_from
                                   : paths[0] + 1);
            status = CLI_BAD_INPUT;
        }
    }
    for (int i = 0; i < count && status == CLI_OK; i++)
        if (cli_is_accumulator_name(paths[i]) && !(paths[i][0] == '@' && paths[i][1]))
            status = merge_file(settings, paths[i], &first, &acc);
    if (status == CLI_OK && acc) {
        st_accumulator_info info;
        st_accumulator_get_info(acc, &info);
        if (info.images == 0) {
            cli_error("%s: %s holds no image (%llu file%s skipped)", settings->command, first,
                      (unsigned long long)info.skipped, plural(info.skipped));
            status = CLI_BAD_INPUT;
        }
    }
    if (status == CLI_OK && !acc) {
        cli_error("%s: no input given", settings->command);
        status = CLI_BAD_INPUT;
    }
    st_accumulator_free(analysed);
    free(images);
    if (status != CLI_OK) {
        st_accumulator_free(acc);
        return status;
    }
    *result = acc;
    return partial ? CLI_PARTIAL : CLI_OK;
}

void cli_parent_name(const char *path, char *name, size_t size)
{
    size_t end = strlen(path);
    while (end > 1 && path[end - 1] == '/')
        end--; /* "a/b/" is b's own path */
    size_t slash = end;
    while (slash > 0 && path[slash - 1] != '/')
        slash--;
    if (slash == 0) {
        snprintf(name, size, ".");
        return;
    }
    size_t parent_end = slash - 1;
    while (parent_end > 0 && path[parent_end - 1] == '/')
        parent_end--;
    size_t parent_start = parent_end;
    while (parent_start > 0 && path[parent_start - 1] != '/')
        parent_start--;
    if (parent_end == parent_start) {
        snprintf(name, size, "/");
        return;
    }
    snprintf(name, size, "%.*s", (int)(parent_end - parent_start), path + parent_start);
}

void cli_print_set(const char *label, const char *path, const st_accumulator *acc)
{
    st_accumulator_info info;
    st_accumulator_get_info(acc, &info);
    printf("%s: %s: %llu image%s", label, path, (unsigned long long)info.images,
           plural(info.images));
    if (info.width_min == info.width_max && info.height_min == info.height_max)
        printf(", %dx%d px", info.width_min, info.height_min);
    else
        printf(", %d..%d x %d..%d px", info.width_min, info.width_max, info.height_min,
               info.height_max);
    if (info.side_min == info.side_max)
        printf(", side L = %d px", info.side_min);
    else
        printf(", side L = %.1f px (geometric mean of the longest sides %d..%d)",
               info.side_geometric_mean, info.side_min, info.side_max);
    if (info.skipped)
        printf(", %llu file%s skipped", (unsigned long long)info.skipped, plural(info.skipped));
    printf(", channel %s\n", info.channel);
}
