/* The table of subcommands, shared by main() and the fuzz targets.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cli.h"

#include <string.h>

/* New commands go at the end: the argument fuzzer picks a command by its
 * index, and its seeds keep their meaning. */
const cli_command cli_commands[] = {
    {"rapsd", cmd_rapsd},     {"fmax", cmd_fmax},
    {"tide", cmd_tide},       {"schedules", cmd_schedules},
    {"audio", cmd_audio},     {"mfcc", cmd_mfcc},
    {"melspec", cmd_melspec}, {"tide-audio", cmd_tide_audio},
    {"merge", cmd_merge},     {"report", cmd_report},
};
const int cli_command_count = CLI_COUNT(cli_commands);

const cli_command *cli_find_command(const char *name)
{
    for (int i = 0; i < cli_command_count; i++)
        if (strcmp(name, cli_commands[i].name) == 0)
            return &cli_commands[i];
    return NULL;
}
