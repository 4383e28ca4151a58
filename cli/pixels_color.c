/* Colour management on request (--color-managed), through Little CMS 2:
 * the decoded samples are converted from the file's colour description to
 * sRGB (gray files: to gray with the sRGB transfer curve) before the
 * mapping x = 2v - 1. Without the option nothing here runs: the analysis
 * reads the stored code values (docs/conventions.md).
 *
 * The description, in the order a viewer uses it: an embedded ICC profile
 * (PNG iCCP, JPEG APP2, TIFF ICC tag, WebP ICCP); else PNG sRGB (already
 * sRGB: nothing to do); else PNG gAMA with cHRM (primaries and white point;
 * sRGB's without cHRM), the transfer curve v^(1/gamma); else nothing (taken
 * as sRGB). The conversion is in floating point (values outside [0, 1] from
 * a wider gamut are kept), perceptual intent. CMYK files keep PIL's
 * conversion (colour management of CMYK is not done).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cli.h"
#include "pixels_internal.h"

#include <lcms2.h>
#include <stdlib.h>
#include <string.h>

struct cli_color {
    cmsHTRANSFORM transform;
    int channels; /* 1 gray, 3 RGB */
    float *in, *out;
};

static cmsToneCurve *srgb_curve(void)
{
    /* IEC 61966-2-1: Y = ((X + 0.055) / 1.055)^2.4 above 0.04045, X / 12.92 below. */
    const cmsFloat64Number parameters[5] = {2.4, 1.0 / 1.055, 0.055 / 1.055, 1.0 / 12.92, 0.04045};
    return cmsBuildParametricToneCurve(NULL, 4, parameters);
}

/* The destination: sRGB, or gray with sRGB's white point and curve. */
static cmsHPROFILE destination(int gray)
{
    if (!gray)
        return cmsCreate_sRGBProfile();
    cmsCIExyY d65 = {0.3127, 0.3290, 1.0};
    cmsToneCurve *curve = srgb_curve();
    cmsHPROFILE profile = curve ? cmsCreateGrayProfile(&d65, curve) : NULL;
    cmsFreeToneCurve(curve);
    return profile;
}

/* A profile from PNG gAMA (the file stores v = linear^gamma) and cHRM. */
static cmsHPROFILE from_gamma(double gamma, const double *chrm, int gray)
{
    cmsCIExyY white = {0.3127, 0.3290, 1.0};
    cmsCIExyYTRIPLE primaries = {{0.64, 0.33, 1.0}, {0.30, 0.60, 1.0}, {0.15, 0.06, 1.0}};
    if (chrm) {
        white = (cmsCIExyY){chrm[0], chrm[1], 1.0};
        primaries = (cmsCIExyYTRIPLE){
            {chrm[2], chrm[3], 1.0}, {chrm[4], chrm[5], 1.0}, {chrm[6], chrm[7], 1.0}};
    }
    cmsToneCurve *curve = cmsBuildGamma(NULL, 1.0 / gamma);
    if (!curve)
        return NULL;
    cmsToneCurve *curves[3] = {curve, curve, curve};
    cmsHPROFILE profile = gray ? cmsCreateGrayProfile(&white, curve)
                               : cmsCreateRGBProfile(&white, &primaries, curves);
    cmsFreeToneCurve(curve);
    return profile;
}

int cli_color_start(cli_sink *sink)
{
    const cli_color_source *source = &sink->color_source;
    int gray = sink->picture->is_gray;
    cmsHPROFILE input = NULL;
    if (source->icc && source->icc_size > 0) {
        input = cmsOpenProfileFromMem(source->icc, (cmsUInt32Number)source->icc_size);
        if (!input)
            return cli_sink_fail(sink, "--color-managed: the embedded ICC profile is not usable");
        cmsColorSpaceSignature space = cmsGetColorSpace(input);
        if (space != (gray ? cmsSigGrayData : cmsSigRgbData)) {
            cmsCloseProfile(input);
            return cli_sink_fail(sink,
                                 "--color-managed: the embedded ICC profile is not for %s data",
                                 gray ? "gray" : "RGB");
        }
    } else if (source->srgb) {
        return CLI_OK; /* sRGB already */
    } else if (source->gamma > 0.0) {
        input = from_gamma(source->gamma, source->has_chrm ? source->chrm : NULL, gray);
        if (!input)
            return cli_sink_fail(sink, "--color-managed: gAMA/cHRM not usable");
    } else {
        return CLI_OK; /* no description: taken as sRGB */
    }
    cmsHPROFILE output = destination(gray);
    cli_color *color = calloc(1, sizeof *color);
    int channels = gray ? 1 : 3;
    cmsUInt32Number format = gray ? TYPE_GRAY_FLT : TYPE_RGB_FLT;
    if (color && output) {
        color->transform =
            cmsCreateTransform(input, format, output, format, INTENT_PERCEPTUAL, cmsFLAGS_NOCACHE);
        color->in = malloc(sizeof(float) * channels * (size_t)sink->width);
        color->out = malloc(sizeof(float) * channels * (size_t)sink->width);
    }
    cmsCloseProfile(input);
    if (output)
        cmsCloseProfile(output);
    if (!color || !color->transform || !color->in || !color->out) {
        cli_color_free(color);
        return cli_sink_fail(sink, "--color-managed: no conversion to sRGB from this profile");
    }
    color->channels = channels;
    sink->color = color;
    return CLI_OK;
}

const float *cli_color_row(cli_color *color, int width, const void *row, cli_sample_type type,
                           int channels)
{
    size_t count = (size_t)width;
    for (size_t x = 0; x < count; x++)
        for (int c = 0; c < color->channels; c++) {
            size_t i = x * (size_t)channels + (size_t)c;
            float v = type == CLI_SAMPLE_U8    ? ((const uint8_t *)row)[i] / 255.0f
                      : type == CLI_SAMPLE_U16 ? ((const uint16_t *)row)[i] / 65535.0f
                                               : ((const float *)row)[i];
            color->in[x * (size_t)color->channels + (size_t)c] = v;
        }
    cmsDoTransform(color->transform, color->in, color->out, (cmsUInt32Number)width);
    return color->out;
}

int cli_color_channels(const cli_color *color)
{
    return color->channels;
}

void cli_color_free(cli_color *color)
{
    if (!color)
        return;
    if (color->transform)
        cmsDeleteTransform(color->transform);
    free(color->in);
    free(color->out);
    free(color);
}
