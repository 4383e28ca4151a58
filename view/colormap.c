/* Colour maps: a magma-like sequential map and a blue-white-red diverging map.
 *
 * The sequential table is our own: 32 anchors generated along a path in
 * CIELAB with lightness rising linearly from L* = 1.5 to 96.5 (hue from
 * violet through red and orange to pale yellow, chroma reduced where sRGB
 * cannot show it), so equal steps in value read as equal steps in
 * brightness and the map prints well in grey. Between anchors we
 * interpolate linearly in sRGB.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "spectide_view.h"
#include "view_internal.h"

#include <math.h>

static const double magma_like[][3] = {
    {0.0215, 0.0215, 0.0215}, {0.0678, 0.0511, 0.1184}, {0.0953, 0.0744, 0.1727},
    {0.1331, 0.0879, 0.2213}, {0.1787, 0.0991, 0.2646}, {0.2301, 0.1078, 0.3028},
    {0.2859, 0.1140, 0.3357}, {0.3447, 0.1180, 0.3633}, {0.4053, 0.1201, 0.3856},
    {0.4666, 0.1213, 0.4027}, {0.5276, 0.1231, 0.4150}, {0.5876, 0.1273, 0.4226},
    {0.6457, 0.1360, 0.4262}, {0.7014, 0.1508, 0.4261}, {0.7540, 0.1724, 0.4231},
    {0.8031, 0.2006, 0.4176}, {0.8484, 0.2344, 0.4103}, {0.8896, 0.2727, 0.4019},
    {0.9266, 0.3147, 0.3931}, {0.9594, 0.3593, 0.3845}, {0.9880, 0.4061, 0.3768},
    {0.9992, 0.4643, 0.3815}, {0.9989, 0.5257, 0.4002}, {0.9999, 0.5818, 0.4237},
    {0.9992, 0.6357, 0.4551}, {0.9994, 0.6866, 0.4913}, {1.0000, 0.7354, 0.5329},
    {0.9994, 0.7829, 0.5828}, {0.9995, 0.8288, 0.6388}, {0.9992, 0.8733, 0.7041},
    {0.9998, 0.9161, 0.7782}, {0.9998, 0.9570, 0.8686},
};

/* ColorBrewer RdBu (11 classes), reversed so that 0 is blue and 1 red. */
static const double diverging[][3] = {
    {0.0196, 0.1882, 0.3804}, {0.1294, 0.4000, 0.6745}, {0.2627, 0.5765, 0.7647},
    {0.5725, 0.7725, 0.8706}, {0.8196, 0.8980, 0.9412}, {0.9686, 0.9686, 0.9686},
    {0.9922, 0.8588, 0.7804}, {0.9569, 0.6471, 0.5098}, {0.8392, 0.3765, 0.3020},
    {0.6980, 0.0941, 0.1686}, {0.4039, 0.0000, 0.1216},
};

static void interpolate(const double (*table)[3], int n, double v, double *r, double *g, double *b)
{
    if (!(v > 0.0)) /* also catches NaN */
        v = 0.0;
    if (v > 1.0)
        v = 1.0;
    double t = v * (n - 1);
    int k = (int)t;
    if (k > n - 2)
        k = n - 2;
    double f = t - k;
    *r = table[k][0] + f * (table[k + 1][0] - table[k][0]);
    *g = table[k][1] + f * (table[k + 1][1] - table[k][1]);
    *b = table[k][2] + f * (table[k + 1][2] - table[k][2]);
}

void sv_colormap(double v, double *r, double *g, double *b)
{
    interpolate(magma_like, (int)(sizeof magma_like / sizeof magma_like[0]), v, r, g, b);
}

void sv_colormap_diverging(double v, double *r, double *g, double *b)
{
    interpolate(diverging, (int)(sizeof diverging / sizeof diverging[0]), v, r, g, b);
}

int view_colormap_anchors(int diverging_map)
{
    return diverging_map ? (int)(sizeof diverging / sizeof diverging[0])
                         : (int)(sizeof magma_like / sizeof magma_like[0]);
}
