/* The test hosts' URID table; see urid_table.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "urid_table.h"

#include <string.h>

static LV2_URID map_callback(LV2_URID_Map_Handle handle, const char *uri)
{
    return test_urid_map(handle, uri);
}

static const char *unmap_callback(LV2_URID_Unmap_Handle handle, LV2_URID urid)
{
    return test_urid_unmap(handle, urid);
}

void test_urid_table_init(test_urid_table *table)
{
    table->count = 0;
    table->map = (LV2_URID_Map){table, map_callback};
    table->unmap = (LV2_URID_Unmap){table, unmap_callback};
}

LV2_URID test_urid_map(test_urid_table *table, const char *uri)
{
    for (int i = 0; i < table->count; i++) {
        if (!strcmp(table->uris[i], uri)) {
            return (LV2_URID)(i + 1);
        }
    }
    if (table->count == TEST_URID_MAX || strlen(uri) >= TEST_URID_URI_MAX) {
        return 0;
    }
    strcpy(table->uris[table->count], uri);
    return (LV2_URID)++table->count;
}

const char *test_urid_unmap(const test_urid_table *table, LV2_URID urid)
{
    return urid >= 1 && (int)urid <= table->count ? table->uris[urid - 1] : "";
}
