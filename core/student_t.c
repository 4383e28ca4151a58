/* Student's t distribution: the cumulative distribution through the
 * regularised incomplete beta function (continued fraction, modified Lentz),
 * and its inverse by safeguarded Newton steps inside a bisection bracket.
 * Used for the confidence bands of the dataset accumulator; exported for
 * comparisons of two datasets (Welch's test, non-integer degrees of freedom).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "spectide_accumulator.h"

#include <float.h>
#include <math.h>

/* lgamma() writes the global signgam: the reentrant form where there is one
 * (every argument here is positive, so the sign is not needed). */
static double log_gamma(double x)
{
#if defined(__GLIBC__) || defined(__APPLE__) || defined(__FreeBSD__)
    int sign;
    return lgamma_r(x, &sign);
#else
    return lgamma(x);
#endif
}

/* Continued fraction of I_x(a, b) (converges fast for x < (a+1)/(a+b+2)). */
static double beta_continued_fraction(double a, double b, double x)
{
    const double tiny = 1e-300;
    double qab = a + b, qap = a + 1.0, qam = a - 1.0;
    double c = 1.0, d = 1.0 - qab * x / qap;
    if (fabs(d) < tiny)
        d = tiny;
    d = 1.0 / d;
    double h = d;
    for (int m = 1; m <= 10000; m++) {
        int m2 = 2 * m;
        double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        if (fabs(d) < tiny)
            d = tiny;
        c = 1.0 + aa / c;
        if (fabs(c) < tiny)
            c = tiny;
        d = 1.0 / d;
        h *= d * c;
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        if (fabs(d) < tiny)
            d = tiny;
        c = 1.0 + aa / c;
        if (fabs(c) < tiny)
            c = tiny;
        d = 1.0 / d;
        double step = d * c;
        h *= step;
        if (fabs(step - 1.0) < 4.0 * DBL_EPSILON)
            break;
    }
    return h;
}

/* log(Gamma(a + 1/2) / Gamma(a)), a > 0: for large a (many degrees of
 * freedom) the difference of two lgamma values would lose its digits, so an
 * asymptotic series is used there: Gamma(a + 1/2) / Gamma(a) = sqrt(a)
 * (1 - 1/(8a) + 1/(128a^2) + 5/(1024a^3) - 21/(32768a^4) + O(a^-5)). */
static double log_gamma_ratio_half(double a)
{
    if (a < 1000.0)
        return log_gamma(a + 0.5) - log_gamma(a);
    double u = 1.0 / a;
    double series = 1.0 + u * (-1.0 / 8 + u * (1.0 / 128 + u * (5.0 / 1024 + u * (-21.0 / 32768))));
    return 0.5 * log(a) + log(series);
}

/* Regularised incomplete beta I_x(a, b), a, b > 0, x in [0, 1], given
 * log_beta = log B(a, b). */
static double incomplete_beta(double a, double b, double x, double log_beta)
{
    if (x <= 0.0)
        return 0.0;
    if (x >= 1.0)
        return 1.0;
    double front = exp(a * log(x) + b * log1p(-x) - log_beta);
    if (x < (a + 1.0) / (a + b + 2.0))
        return front * beta_continued_fraction(a, b, x) / a;
    return 1.0 - front * beta_continued_fraction(b, a, 1.0 - x) / b;
}

/* Beyond this many degrees of freedom the t distribution is the normal one
 * with its first correction terms (Cornish-Fisher / Edgeworth in 1/df),
 * exact to better than 1e-13 there. */
#define LARGE_DF 1e7

static double normal_upper_tail(double t)
{
    return 0.5 * erfc(t / M_SQRT2);
}

static double normal_density(double t)
{
    return exp(-0.5 * t * t) / sqrt(2.0 * M_PI);
}

/* P(T > t), t >= 0: half of I_{df/(df+t^2)}(df/2, 1/2). */
static double upper_tail(double t, double df)
{
    if (df > LARGE_DF) /* Edgeworth: P(T > t) = Q(t) + phi(t) (t^3 + t) / (4 df) + O(df^-2) */
        return normal_upper_tail(t) + normal_density(t) * (t * t * t + t) / (4.0 * df);
    double t2 = t * t;
    if (!isfinite(t2))
        return 0.0;
    double log_beta = log_gamma(0.5) - log_gamma_ratio_half(0.5 * df); /* log B(df/2, 1/2) */
    /* For t^2 << df, x = df/(df+t^2) is close to 1: the complement
     * t^2/(df+t^2) is computed directly, without cancellation. */
    double x = df / (df + t2), y = t2 / (df + t2);
    if (x < (0.5 * df + 1.0) / (0.5 * df + 2.5))
        return 0.5 * incomplete_beta(0.5 * df, 0.5, x, log_beta);
    return 0.5 * (1.0 - incomplete_beta(0.5, 0.5 * df, y, log_beta));
}

static double density(double t, double df)
{
    if (df > LARGE_DF)
        return normal_density(t) * (1.0 + (t * t * t * t - 2.0 * t * t - 1.0) / (4.0 * df));
    double log_norm = log_gamma_ratio_half(0.5 * df) - 0.5 * log(df * M_PI);
    return exp(log_norm - 0.5 * (df + 1.0) * log1p(t * t / df));
}

double st_student_t_cdf(double t, double df)
{
    if (isnan(t) || !(df > 0.0) || isnan(df))
        return NAN;
    double tail = upper_tail(fabs(t), df);
    return t >= 0.0 ? 1.0 - tail : tail;
}

double st_student_t_quantile(double p, double df)
{
    if (!(p > 0.0 && p < 1.0) || !(df > 0.0))
        return NAN;
    if (p == 0.5)
        return 0.0;
    /* Solve P(T > t) = q for t > 0, then use the symmetry. */
    double q = p > 0.5 ? 1.0 - p : p;
    double sign = p > 0.5 ? 1.0 : -1.0;
    double low = 0.0, high = 1.0;
    while (upper_tail(high, df) > q) {
        low = high;
        high *= 2.0;
        if (high > 1e300)
            return sign * INFINITY;
    }
    double t = 0.5 * (low + high);
    for (int iteration = 0; iteration < 400; iteration++) {
        double excess = upper_tail(t, df) - q; /* decreasing in t */
        if (excess == 0.0)
            break;
        if (excess > 0.0)
            low = t;
        else
            high = t;
        double next = t + excess / density(t, df);
        if (!(next > low && next < high))
            next = 0.5 * (low + high);
        if (fabs(next - t) <= 2.0 * DBL_EPSILON * t || high - low <= 2.0 * DBL_EPSILON * high) {
            t = next;
            break;
        }
        t = next;
    }
    return sign * t;
}
