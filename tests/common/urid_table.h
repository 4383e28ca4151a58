/* A URID map (and unmap) for the test hosts, without allocation: URIs are
 * kept in a fixed table, so the map may be called from a plugin's run()
 * (the LV2 spec lets a plugin map there, and the alloc counters must only
 * see the plugin's own heap calls). Single-threaded, like the test hosts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef SPECTIDE_TEST_URID_TABLE_H
#define SPECTIDE_TEST_URID_TABLE_H

#include <lv2/urid/urid.h>

#define TEST_URID_MAX     512
#define TEST_URID_URI_MAX 192 /* longer URIs map to 0 (the map's "failure") */

typedef struct {
    char uris[TEST_URID_MAX][TEST_URID_URI_MAX];
    int count;
    LV2_URID_Map map;     /* feature data for LV2_URID__map */
    LV2_URID_Unmap unmap; /* feature data for LV2_URID__unmap */
} test_urid_table;

/* Empties the table and points the map and unmap features at it. */
void test_urid_table_init(test_urid_table *table);
/* URIDs start at 1 and stay stable; 0 when the table is full. */
LV2_URID test_urid_map(test_urid_table *table, const char *uri);
/* "" for an unknown URID. */
const char *test_urid_unmap(const test_urid_table *table, LV2_URID urid);

#endif
