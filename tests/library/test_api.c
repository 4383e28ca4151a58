/* The core's API conventions, as spectide.h states them: constructors report
 * their reason through *error (NULL allowed), ST_NOT_READY is positive and
 * distinct, every status has its own message, the version functions match
 * the headers, FFTW wisdom goes out and in.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "check.h"
#include "spectide_audio.h"

#include <stdlib.h>
#include <string.h>

/* Each constructor with arguments out of range: NULL and ST_ERROR_ARGUMENT;
 * with good ones: an object and ST_OK; with error == NULL: no crash. */
static void test_constructors(void)
{
    st_status error = ST_OK;
    CHECK(!st_rapsd_new(0, 10, &error) && error == ST_ERROR_ARGUMENT, "rapsd 0x10 refused");
    error = ST_ERROR_MEMORY;
    st_rapsd *rapsd = st_rapsd_new(16, 8, &error);
    CHECK(rapsd && error == ST_OK, "rapsd 16x8 made, error set to ST_OK");
    st_rapsd_free(rapsd);
    CHECK(!st_rapsd_new(ST_MAX_IMAGE_SIDE + 1, 1, NULL), "rapsd too wide refused, error NULL");

    error = ST_OK;
    CHECK(!st_filter_new(-1, 4, &error) && error == ST_ERROR_ARGUMENT, "filter -1x4 refused");
    error = ST_OK;
    CHECK(!st_stft_new(1000, 256, &error) && error == ST_ERROR_ARGUMENT,
          "stft n_fft 1000 (not a power of two) refused");
    error = ST_OK;
    CHECK(!st_average_new(0, 0.0, 0.0, &error) && error == ST_ERROR_ARGUMENT,
          "average of 0 bins refused");
    error = ST_OK;
    CHECK(!st_resampler_new(48000, -1, -1, 256, &error) && error == ST_ERROR_ARGUMENT,
          "resampler to a negative rate refused");
    error = ST_OK;
    CHECK(!st_melbank_new(22050, 2048, 128, 0, 20000, 0, &error) && error == ST_ERROR_ARGUMENT,
          "mel bank above Nyquist refused");
    error = ST_OK;
    CHECK(!st_mfcc_new(20, 40, &error) && error == ST_ERROR_ARGUMENT,
          "40 MFCCs of 20 mels refused");
    error = ST_OK;
    CHECK(!st_cepstral_new(1, 128, &error) && error == ST_ERROR_ARGUMENT,
          "cepstral view of 1 mel refused");
    error = ST_ERROR_MEMORY;
    st_logavg *avg = st_logavg_new(&error);
    CHECK(avg && error == ST_OK, "logavg made");
    st_logavg_free(avg);

    /* free(NULL) is a no-op for every object. */
    st_rapsd_free(NULL);
    st_filter_free(NULL);
    st_stft_free(NULL);
    st_average_free(NULL);
    st_resampler_free(NULL);
    st_melbank_free(NULL);
    st_mfcc_free(NULL);
    st_cepstral_free(NULL);
    st_logavg_free(NULL);
}

static void test_statuses(void)
{
    const st_status all[] = {
        ST_OK,           ST_NOT_READY,      ST_ERROR_ARGUMENT, ST_ERROR_MEMORY, ST_ERROR_NOT_FINITE,
        ST_ERROR_FORMAT, ST_ERROR_MISMATCH, ST_ERROR_NO_SIGNAL};
    const int count = (int)(sizeof all / sizeof all[0]);
    int distinct = 1;
    for (int i = 0; i < count; i++)
        for (int j = i + 1; j < count; j++)
            distinct &= strcmp(st_status_message(all[i]), st_status_message(all[j])) != 0;
    CHECK(distinct, "%d statuses, %d distinct messages", count, count);
    CHECK(ST_NOT_READY > 0 && ST_ERROR_ARGUMENT < 0 && ST_ERROR_MISMATCH < 0,
          "not ready is positive, errors negative");
    CHECK(strcmp(st_status_message((st_status)-99), "unknown status") == 0, "unknown status named");
}

static void test_version(const char *expected)
{
    CHECK(strcmp(st_version(), ST_VERSION_STRING) == 0, "st_version() %s == headers' %s",
          st_version(), ST_VERSION_STRING);
    CHECK(strcmp(st_version(), expected) == 0, "st_version() %s == project version %s",
          st_version(), expected);
    CHECK(st_version_number() ==
              ST_VERSION_MAJOR * 10000 + ST_VERSION_MINOR * 100 + ST_VERSION_MICRO,
          "st_version_number() %d", st_version_number());
}

/* Wisdom in the default (process-wide) mode: text that is not wisdom is
 * refused; after a plan the exported text is FFTW's wisdom format, holds
 * more than an empty planner's and imports again. */
static void test_wisdom(void)
{
    CHECK(st_fftw_import_wisdom("not wisdom") == ST_ERROR_FORMAT,
          "text that is not wisdom: ST_ERROR_FORMAT");
    char *empty = st_fftw_export_wisdom();
    st_rapsd *rapsd = st_rapsd_new(37, 53, NULL); /* prime sides: a planner search */
    char *text = st_fftw_export_wisdom();
    CHECK(empty && text && strncmp(text, "(fftw-", 6) == 0, "exported wisdom is FFTW's text");
    CHECK(text && empty && strlen(text) > strlen(empty),
          "a plan adds to the wisdom (%zu > %zu bytes)", text ? strlen(text) : 0,
          empty ? strlen(empty) : 0);
    CHECK(text && st_fftw_import_wisdom(text) == ST_OK, "exported wisdom imports again");
    st_rapsd_free(rapsd);
    free(empty);
    free(text);
}

int main(int argc, char **argv)
{
    test_constructors();
    test_statuses();
    test_version(argc > 1 ? argv[1] : "?");
    test_wisdom();
    return check_done();
}
