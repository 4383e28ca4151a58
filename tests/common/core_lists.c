/* core_lists: prints core's lists, one name per line, as every front must
 * offer them: `core_lists schedules`, `core_lists channels`, `core_lists
 * views` (the tide views). The front tests (tests/gimp, tests/gimp3,
 * tests/gegl, the LV2 TTL check) compare what their host lists against this
 * output, so that a schedule added to core's table and offered nowhere, or
 * an entry a front still lists after core dropped it, fails a test.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "spectide_tide.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    const char *list = argc == 2 ? argv[1] : "";
    if (strcmp(list, "schedules") == 0) {
        for (int i = 0; i < ST_SCHEDULE_COUNT; i++)
            printf("%s\n", st_schedule_name((st_schedule)i));
    } else if (strcmp(list, "channels") == 0) {
        for (int i = 0; i < ST_CHANNEL_COUNT; i++)
            printf("%s\n", st_channel_name((st_channel)i));
    } else if (strcmp(list, "views") == 0) {
        for (int i = 0; i < ST_TIDE_VIEW_COUNT; i++)
            printf("%s\n", st_tide_view_name((st_tide_view)i));
    } else {
        fprintf(stderr, "usage: core_lists schedules|channels|views\n");
        return 2;
    }
    return ferror(stdout) ? 1 : 0;
}
