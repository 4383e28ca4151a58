/* Pixels in [0,1] to the analysis channel in [-1,1], and the status text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "check.h"
#include "spectide.h"

#include <string.h>

int main(void)
{
    /* Two RGBA pixels per row, rows padded to 10 floats. */
    const float rgba[20] = {0.0f, 0.5f, 1.0f, 0.3f, 1.0f, 0.25f, 0.0f, 1.0f, -7, -7,
                            0.2f, 0.4f, 0.6f, 0.0f, NAN,  0.75f, 0.1f, 0.9f, -7, -7};
    float out[4];
    st_pixels_to_analysis(rgba, 2, 2, 4, 10, ST_CHANNEL_GREEN, out);
    CHECK(out[0] == 0.0f && out[1] == -0.5f && fabsf(out[2] - -0.2f) < 1e-6f && out[3] == 0.5f,
          "RGBA green: 2v - 1, alpha and row padding ignored");
    st_pixels_to_analysis(rgba, 2, 2, 4, 10, ST_CHANNEL_RED, out);
    CHECK(out[0] == -1.0f && out[1] == 1.0f && out[3] == 0.0f, "red channel; NaN becomes 0");
    st_pixels_to_analysis(rgba, 2, 2, 4, 10, ST_CHANNEL_BLUE, out);
    CHECK(out[0] == 1.0f && out[1] == -1.0f, "blue channel");
    st_pixels_to_analysis(rgba, 2, 2, 4, 10, ST_CHANNEL_LUMA, out);
    double luma = 0.2126 * 0.0 + 0.7152 * 0.5 + 0.0722 * 1.0;
    CHECK_NEAR(out[0], 2 * luma - 1, 1e-6, "luma: Rec. 709 weights");

    const float rgb[3] = {0.1f, 0.2f, 0.3f};
    st_pixels_to_analysis(rgb, 1, 1, 3, 3, ST_CHANNEL_GREEN, out);
    CHECK_NEAR(out[0], 2 * 0.2 - 1, 1e-6, "RGB green");
    const float gray_alpha[4] = {0.25f, 0.0f, 1.0f, 0.5f};
    st_pixels_to_analysis(gray_alpha, 2, 1, 2, 4, ST_CHANNEL_BLUE, out);
    CHECK(out[0] == -0.5f && out[1] == 1.0f, "gray+alpha: gray, channel ignored");
    const float gray[2] = {0.0f, INFINITY};
    st_pixels_to_analysis(gray, 2, 1, 1, 2, ST_CHANNEL_LUMA, out);
    CHECK(out[0] == -1.0f && out[1] == 0.0f, "gray; Inf becomes 0");

    CHECK(st_code_to_x(0, 255) == -1.0f && st_code_to_x(255, 255) == 1.0f &&
              st_code_to_x(65535, 65535) == 1.0f,
          "codes: the ends of the range map to -1 and 1");
    CHECK(st_code_to_x(128, 255) == (float)(1.0 / 255.0), "code 128 of 255 is 1/255");
    CHECK(st_x_to_value(-1.0f) == 0.0f && st_x_to_value(0.0f) == 0.5f &&
              st_x_to_value(1.0f) == 1.0f && st_value_to_x(0.25) == -0.5,
          "x = 2v - 1 and back");
    CHECK(st_luma(1, 1, 1) > 1.0 - 1e-15 && st_luma(0, 1, 0) == 0.7152,
          "luma weights sum to 1; green's weight is 0.7152");

    st_channel channel;
    int names_ok = 1;
    for (int i = 0; i < ST_CHANNEL_COUNT; i++)
        names_ok &= st_channel_from_name(st_channel_name((st_channel)i), &channel) == ST_OK &&
                    channel == (st_channel)i;
    CHECK(names_ok, "channel names round-trip");
    CHECK(st_channel_from_name("alpha", &channel) == ST_ERROR_ARGUMENT,
          "unknown channel: ST_ERROR_ARGUMENT");
    CHECK(strcmp(st_channel_name(ST_CHANNEL_GREEN), "green") == 0, "green is \"green\"");
    CHECK(strstr(st_status_message(ST_ERROR_NOT_FINITE), "NaN") != NULL,
          "status message names the problem");
    return check_done();
}
