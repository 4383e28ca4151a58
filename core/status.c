/* Status messages and the library's version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "spectide.h"

const char *st_status_message(st_status status)
{
    switch (status) {
    case ST_OK:
        return "ok";
    case ST_NOT_READY:
        return "no result yet (not enough input)";
    case ST_ERROR_ARGUMENT:
        return "invalid argument (size, range or pointer)";
    case ST_ERROR_MEMORY:
        return "out of memory";
    case ST_ERROR_NOT_FINITE:
        return "input contains NaN or infinite values";
    case ST_ERROR_FORMAT:
        return "not in the expected format or version";
    case ST_ERROR_MISMATCH:
        return "objects that cannot be combined (different grid, channel or settings)";
    case ST_ERROR_NO_SIGNAL:
        return "nothing of the image or signal is left (a(t) = 0)";
    }
    return "unknown status";
}

const char *st_version(void)
{
    return ST_VERSION_STRING;
}

int st_version_number(void)
{
    return ST_VERSION_NUMBER;
}
