/* JPEG through libjpeg-turbo with its defaults (ISLOW IDCT, fancy
 * upsampling), which is what PIL and torchvision run: the same library and
 * the same settings give the same code values, bit for bit.
 *
 * libjpeg's default error handler calls exit(): here errors return through
 * longjmp with the library's message. Warnings that mean lost image data
 * (a truncated file, a corrupt entropy-coded segment: libjpeg would fill in
 * gray and go on) count as damage too; a warning about bytes between two
 * markers after complete data, or an unknown JFIF revision, does not.
 *
 * CMYK and YCCK files are converted as PIL's Image.convert("RGB") does: PIL
 * opens every four-component JPEG as inverted ("Adobe") CMYK, then takes
 * R = 255 - k' - c'(255 - k')/255 (rounded, Pillow's cmyk2rgb) with c' and k'
 * the inverted samples.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cli.h"
#include "pixels_internal.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
/* jerror.h after jpeglib.h: the message codes of the warnings. */
#include <jerror.h>

typedef struct {
    struct jpeg_error_mgr base;
    jmp_buf escape;
    char message[JMSG_LENGTH_MAX];
} returning_errors;

static void leave_decoder(j_common_ptr info)
{
    returning_errors *errors = (returning_errors *)info->err;
    errors->base.format_message(info, errors->message);
    longjmp(errors->escape, 1);
}

static int warning_means_damage(int code)
{
    switch (code) {
    case JWRN_EXTRANEOUS_DATA: /* stray bytes before a marker: the data were complete */
    case JWRN_JFIF_MAJOR:
    case JWRN_ADOBE_XFORM:
    case JWRN_BOGUS_ICC: /* an ICC marker that is not used for the pixels */
        return 0;
    default:
        return 1;
    }
}

static void note_message(j_common_ptr info, int level)
{
    if (level < 0 && warning_means_damage(info->err->msg_code))
        leave_decoder(info);
}

/* Pillow's MULDIV255: a * b / 255, rounded, in integers. */
static int muldiv255(int a, int b)
{
    int t = a * b + 128;
    return ((t >> 8) + t) >> 8;
}

static void cmyk_row_to_rgb(const JSAMPLE *cmyk, unsigned char *rgb, int width)
{
    for (int x = 0; x < width; x++) {
        const JSAMPLE *in = cmyk + 4 * (size_t)x;
        /* PIL's inverted samples are c' = 255 - c and k' = 255 - k; its
         * cmyk2rgb keeps 255 - k' = k. */
        int keep = in[3];
        for (int c = 0; c < 3; c++) {
            int inverted = 255 - in[c];
            int value = keep - muldiv255(inverted, keep);
            rgb[3 * (size_t)x + c] = (unsigned char)(value < 0 ? 0 : value > 255 ? 255 : value);
        }
    }
}

static const char *subsampling_name(const struct jpeg_decompress_struct *info)
{
    if (info->num_components != 3)
        return "";
    const jpeg_component_info *luma = &info->comp_info[0];
    int h = luma->h_samp_factor, v = luma->v_samp_factor;
    for (int c = 1; c < 3; c++)
        if (info->comp_info[c].h_samp_factor != 1 || info->comp_info[c].v_samp_factor != 1)
            return " (unusual sampling)";
    if (h == 1 && v == 1)
        return " 4:4:4";
    if (h == 2 && v == 1)
        return " 4:2:2";
    if (h == 2 && v == 2)
        return " 4:2:0";
    if (h == 1 && v == 2)
        return " 4:4:0";
    if (h == 4 && v == 1)
        return " 4:1:1";
    return " (unusual sampling)";
}

typedef struct {
    struct jpeg_decompress_struct info;
    returning_errors errors;
    JSAMPLE *rows;      /* rec_outbuf_height decoded rows */
    unsigned char *rgb; /* one converted row (CMYK only) */
    int created;
} jpeg_state;

static int decode(jpeg_state *state, cli_sink *sink, const unsigned char *bytes, size_t size)
{
    struct jpeg_decompress_struct *info = &state->info;
    jpeg_create_decompress(info);
    state->created = 1;
    jpeg_mem_src(info, bytes, (unsigned long)size);
    if (sink->settings->color_managed)
        jpeg_save_markers(info, JPEG_APP0 + 2, 0xFFFF); /* ICC profile */
    jpeg_read_header(info, TRUE);
    int gray = info->num_components == 1;
    int cmyk = info->num_components == 4;
    if (!gray && !cmyk && info->num_components != 3)
        return cli_sink_fail(sink, "JPEG with %d colour components", info->num_components);
    info->out_color_space = gray ? JCS_GRAYSCALE : cmyk ? JCS_CMYK : JCS_RGB;
    if (sink->settings->color_managed && !cmyk) {
        JOCTET *icc = NULL;
        unsigned int icc_size = 0;
        if (jpeg_read_icc_profile(info, &icc, &icc_size)) {
            cli_sink_set_icc(sink, icc, icc_size);
            free(icc);
        }
    }
    snprintf(sink->picture->format, sizeof sink->picture->format, "JPEG %s%s%s",
             info->progressive_mode ? "progressive" : "baseline", subsampling_name(info),
             gray   ? " gray"
             : cmyk ? " CMYK"
                    : "");
    /* Sizes from the header, before the decoder allocates anything large. */
    if (cli_sink_begin(sink, (int)info->image_width, (int)info->image_height, gray) != CLI_OK)
        return CLI_BAD_INPUT;
    jpeg_start_decompress(info);
    int width = (int)info->output_width, components = info->output_components;
    int batch = info->rec_outbuf_height > 0 ? info->rec_outbuf_height : 1;
    state->rows = malloc((size_t)width * components * batch);
    state->rgb = cmyk ? malloc((size_t)width * 3) : NULL;
    if (!state->rows || (cmyk && !state->rgb))
        return cli_sink_fail(sink, "out of memory");
    JSAMPROW pointers[16];
    if (batch > 16)
        batch = 16;
    for (int i = 0; i < batch; i++)
        pointers[i] = state->rows + (size_t)i * width * components;
    while (info->output_scanline < info->output_height) {
        int y = (int)info->output_scanline;
        int got = (int)jpeg_read_scanlines(info, pointers, (JDIMENSION)batch);
        for (int i = 0; i < got; i++) {
            if (cmyk) {
                cmyk_row_to_rgb(pointers[i], state->rgb, width);
                cli_sink_row(sink, y + i, state->rgb, CLI_SAMPLE_U8, 3);
            } else {
                cli_sink_row(sink, y + i, pointers[i], CLI_SAMPLE_U8, components);
            }
        }
        if (got == 0)
            return cli_sink_fail(sink, "damaged JPEG (no more rows at row %d)", y);
    }
    jpeg_finish_decompress(info);
    return CLI_OK;
}

int cli_decode_jpeg(cli_sink *sink, const unsigned char *bytes, size_t size)
{
    jpeg_state *state = calloc(1, sizeof *state);
    if (!state)
        return cli_sink_fail(sink, "out of memory");
    state->info.err = jpeg_std_error(&state->errors.base);
    state->errors.base.error_exit = leave_decoder;
    state->errors.base.emit_message = note_message;
    int status;
    if (setjmp(state->errors.escape) == 0)
        status = decode(state, sink, bytes, size);
    else
        status = cli_sink_fail(sink, "not a readable JPEG (libjpeg: %s)", state->errors.message);
    if (state->created)
        jpeg_destroy_decompress(&state->info);
    free(state->rows);
    free(state->rgb);
    free(state);
    return status;
}
