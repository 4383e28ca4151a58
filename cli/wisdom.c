/* FFTW wisdom kept between runs of the image file loop (see wisdom.h).
 *
 * The file is read before the workers start and written after they have
 * stopped, so FFTW's planner is never touched from two places at once here.
 * It is written only when the wisdom has grown, under a temporary name
 * renamed at the end (output.c), so that runs in parallel (GNU parallel,
 * a Slurm array on a shared home) never read a half-written file: the last
 * one to finish wins, and wisdom lost that way is only planned again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "wisdom.h"
#include "cli.h"
#include "spectide.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Wisdom grows by about 2 KB per image size; a file larger than this is
 * left as it is (and not read): reading it would cost more than it saves. */
#define MAX_WISDOM_BYTES ((long)8 << 20)

struct cli_wisdom {
    char *path;
    char *loaded;  /* the text read, to tell whether the wisdom grew; or NULL */
    int keep_file; /* the file is not ours to replace (not wisdom, too large) */
};

/* SPECTIDE_WISDOM, else the XDG cache folder; NULL when turned off. */
static char *wisdom_path(void)
{
    const char *chosen = getenv("SPECTIDE_WISDOM");
    if (chosen)
        return *chosen && strcmp(chosen, "off") != 0 ? strdup(chosen) : NULL;
    const char *cache = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");
    const char *base = cache && cache[0] == '/' ? cache : NULL;
    const char *tail = "/spectide/fftwf-wisdom";
    if (!base && home && home[0] == '/') {
        base = home;
        tail = "/.cache/spectide/fftwf-wisdom";
    }
    if (!base)
        return NULL;
    size_t size = strlen(base) + strlen(tail) + 1;
    char *path = malloc(size);
    if (path)
        snprintf(path, size, "%s%s", base, tail);
    return path;
}

/* The whole file as text, or NULL (missing, unreadable or too large). */
static char *read_text(const char *path, int *too_large)
{
    *too_large = 0;
    FILE *file = fopen(path, "rb");
    if (!file)
        return NULL;
    char *text = NULL;
    long size = fseek(file, 0, SEEK_END) == 0 ? ftell(file) : -1;
    if (size > MAX_WISDOM_BYTES)
        *too_large = 1;
    else if (size >= 0 && fseek(file, 0, SEEK_SET) == 0 && (text = malloc((size_t)size + 1))) {
        if (fread(text, 1, (size_t)size, file) == (size_t)size) {
            text[size] = '\0';
        } else {
            free(text);
            text = NULL;
        }
    }
    fclose(file);
    return text;
}

cli_wisdom *cli_wisdom_load(void)
{
    cli_wisdom *wisdom = calloc(1, sizeof *wisdom);
    if (!wisdom || !(wisdom->path = wisdom_path())) {
        free(wisdom);
        return NULL;
    }
    struct stat info;
    if (stat(wisdom->path, &info) == 0 && S_ISDIR(info.st_mode)) {
        cli_error("%s: is a folder, not an FFTW wisdom file (SPECTIDE_WISDOM names the file, "
                  "'off' turns it off)",
                  wisdom->path);
        wisdom->keep_file = 1;
        return wisdom;
    }
    int too_large = 0;
    char *text = read_text(wisdom->path, &too_large);
    if (too_large) {
        cli_error("%s: FFTW wisdom larger than %ld MiB: not read, not updated (delete it to "
                  "start afresh)",
                  wisdom->path, MAX_WISDOM_BYTES >> 20);
        wisdom->keep_file = 1;
    } else if (text && strncmp(text, "(fftw-", 6) != 0) {
        cli_error("%s: not FFTW wisdom: not read, not replaced (SPECTIDE_WISDOM names the "
                  "wisdom file, 'off' turns it off)",
                  wisdom->path);
        wisdom->keep_file = 1;
    } else if (text && st_fftw_import_wisdom(text) == ST_OK) {
        wisdom->loaded = text;
        text = NULL;
    }
    /* Wisdom of another FFTW version or build is refused, and replaced. */
    free(text);
    return wisdom;
}

/* mkdir -p of the folders above `path`. */
static void make_parent_folders(const char *path)
{
    char *folder = strdup(path);
    if (!folder)
        return;
    for (char *slash = strchr(folder + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        if (mkdir(folder, 0777) != 0 && errno != EEXIST)
            break;
        *slash = '/';
    }
    free(folder);
}

static void write_wisdom(const char *path, const char *text)
{
    make_parent_folders(path);
    cli_outputs *outputs = cli_outputs_new();
    FILE *file = outputs ? cli_output_open(outputs, path) : NULL;
    int status = file && fputs(text, file) >= 0 ? cli_outputs_commit(outputs) : CLI_BAD_INPUT;
    if (status != CLI_OK)
        cli_error("%s: FFTW wisdom not saved (the results do not depend on it; "
                  "SPECTIDE_WISDOM=off turns it off)",
                  path);
    cli_outputs_free(outputs);
}

void cli_wisdom_save(cli_wisdom *wisdom)
{
    if (!wisdom)
        return;
    char *text = wisdom->keep_file ? NULL : st_fftw_export_wisdom();
    /* Wisdom only grows during a run: a text as long as the one read holds
     * the same entries (their order follows the planner's hash table, and
     * so the order in which the workers planned). */
    int grown = text && (!wisdom->loaded || strlen(text) != strlen(wisdom->loaded));
    if (grown && (long)strlen(text) <= MAX_WISDOM_BYTES)
        write_wisdom(wisdom->path, text);
    free(text);
    free(wisdom->loaded);
    free(wisdom->path);
    free(wisdom);
}
