/* The image inputs of a dataset command: files and folders given as
 * arguments, then the lines of --files-from (a file, or "-" for stdin), in
 * that order, mixed freely (a listed line may be a folder too). A folder is
 * walked recursively, each level sorted by byte value of the names (the same
 * order on every machine and locale), keeping files with an image extension
 * and leaving out hidden entries (names starting with '.'). Only one
 * folder level's names are in memory at a time: a list of a million paths is
 * streamed, never held. A folder that is already being walked (a symbolic
 * link loop) is not entered again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "inputs.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

static const char *const image_extensions[] = {".png", ".jpg",  ".jpeg", ".jpe",
                                               ".tif", ".tiff", ".webp"};

int cli_is_image_name(const char *name)
{
    size_t n = strlen(name);
    for (int i = 0; i < CLI_COUNT(image_extensions); i++) {
        size_t e = strlen(image_extensions[i]);
        if (n > e && strcasecmp(name + n - e, image_extensions[i]) == 0)
            return 1;
    }
    return 0;
}

/* One folder being walked: its sorted entries and where we are. */
typedef struct {
    char *path;
    char **names;
    size_t count, next;
    dev_t device;
    ino_t inode;
} folder;

struct cli_inputs {
    const char *const *paths;
    int path_count, next_path;
    const char *files_from;
    FILE *list;
    int list_opened, list_done;
    char *line;
    size_t line_capacity;
    folder *stack;
    int depth, capacity;
    char *current; /* the path returned last */
};

cli_inputs *cli_inputs_new(const char *const *paths, int count, const char *files_from)
{
    cli_inputs *inputs = calloc(1, sizeof *inputs);
    if (!inputs)
        return NULL;
    inputs->paths = paths;
    inputs->path_count = count;
    inputs->files_from = files_from;
    return inputs;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void pop_folder(cli_inputs *inputs)
{
    folder *top = &inputs->stack[--inputs->depth];
    for (size_t i = 0; i < top->count; i++)
        free(top->names[i]);
    free(top->names);
    free(top->path);
}

static char *join(const char *folder_path, const char *name)
{
    size_t a = strlen(folder_path), b = strlen(name);
    int slash = a > 0 && folder_path[a - 1] != '/';
    char *path = malloc(a + slash + b + 1);
    if (path) {
        memcpy(path, folder_path, a);
        if (slash)
            path[a] = '/';
        memcpy(path + a + slash, name, b + 1);
    }
    return path;
}

/* Opens a folder and pushes its sorted entries. CLI_OK or CLI_BAD_INPUT. */
static int push_folder(cli_inputs *inputs, const char *path, const struct stat *info)
{
    for (int i = 0; i < inputs->depth; i++)
        if (inputs->stack[i].device == info->st_dev && inputs->stack[i].inode == info->st_ino)
            return CLI_OK; /* a loop through a symbolic link: already being walked */
    DIR *dir = opendir(path);
    if (!dir) {
        cli_error("%s: cannot read the folder: %s", path, strerror(errno));
        return CLI_BAD_INPUT;
    }
    if (inputs->depth == inputs->capacity) {
        int capacity = inputs->capacity ? 2 * inputs->capacity : 8;
        folder *grown = realloc(inputs->stack, (size_t)capacity * sizeof *grown);
        if (!grown) {
            closedir(dir);
            cli_error("%s: out of memory", path);
            return CLI_BAD_INPUT;
        }
        inputs->stack = grown;
        inputs->capacity = capacity;
    }
    folder entry = {.device = info->st_dev, .inode = info->st_ino};
    entry.path = strdup(path);
    size_t capacity = 0;
    int failed = !entry.path;
    struct dirent *item;
    errno = 0;
    while (!failed && (item = readdir(dir))) {
        if (item->d_name[0] == '.')
            continue;
        if (entry.count == capacity) {
            capacity = capacity ? 2 * capacity : 64;
            char **grown = realloc(entry.names, capacity * sizeof *grown);
            if (!grown) {
                failed = 1;
                break;
            }
            entry.names = grown;
        }
        if (!(entry.names[entry.count] = strdup(item->d_name)))
            failed = 1;
        else
            entry.count++;
        errno = 0;
    }
    int read_error = !failed && errno != 0 ? errno : 0;
    closedir(dir);
    inputs->stack[inputs->depth++] = entry;
    if (failed || read_error) {
        pop_folder(inputs);
        cli_error("%s: cannot read the folder: %s", path,
                  read_error ? strerror(read_error) : "out of memory");
        return CLI_BAD_INPUT;
    }
    if (entry.count > 1)
        qsort(entry.names, entry.count, sizeof *entry.names, compare_names);
    return CLI_OK;
}

/* Takes `path` (owned) as the current result. */
static const char *result(cli_inputs *inputs, char *path)
{
    free(inputs->current);
    inputs->current = path;
    return path;
}

/* An input as given (argument or list line): a folder is pushed, anything
 * else is returned as is (the loader names a missing or bad file). */
static const char *take(cli_inputs *inputs, const char *path, int *status, int *returned)
{
    struct stat info;
    *returned = 0;
    if (stat(path, &info) == 0 && S_ISDIR(info.st_mode)) {
        *status = push_folder(inputs, path, &info);
        if (*status != CLI_OK) {
            *returned = 1;
            return result(inputs, strdup(path));
        }
        return NULL;
    }
    *returned = 1;
    char *copy = strdup(path);
    if (!copy) {
        cli_error("%s: out of memory", path);
        *status = CLI_BAD_INPUT;
    }
    return result(inputs, copy);
}

/* The next line of --files-from, without its end of line; NULL at the end. */
static const char *next_line(cli_inputs *inputs, int *status)
{
    if (!inputs->files_from || inputs->list_done)
        return NULL;
    if (!inputs->list_opened) {
        inputs->list_opened = 1;
        inputs->list =
            strcmp(inputs->files_from, "-") == 0 ? stdin : fopen(inputs->files_from, "r");
        if (!inputs->list) {
            cli_error("%s: cannot open the file list: %s", inputs->files_from, strerror(errno));
            inputs->list_done = 1;
            *status = CLI_BAD_INPUT;
            return NULL;
        }
    }
    for (;;) {
        ssize_t n = getline(&inputs->line, &inputs->line_capacity, inputs->list);
        if (n < 0) {
            if (ferror(inputs->list)) {
                cli_error("%s: cannot read the file list", inputs->files_from);
                *status = CLI_BAD_INPUT;
            }
            inputs->list_done = 1;
            return NULL;
        }
        while (n > 0 && (inputs->line[n - 1] == '\n' || inputs->line[n - 1] == '\r'))
            inputs->line[--n] = '\0';
        if (n > 0)
            return inputs->line;
    }
}

const char *cli_inputs_next(cli_inputs *inputs, int *status)
{
    *status = CLI_OK;
    for (;;) {
        /* Inside a folder: its next entry. */
        while (inputs->depth > 0) {
            folder *top = &inputs->stack[inputs->depth - 1];
            if (top->next == top->count) {
                pop_folder(inputs);
                continue;
            }
            char *path = join(top->path, top->names[top->next++]);
            if (!path) {
                cli_error("%s: out of memory", top->path);
                *status = CLI_BAD_INPUT;
                return NULL;
            }
            struct stat info;
            if (stat(path, &info) != 0) {
                free(path); /* a dangling link or a file gone meanwhile: not an image */
                continue;
            }
            if (S_ISDIR(info.st_mode)) {
                *status = push_folder(inputs, path, &info);
                if (*status != CLI_OK)
                    return result(inputs, path);
                free(path);
                continue;
            }
            if (S_ISREG(info.st_mode) && cli_is_image_name(path))
                return result(inputs, path);
            free(path);
        }
        int returned;
        const char *path;
        if (inputs->next_path < inputs->path_count) {
            path = take(inputs, inputs->paths[inputs->next_path++], status, &returned);
        } else {
            const char *line = next_line(inputs, status);
            if (!line)
                return NULL;
            path = take(inputs, line, status, &returned);
        }
        if (returned)
            return path;
    }
}

void cli_inputs_free(cli_inputs *inputs)
{
    if (!inputs)
        return;
    while (inputs->depth > 0)
        pop_folder(inputs);
    free(inputs->stack);
    if (inputs->list && inputs->list != stdin)
        fclose(inputs->list);
    free(inputs->line);
    free(inputs->current);
    free(inputs);
}
