/* Messages of the command line: on stderr, each naming the command, file or
 * option at fault. Kept apart from main() so that every other file of the
 * command line (and the fuzz targets that link them) can use them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cli.h"

#include <stdarg.h>

void cli_error(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    fputs("spectide: ", stderr);
    vfprintf(stderr, format, args);
    fputc('\n', stderr);
    va_end(args);
}

int cli_usage_error(const char *command, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    fprintf(stderr, "spectide %s: ", command);
    vfprintf(stderr, format, args);
    fprintf(stderr, "\nTry 'spectide %s --help'.\n", command);
    va_end(args);
    return CLI_BAD_USAGE;
}
