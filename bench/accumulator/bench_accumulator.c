/* The dataset accumulator alone on N simulated image spectra, N = 10^4,
 * 10^5, 10^6 (each N in a child process of its own, so that its peak RSS is
 * its own): time per spectrum must stay constant (linear total time) and the
 * peak RSS flat in N. Spectra are power laws with scatter for images of
 * random sizes 64..512 px (mixed sizes: the grid path), made from
 * per-size templates so that making them costs little next to adding them.
 * Prints one line per N: "N seconds us_per_spectrum peak_rss_kb", seconds
 * being the CPU time spent in st_accumulator_add.
 * Usage: bench_accumulator [N...]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "spectide_accumulator.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MIN_SIDE 64
#define MAX_SIDE 512
#define SCATTER  4096

static uint64_t next(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static double uniform(uint64_t *state)
{
    return ((next(state) >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

/* CPU time of this process: on a shared machine, wall time also counts the
 * other programs' turns. */
static double seconds_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

/* Adds n simulated spectra; returns the seconds spent in the accumulator
 * calls, checksum of the result printed to keep the work alive. */
static int run(long n, double *elapsed)
{
    static double templates[MAX_SIDE + 1][MAX_SIDE / 2 + 1];
    static double scatter[SCATTER + MAX_SIDE];
    uint64_t state = 1;
    for (int side = MIN_SIDE; side <= MAX_SIDE; side++) {
        int rings = st_ring_count_for_size(side, side);
        for (int r = 0; r < rings; r++)
            templates[side][r] =
                pow(10.0, -2.5 - 2.2 * log10(r > 0 ? (double)r / side : 0.5 / side));
    }
    for (int i = 0; i < SCATTER + MAX_SIDE; i++)
        scatter[i] = pow(10.0, 0.3 * (uniform(&state) + uniform(&state) + uniform(&state) - 1.5));
    st_status status;
    st_accumulator *acc = st_accumulator_new(NULL, &status);
    if (!acc)
        return 1;
    double power[MAX_SIDE / 2 + 1];
    double spent = 0.0;
    for (long i = 0; i < n; i++) {
        int width = MIN_SIDE + (int)(next(&state) % (MAX_SIDE - MIN_SIDE + 1));
        int height = MIN_SIDE + (int)(next(&state) % (MAX_SIDE - MIN_SIDE + 1));
        int side = width > height ? width : height;
        int rings = st_ring_count_for_size(width, height);
        const double *noise = scatter + next(&state) % SCATTER;
        double scale = noise[0] * noise[1];
        for (int r = 0; r < rings; r++)
            power[r] = templates[side][r] * scale * noise[r];
        double start = seconds_now();
        status = st_accumulator_add(acc, width, height, power);
        spent += seconds_now() - start;
        if (status != ST_OK)
            return 1;
    }
    st_powerlaw fit;
    if (st_accumulator_fit(acc, ST_CURVE_BEST, &fit) != ST_OK)
        return 1;
    size_t bytes = st_accumulator_serialized_size(acc);
    fprintf(stderr, "  N %ld: alpha of the mean %.4f, file %zu bytes\n", n, fit.alpha, bytes);
    st_accumulator_free(acc);
    *elapsed = spent;
    return 0;
}

int main(int argc, char **argv)
{
    long counts[16] = {10000, 100000, 1000000};
    int how_many = 3;
    if (argc > 1) {
        how_many = 0;
        for (int i = 1; i < argc && how_many < 16; i++)
            counts[how_many++] = atol(argv[i]);
    }
    printf("# N seconds us_per_spectrum peak_rss_kb\n");
    for (int k = 0; k < how_many; k++) {
        int fd[2];
        if (pipe(fd) != 0)
            return 1;
        pid_t child = fork();
        if (child == 0) {
            close(fd[0]);
            double elapsed = 0.0;
            int failed = run(counts[k], &elapsed);
            if (write(fd[1], &elapsed, sizeof elapsed) != sizeof elapsed)
                failed = 1;
            _exit(failed);
        }
        close(fd[1]);
        double elapsed = 0.0;
        ssize_t got = read(fd[0], &elapsed, sizeof elapsed);
        close(fd[0]);
        int wstatus;
        struct rusage usage;
        if (wait4(child, &wstatus, 0, &usage) != child || !WIFEXITED(wstatus) ||
            WEXITSTATUS(wstatus) != 0 || got != sizeof elapsed) {
            fprintf(stderr, "bench_accumulator: the run of %ld spectra failed\n", counts[k]);
            return 1;
        }
        printf("%ld %.3f %.3f %ld\n", counts[k], elapsed, 1e6 * elapsed / counts[k],
               usage.ru_maxrss);
        fflush(stdout);
    }
    return 0;
}
