/* Option parsing shared by every subcommand: long options only, with the
 * value either in the next argument or after '='. Strict number parsing: "3x"
 * or "nan" is a usage error, not 3 or NaN.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static int parse_value(const char *command, const cli_option *option, const char *value)
{
    char *end = NULL;
    errno = 0;
    switch (option->type) {
    case CLI_STRING:
        *(const char **)option->target = value;
        return CLI_OK;
    case CLI_INT: {
        long number = strtol(value, &end, 10);
        if (errno || end == value || *end || number < INT_MIN || number > INT_MAX)
            return cli_usage_error(command, "--%s needs an integer, not '%s'", option->name, value);
        *(int *)option->target = (int)number;
        return CLI_OK;
    }
    case CLI_DOUBLE: {
        double number = strtod(value, &end);
        if (errno || end == value || *end || !isfinite(number))
            return cli_usage_error(command, "--%s needs a finite number, not '%s'", option->name,
                                   value);
        *(double *)option->target = number;
        return CLI_OK;
    }
    case CLI_FLAG:
        break;
    }
    return cli_usage_error(command, "--%s takes no value", option->name);
}

static const cli_option *find_option(const cli_option *options, int count, const char *name,
                                     size_t name_length)
{
    for (int i = 0; i < count; i++)
        if (strlen(options[i].name) == name_length &&
            strncmp(options[i].name, name, name_length) == 0)
            return &options[i];
    return NULL;
}

int cli_parse(const char *command, const char *help, int argc, char **argv,
              const cli_option *options, int option_count, const char **positional,
              int *positional_count, int max_positional)
{
    int only_positional = 0;
    *positional_count = 0;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (!only_positional && (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0)) {
            fputs(help, stdout);
            return CLI_HELP_SHOWN;
        }
        if (!only_positional && strcmp(arg, "--") == 0) {
            only_positional = 1;
            continue;
        }
        if (only_positional || arg[0] != '-' || arg[1] == '\0') {
            if (*positional_count >= max_positional)
                return cli_usage_error(command, "unexpected argument '%s'", arg);
            positional[(*positional_count)++] = arg;
            continue;
        }
        if (arg[1] != '-') {
            const cli_option *option = NULL;
            for (int k = 0; k < option_count && !option; k++)
                if (options[k].letter && options[k].letter == arg[1])
                    option = &options[k];
            if (!option)
                return cli_usage_error(command, "unknown option '%s'", arg);
            if (option->seen)
                *option->seen = 1;
            if (option->type == CLI_FLAG) {
                if (arg[2])
                    return cli_usage_error(command, "-%c takes no value", arg[1]);
                *(int *)option->target = 1;
                continue;
            }
            const char *value = arg[2] ? arg + 2 : NULL;
            if (!value) {
                if (i + 1 >= argc)
                    return cli_usage_error(command, "-%c needs a value", arg[1]);
                value = argv[++i];
            }
            int status = parse_value(command, option, value);
            if (status != CLI_OK)
                return status;
            continue;
        }
        const char *name = arg + 2;
        const char *equals = strchr(name, '=');
        size_t name_length = equals ? (size_t)(equals - name) : strlen(name);
        const cli_option *option = find_option(options, option_count, name, name_length);
        if (!option)
            return cli_usage_error(command, "unknown option '%.*s'", (int)(name_length + 2), arg);
        if (option->seen)
            *option->seen = 1;
        if (option->type == CLI_FLAG) {
            if (equals)
                return cli_usage_error(command, "--%s takes no value", option->name);
            *(int *)option->target = 1;
            continue;
        }
        const char *value = equals ? equals + 1 : NULL;
        if (!value) {
            if (i + 1 >= argc)
                return cli_usage_error(command, "--%s needs a value", option->name);
            value = argv[++i];
        }
        int status = parse_value(command, option, value);
        if (status != CLI_OK)
            return status;
    }
    return CLI_OK;
}

int cli_is_plot_path(const char *path)
{
    size_t n = strlen(path);
    return n > 4 &&
           (strcasecmp(path + n - 4, ".png") == 0 || strcasecmp(path + n - 4, ".svg") == 0);
}

int cli_check_input_file(const char *path, const char *what)
{
    struct stat info;
    if (stat(path, &info) != 0) {
        cli_error("%s: cannot open: %s", path, strerror(errno));
        return CLI_BAD_INPUT;
    }
    if (S_ISDIR(info.st_mode)) {
        cli_error("%s: is a folder, not %s", path, what);
        return CLI_BAD_INPUT;
    }
    if (!S_ISREG(info.st_mode)) {
        cli_error("%s: not a regular file", path);
        return CLI_BAD_INPUT;
    }
    if (info.st_size == 0) {
        cli_error("%s: empty file, not %s", path, what);
        return CLI_BAD_INPUT;
    }
    if (access(path, R_OK) != 0) {
        cli_error("%s: cannot read: %s", path, strerror(errno));
        return CLI_BAD_INPUT;
    }
    return CLI_OK;
}
