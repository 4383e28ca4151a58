/* Internal to the core: how constructors report their status (the
 * convention of spectide.h: NULL plus *error, which may be NULL).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef SPECTIDE_CONSTRUCTOR_H
#define SPECTIDE_CONSTRUCTOR_H

#include "spectide.h"

#include <stddef.h>

/* Stores `status` in *error when the caller asked for it; returns NULL so a
 * constructor can `return st_failed(error, ST_ERROR_ARGUMENT);`. */
static inline void *st_failed(st_status *error, st_status status)
{
    if (error)
        *error = status;
    return NULL;
}

/* Stores ST_OK and returns `object`. */
static inline void *st_made(st_status *error, void *object)
{
    if (error)
        *error = ST_OK;
    return object;
}

#endif
