/* Tick generation: decades on log axes, 1-2-5 steps on linear axes, the
 * audio labels 20 .. 20k, labels that do not overlap.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "spectide_view.h"
#include "view_internal.h"
#include "pixels.h"

#include <string.h>

static void test_log_decades(void)
{
    double t[32];
    int n = sv_ticks_log(1e-3, 0.5, t, 32);
    CHECK(n == 3, "[1e-3, 0.5] gave %d decades", n);
    const double want[3] = {1e-3, 1e-2, 1e-1};
    for (int i = 0; i < n && i < 3; i++)
        CHECK(fabs(t[i] / want[i] - 1.0) < 1e-12, "decade %d is %g, not %g", i, t[i], want[i]);

    n = sv_ticks_log(1.0, 1000.0, t, 32);
    CHECK(n == 4 && fabs(t[0] - 1) < 1e-12 && fabs(t[3] / 1000 - 1) < 1e-12,
          "[1, 1000] gave %d ticks", n);
    CHECK(sv_ticks_log(0.2, 0.5, t, 32) == 0, "no decade inside [0.2, 0.5]");
    CHECK(sv_ticks_log(0.0, 1.0, t, 32) == 0, "min 0 is not a log range");
    CHECK(sv_ticks_log(-1.0, 1.0, t, 32) == 0, "negative min is not a log range");
    CHECK(sv_ticks_log(NAN, 1.0, t, 32) == 0, "NaN range");
    CHECK(sv_ticks_log(1e-300, 1e300, t, 5) == 5, "max_n respected");
}

/* Properties of 1-2-5 ticks, against a brute-force enumeration. */
static void check_nice(double lo, double hi, int target)
{
    double t[VIEW_MAX_TICKS];
    int n = sv_ticks_nice(lo, hi, target, t, VIEW_MAX_TICKS);
    CHECK(n >= 1, "[%g, %g] target %d: no ticks", lo, hi, target);
    if (n < 2)
        return;
    double step = t[1] - t[0];
    double e = floor(log10(step) + 1e-9), mant = step / pow(10, e);
    CHECK(fabs(mant - 1) < 1e-6 || fabs(mant - 2) < 1e-6 || fabs(mant - 5) < 1e-6,
          "[%g, %g] step %g is not 1-2-5", lo, hi, step);
    for (int i = 0; i < n; i++) {
        CHECK(t[i] >= lo - 1e-9 * step && t[i] <= hi + 1e-9 * step, "tick %g outside [%g, %g]",
              t[i], lo, hi);
        double k = t[i] / step;
        CHECK(fabs(k - round(k)) < 1e-6, "tick %g not a multiple of %g", t[i], step);
        if (i > 0)
            CHECK(fabs(t[i] - t[i - 1] - step) < 1e-6 * step, "uneven spacing at %d", i);
    }
    /* every multiple of step inside the range is there */
    int expected = 0;
    for (double k = floor(lo / step) - 1; k <= ceil(hi / step) + 1; k++)
        expected += k * step >= lo - 1e-9 * step && k * step <= hi + 1e-9 * step;
    CHECK(n == expected, "[%g, %g]: %d ticks, %d multiples of %g", lo, hi, n, expected, step);
    CHECK(n <= 2.5 * target + 2, "[%g, %g]: %d ticks for target %d", lo, hi, n, target);
}

static void test_nice(void)
{
    double t[32];
    int n = sv_ticks_nice(0.0, 1.0, 5, t, 32);
    CHECK(n == 6 && fabs(t[1] - 0.2) < 1e-12 && fabs(t[5] - 1.0) < 1e-12,
          "[0, 1] by 0.2: got %d ticks", n);
    n = sv_ticks_nice(-120.0, 0.0, 6, t, 32);
    CHECK(n == 7 && fabs(t[0] + 120) < 1e-9 && fabs(t[1] + 100) < 1e-9,
          "[-120, 0] by 20: got %d ticks", n);
    check_nice(-3.7, 8.2, 5);
    check_nice(0.001, 0.0093, 4);
    check_nice(1e6, 1.3e7, 8);
    check_nice(-1e-5, 1e-5, 3);
    unsigned seed = 7;
    for (int i = 0; i < 200; i++) {
        seed = seed * 1103515245u + 12345u;
        double a = ((seed >> 8) % 20000) / 100.0 - 100.0;
        seed = seed * 1103515245u + 12345u;
        double b = a + 0.01 + ((seed >> 8) % 10000) / 10.0;
        check_nice(a, b, 2 + i % 9);
    }
    CHECK(sv_ticks_nice(1.0, 1.0, 5, t, 32) == 0, "empty range");
    CHECK(sv_ticks_nice(0.0, INFINITY, 5, t, 32) == 0, "infinite range");
}

static int labelled_values(const view_tick *t, int n, double *out)
{
    int k = 0;
    for (int i = 0; i < n; i++)
        if (t[i].labelled)
            out[k++] = t[i].value;
    return k;
}

static void test_axis_labels(cairo_t *cr)
{
    view_tick t[VIEW_MAX_TICKS];
    double v[VIEW_MAX_TICKS];
    /* a wide audio axis shows the classic 1-2-5 frequencies */
    int n = view_axis_ticks(cr, SV_AXIS_LOG, 1, 20.0, 20000.0, 2000.0, 1, 11.0, t, VIEW_MAX_TICKS);
    static const double hz[10] = {20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000};
    static const char *names[10] = {"20", "50", "100", "200", "500",
                                    "1k", "2k", "5k",  "10k", "20k"};
    int k = 0;
    for (int i = 0; i < n; i++) {
        if (!t[i].labelled)
            continue;
        CHECK(k < 10 && fabs(t[i].value / hz[k] - 1) < 1e-9, "label %d at %g", k, t[i].value);
        CHECK(k < 10 && strcmp(t[i].label.main, names[k]) == 0, "label %d is '%s', not '%s'", k,
              t[i].label.main, k < 10 ? names[k] : "");
        k++;
    }
    CHECK(k == 10, "%d Hz labels instead of 10", k);

    /* a narrow one keeps a subset that does not overlap */
    n = view_axis_ticks(cr, SV_AXIS_LOG, 1, 20.0, 20000.0, 150.0, 1, 11.0, t, VIEW_MAX_TICKS);
    int m = labelled_values(t, n, v);
    CHECK(m >= 2 && m < 10, "150 px: %d labels", m);
    view_set_font(cr, 11.0, 0);
    for (int i = 1; i < n; i++) {
        if (!t[i].labelled)
            continue;
        for (int j = 0; j < i; j++) {
            if (!t[j].labelled)
                continue;
            double pi = (t[i].u - log10(20.0)) / 3.0 * 150.0, pj = (t[j].u - log10(20.0)) / 3 * 150;
            double half = 0.5 * (view_label_width(cr, &t[i].label, 11.0) +
                                 view_label_width(cr, &t[j].label, 11.0));
            CHECK(fabs(pi - pj) >= half, "labels %s and %s overlap", t[i].label.main,
                  t[j].label.main);
        }
    }

    /* decades with superscript exponents and minor ticks at 2..9 */
    n = view_axis_ticks(cr, SV_AXIS_LOG, 0, 1e-3, 1.0, 600.0, 1, 11.0, t, VIEW_MAX_TICKS);
    m = labelled_values(t, n, v);
    CHECK(m == 4, "[1e-3, 1]: %d labels", m);
    int minors = 0, found_m2 = 0;
    for (int i = 0; i < n; i++) {
        if (t[i].labelled && fabs(t[i].value - 1e-2) < 1e-15)
            CHECK(strcmp(t[i].label.main, "10") == 0 && strcmp(t[i].label.sup, VIEW_MINUS "2") == 0,
                  "1e-2 labelled '%s^%s'", t[i].label.main, t[i].label.sup);
        if (!t[i].major) {
            minors++;
            found_m2 |= fabs(t[i].value - 0.02) < 1e-12;
        }
    }
    CHECK(minors == 24, "%d minor ticks on 3 decades, expected 3 x 8", minors);
    CHECK(found_m2, "minor tick at 0.02");

    /* many decades: every other decade labelled at most */
    n = view_axis_ticks(cr, SV_AXIS_LOG, 0, 1e-30, 1e30, 200.0, 1, 11.0, t, VIEW_MAX_TICKS);
    m = labelled_values(t, n, v);
    CHECK(m >= 2 && m <= 12, "60 decades on 200 px: %d labels", m);

    /* 600 decades: labels spread over the whole axis, not only its start */
    n = view_axis_ticks(cr, SV_AXIS_LOG, 0, 1e-300, 1e300, 400.0, 1, 11.0, t, VIEW_MAX_TICKS);
    m = labelled_values(t, n, v);
    CHECK(m >= 2 && v[m - 1] > 1e200, "600 decades: %d labels, last at %g", m, m ? v[m - 1] : 0.0);

    /* dB axis: typographic minus, 1-2-5 steps */
    n = view_axis_ticks(cr, SV_AXIS_DB, 0, -120.0, 0.0, 300.0, 0, 11.0, t, VIEW_MAX_TICKS);
    int found = 0;
    for (int i = 0; i < n; i++)
        if (t[i].labelled && fabs(t[i].value + 60.0) < 1e-9)
            found = strcmp(t[i].label.main, VIEW_MINUS "60") == 0;
    CHECK(found, "-60 dB labelled with a minus sign");

    /* short log axis (less than two decades): plain numbers */
    n = view_axis_ticks(cr, SV_AXIS_LOG, 0, 0.2, 0.9, 400.0, 1, 11.0, t, VIEW_MAX_TICKS);
    m = labelled_values(t, n, v);
    CHECK(m >= 2, "[0.2, 0.9]: %d labels", m);
    for (int i = 0; i < n; i++)
        if (t[i].labelled && fabs(t[i].value - 0.5) < 1e-12)
            CHECK(strcmp(t[i].label.main, "0.5") == 0, "0.5 labelled '%s'", t[i].label.main);

    CHECK(view_axis_ticks(cr, SV_AXIS_LOG, 0, -1.0, 1.0, 100, 1, 11.0, t, VIEW_MAX_TICKS) == 0,
          "invalid log range");
    CHECK(view_axis_ticks(cr, SV_AXIS_LINEAR, 0, 0, 1, 0.0, 1, 11.0, t, VIEW_MAX_TICKS) == 0,
          "zero-length axis");
}

int main(void)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 8, 8);
    cairo_t *cr = cairo_create(s);
    test_log_decades();
    test_nice();
    test_axis_labels(cr);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    sv_release_caches();
    return check_done();
}
