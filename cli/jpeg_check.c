/* A full JPEG decode with an error manager that returns, used before GEGL
 * opens a JPEG. GEGL's jpg-load keeps libjpeg's default error handler, which
 * calls exit() on the first fatal error (a damaged or truncated stream, a
 * file that only starts like a JPEG): the command would die without naming
 * the file. Decoding once here costs a second decode for good JPEGs, which
 * is cheap next to the FFTs that follow.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cli.h"

#include <jpeglib.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct {
    struct jpeg_error_mgr base;
    jmp_buf escape;
    char message[JMSG_LENGTH_MAX];
} returning_error_manager;

static void leave_decoder(j_common_ptr info)
{
    returning_error_manager *errors = (returning_error_manager *)info->err;
    errors->base.format_message(info, errors->message);
    longjmp(errors->escape, 1);
}

/* Warnings (corrupt data that libjpeg would paper over) count as damage too. */
static void note_warning(j_common_ptr info, int level)
{
    if (level < 0) {
        leave_decoder(info);
    }
}

int cli_jpeg_is_decodable(const char *path, char *problem, size_t problem_size)
{
    FILE *file = fopen(path, "rb");
    if (!file) {
        snprintf(problem, problem_size, "cannot open");
        return 0;
    }
    struct jpeg_decompress_struct info;
    returning_error_manager errors;
    JSAMPLE *row = NULL;
    info.err = jpeg_std_error(&errors.base);
    errors.base.error_exit = leave_decoder;
    errors.base.emit_message = note_warning;
    /* volatile: read after longjmp. */
    volatile int decodable = 0;
    if (setjmp(errors.escape) == 0) {
        jpeg_create_decompress(&info);
        jpeg_stdio_src(&info, file);
        jpeg_read_header(&info, TRUE);
        jpeg_start_decompress(&info);
        row = malloc((size_t)info.output_width * (size_t)info.output_components);
        while (row && info.output_scanline < info.output_height) {
            jpeg_read_scanlines(&info, &row, 1);
        }
        if (row) {
            jpeg_finish_decompress(&info);
            decodable = 1;
        } else {
            snprintf(problem, problem_size, "out of memory");
        }
    } else {
        snprintf(problem, problem_size, "%s", errors.message);
    }
    jpeg_destroy_decompress(&info);
    free(row);
    fclose(file);
    return decodable;
}
