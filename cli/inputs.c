/* Batch inputs: files, folders and lists in a reproducible order (see
 * inputs.h).
 *
 * A folder's listing is sorted with the names of sub-folders followed by
 * '/': comparing "a/" with "a.jpg" as strcmp compares full paths puts
 * "a.jpg" first ('.' < '/'), so a depth-first walk over sorted listings
 * hands out paths in the byte order of the full paths.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "inputs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
    int is_list;
    char *path;
    FILE *list; /* lists: opened when queued */
} queued_entry;

typedef struct {
    char *text;   /* the names, each followed by '\0'; folders end in '/' */
    char **names; /* sorted, into text */
    size_t count, next;
    size_t prefix; /* length of the folder's path in inputs->path, '/' included */
    dev_t device;
    ino_t inode;
} folder_frame;

struct cli_inputs {
    queued_entry *queue;
    size_t queued, capacity, position;
    FILE *list; /* the list being read, if any */
    folder_frame *frames;
    size_t depth, frame_capacity;
    char path[PATH_MAX];
    char *line;
    size_t line_capacity;
    char problem[PATH_MAX + 128];
};

static const char *const image_extensions[] = {".png",  ".jpg", ".jpeg", ".jpe",
                                               ".jfif", ".tif", ".tiff", ".webp"};

int cli_inputs_has_image_extension(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot)
        return 0;
    for (size_t i = 0; i < sizeof image_extensions / sizeof image_extensions[0]; i++)
        if (strcasecmp(dot, image_extensions[i]) == 0)
            return 1;
    return 0;
}

cli_inputs *cli_inputs_new(void)
{
    return calloc(1, sizeof(cli_inputs));
}

cli_inputs *cli_inputs_from(const char *const *paths, int count, const char *files_from)
{
    cli_inputs *inputs = cli_inputs_new();
    int failed = !inputs;
    if (failed)
        fprintf(stderr, "spectide: out of memory\n");
    for (int i = 0; !failed && i < count; i++)
        failed = cli_inputs_add_path(inputs, paths[i]) != 0;
    if (!failed && files_from)
        failed = cli_inputs_add_list(inputs, files_from) != 0;
    if (failed) {
        cli_inputs_free(inputs);
        return NULL;
    }
    return inputs;
}

static void pop_frame(cli_inputs *inputs)
{
    folder_frame *frame = &inputs->frames[--inputs->depth];
    free(frame->names);
    free(frame->text);
}

void cli_inputs_free(cli_inputs *inputs)
{
    if (!inputs)
        return;
    while (inputs->depth > 0)
        pop_frame(inputs);
    for (size_t i = 0; i < inputs->queued; i++) {
        free(inputs->queue[i].path);
        if (inputs->queue[i].list && inputs->queue[i].list != stdin)
            fclose(inputs->queue[i].list);
    }
    free(inputs->queue);
    free(inputs->frames);
    free(inputs->line);
    free(inputs);
}

static int enqueue(cli_inputs *inputs, const char *path, FILE *list)
{
    if (inputs->queued == inputs->capacity) {
        size_t capacity = inputs->capacity ? 2 * inputs->capacity : 16;
        queued_entry *grown = realloc(inputs->queue, capacity * sizeof *grown);
        if (!grown)
            return -1;
        inputs->queue = grown;
        inputs->capacity = capacity;
    }
    char *copy = strdup(path);
    if (!copy)
        return -1;
    inputs->queue[inputs->queued++] = (queued_entry){list != NULL, copy, list};
    return 0;
}

int cli_inputs_add_path(cli_inputs *inputs, const char *path)
{
    if (enqueue(inputs, path, NULL) != 0) {
        fprintf(stderr, "spectide: out of memory\n");
        return -1;
    }
    return 0;
}

int cli_inputs_add_list(cli_inputs *inputs, const char *list_path)
{
    int is_stdin = strcmp(list_path, "-") == 0;
    if (is_stdin)
        for (size_t i = 0; i < inputs->queued; i++)
            if (inputs->queue[i].list == stdin) {
                fprintf(stderr,
                        "spectide: --files-from - given twice (standard input is read once)\n");
                return -1;
            }
    FILE *list = is_stdin ? stdin : fopen(list_path, "r");
    if (!list) {
        fprintf(stderr, "spectide: %s: cannot open the file list: %s\n", list_path,
                strerror(errno));
        return -1;
    }
    struct stat info;
    if (!is_stdin && fstat(fileno(list), &info) == 0 && S_ISDIR(info.st_mode)) {
        fprintf(stderr, "spectide: %s: is a folder, not a file list\n", list_path);
        fclose(list);
        return -1;
    }
    if (enqueue(inputs, list_path, list) != 0) {
        if (!is_stdin)
            fclose(list);
        fprintf(stderr, "spectide: out of memory\n");
        return -1;
    }
    return 0;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int fail(cli_inputs *inputs, const char **path, const char **problem, const char *what)
{
    snprintf(inputs->problem, sizeof inputs->problem, "%s", what);
    *path = inputs->path;
    *problem = inputs->problem;
    return -1;
}

/* Appends one name (with '/' for folders) to a growing text buffer. */
static int append_name(char **text, size_t *used, size_t *capacity, const char *name, int folder)
{
    size_t length = strlen(name);
    size_t needed = *used + length + 2;
    if (needed > *capacity) {
        size_t grown_capacity = *capacity ? *capacity : 4096;
        while (grown_capacity < needed)
            grown_capacity *= 2;
        char *grown = realloc(*text, grown_capacity);
        if (!grown)
            return -1;
        *text = grown;
        *capacity = grown_capacity;
    }
    memcpy(*text + *used, name, length);
    *used += length;
    if (folder)
        (*text)[(*used)++] = '/';
    (*text)[(*used)++] = '\0';
    return 0;
}

/* Lists inputs->path (a folder) as a new frame. 0, or -1 with a problem. */
static int enter_folder(cli_inputs *inputs, const struct stat *info, const char **path,
                        const char **problem)
{
    for (size_t i = 0; i < inputs->depth; i++)
        if (inputs->frames[i].device == info->st_dev && inputs->frames[i].inode == info->st_ino)
            return 0; /* a link back into the walk: already being listed */
    size_t length = strlen(inputs->path);
    if (length + 2 >= sizeof inputs->path)
        return fail(inputs, path, problem, "path too long");
    DIR *dir = opendir(inputs->path);
    if (!dir) {
        char what[160];
        snprintf(what, sizeof what, "cannot read the folder: %s", strerror(errno));
        return fail(inputs, path, problem, what);
    }
    char *text = NULL;
    size_t used = 0, capacity = 0, count = 0;
    int failed = 0;
    struct dirent *entry;
    errno = 0;
    while (!failed && (entry = readdir(dir))) {
        if (entry->d_name[0] == '.')
            continue;
        int folder = entry->d_type == DT_DIR;
        int file = entry->d_type == DT_REG;
        if (entry->d_type == DT_LNK || entry->d_type == DT_UNKNOWN) {
            struct stat target;
            if (fstatat(dirfd(dir), entry->d_name, &target, 0) != 0) {
                /* A dangling link to an image is reported by the loader. */
                file = entry->d_type == DT_LNK;
            } else {
                folder = S_ISDIR(target.st_mode);
                file = S_ISREG(target.st_mode);
            }
        }
        if (folder || (file && cli_inputs_has_image_extension(entry->d_name))) {
            failed = append_name(&text, &used, &capacity, entry->d_name, folder) != 0;
            count++;
        }
        errno = 0;
    }
    int read_error = errno;
    closedir(dir);
    char **names = failed ? NULL : malloc((count ? count : 1) * sizeof *names);
    if (!names || read_error) {
        free(text);
        free(names);
        char what[160];
        snprintf(what, sizeof what, "cannot read the folder: %s",
                 read_error ? strerror(read_error) : "out of memory");
        return fail(inputs, path, problem, what);
    }
    for (size_t i = 0, offset = 0; i < count; i++) {
        names[i] = text + offset;
        offset += strlen(text + offset) + 1;
    }
    qsort(names, count, sizeof *names, compare_names);
    if (inputs->depth == inputs->frame_capacity) {
        size_t grown_capacity = inputs->frame_capacity ? 2 * inputs->frame_capacity : 8;
        folder_frame *grown = realloc(inputs->frames, grown_capacity * sizeof *grown);
        if (!grown) {
            free(text);
            free(names);
            return fail(inputs, path, problem, "out of memory");
        }
        inputs->frames = grown;
        inputs->frame_capacity = grown_capacity;
    }
    if (length == 0 || inputs->path[length - 1] != '/') {
        inputs->path[length++] = '/';
        inputs->path[length] = '\0';
    }
    inputs->frames[inputs->depth++] =
        (folder_frame){text, names, count, 0, length, info->st_dev, info->st_ino};
    return 0;
}

/* A path from the command line or a list: a folder is entered, anything
 * else is handed out (the loader names what is wrong with it). */
static int visit(cli_inputs *inputs, const char *name, const char **path, const char **problem)
{
    if (strlen(name) >= sizeof inputs->path) {
        snprintf(inputs->path, sizeof inputs->path, "%.*s...", 200, name);
        return fail(inputs, path, problem, "path too long");
    }
    strcpy(inputs->path, name);
    struct stat info;
    if (stat(inputs->path, &info) == 0 && S_ISDIR(info.st_mode))
        return enter_folder(inputs, &info, path, problem) == 0 ? 0 : -1;
    *path = inputs->path;
    return 1;
}

/* The next line of the current list (without its line end), or NULL at
 * its end; *error on a read error. */
static const char *next_line(cli_inputs *inputs, int *error)
{
    *error = 0;
    for (;;) {
        errno = 0;
        ssize_t length = getline(&inputs->line, &inputs->line_capacity, inputs->list);
        if (length < 0) {
            *error = ferror(inputs->list) ? (errno ? errno : EIO) : 0;
            return NULL;
        }
        while (length > 0 && (inputs->line[length - 1] == '\n' || inputs->line[length - 1] == '\r'))
            inputs->line[--length] = '\0';
        if (length > 0)
            return inputs->line;
    }
}

int cli_inputs_next(cli_inputs *inputs, const char **path, const char **problem)
{
    *path = NULL;
    *problem = NULL;
    for (;;) {
        if (inputs->depth > 0) {
            folder_frame *frame = &inputs->frames[inputs->depth - 1];
            if (frame->next == frame->count) {
                pop_frame(inputs);
                continue;
            }
            const char *name = frame->names[frame->next++];
            size_t length = strlen(name);
            inputs->path[frame->prefix] = '\0';
            if (frame->prefix + length >= sizeof inputs->path)
                return fail(inputs, path, problem, "path too long");
            memcpy(inputs->path + frame->prefix, name, length + 1);
            if (name[length - 1] != '/') {
                *path = inputs->path;
                return 1;
            }
            inputs->path[frame->prefix + length - 1] = '\0'; /* the folder, without '/' */
            struct stat info;
            if (stat(inputs->path, &info) != 0) {
                char what[160];
                snprintf(what, sizeof what, "cannot open the folder: %s", strerror(errno));
                return fail(inputs, path, problem, what);
            }
            if (enter_folder(inputs, &info, path, problem) != 0)
                return -1;
            continue;
        }
        if (inputs->list) {
            int error = 0;
            const char *line = next_line(inputs, &error);
            if (line) {
                int got = visit(inputs, line, path, problem);
                if (got != 0)
                    return got;
                continue;
            }
            const char *name = inputs->queue[inputs->position - 1].path;
            inputs->list = NULL;
            if (error) {
                snprintf(inputs->path, sizeof inputs->path, "%s", name);
                char what[160];
                snprintf(what, sizeof what, "cannot read the file list: %s", strerror(error));
                return fail(inputs, path, problem, what);
            }
            continue;
        }
        if (inputs->position == inputs->queued)
            return 0;
        queued_entry *entry = &inputs->queue[inputs->position++];
        if (entry->is_list) {
            inputs->list = entry->list;
            continue;
        }
        int got = visit(inputs, entry->path, path, problem);
        if (got != 0)
            return got;
    }
}
