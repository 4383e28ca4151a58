/* The floor of the folder benchmark: what the two libraries that any exact
 * implementation must call cost on their own. Per JPEG: read the file,
 * decode it with libjpeg-turbo's defaults (PIL's pixels), take the green
 * samples as floats, run one fftwf r2c of the image's size. Nothing else:
 * no ring sums, no averaging, no planning in the timed pass (every size is
 * planned beforehand, and every plan is shared by the threads), no process
 * start-up. spectide cannot be faster than this with the same libraries and
 * planner flags, so its ratio to the numpy + PIL loop bounds spectide's.
 *
 * Usage: decode_fft_floor [--measure] [--threads N] FOLDER
 *   --measure: FFTW_MEASURE plans (planned untimed) instead of spectide's
 *              FFTW_ESTIMATE, to show what measured plans would give.
 * Prints "WALL CPU FILES": seconds of the timed pass, wall and process CPU.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <dirent.h>
#include <fftw3.h>
#include <jpeglib.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { MAX_FILES = 100000, MAX_SIZES = 4096, MAX_THREADS = 16 };

typedef struct {
    unsigned char *bytes;
    size_t size;
    int width, height;
} jpeg_file;

typedef struct {
    int width, height;
    fftwf_plan plan;
} size_plan;

static jpeg_file files[MAX_FILES];
static int file_count;
static size_plan plans[MAX_SIZES];
static int plan_count;
static atomic_int next_file;
static float code_to_x[256];

static double seconds(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads every *.jpg of the folder into memory (the timed pass decodes from
 * memory, as spectide does after one read() per file). */
static int read_folder(const char *folder)
{
    DIR *dir = opendir(folder);
    char **names = malloc(MAX_FILES * sizeof *names);
    if (!dir || !names)
        return -1;
    int count = 0;
    struct dirent *entry;
    while ((entry = readdir(dir)) && count < MAX_FILES) {
        size_t length = strlen(entry->d_name);
        if (length > 4 && strcmp(entry->d_name + length - 4, ".jpg") == 0)
            names[count++] = strdup(entry->d_name);
    }
    closedir(dir);
    qsort(names, (size_t)count, sizeof *names, by_name);
    for (int i = 0; i < count; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", folder, names[i]);
        free(names[i]);
        FILE *stream = fopen(path, "rb");
        if (!stream)
            return -1;
        fseek(stream, 0, SEEK_END);
        long size = ftell(stream);
        rewind(stream);
        jpeg_file *file = &files[file_count++];
        file->bytes = malloc((size_t)size);
        file->size = fread(file->bytes, 1, (size_t)size, stream);
        fclose(stream);
    }
    free(names);
    return 0;
}

/* A decompressor on the file's bytes, its header read (libjpeg's default
 * error handler: the benchmark's own files are whole). */
static void read_header(struct jpeg_decompress_struct *info, struct jpeg_error_mgr *errors,
                        const jpeg_file *file)
{
    info->err = jpeg_std_error(errors);
    jpeg_create_decompress(info);
    jpeg_mem_src(info, file->bytes, (unsigned long)file->size);
    jpeg_read_header(info, TRUE);
}

static void read_size(jpeg_file *file)
{
    struct jpeg_decompress_struct info;
    struct jpeg_error_mgr errors;
    read_header(&info, &errors, file);
    file->width = (int)info.image_width;
    file->height = (int)info.image_height;
    jpeg_destroy_decompress(&info);
}

static fftwf_plan plan_for(int width, int height)
{
    for (int i = 0; i < plan_count; i++)
        if (plans[i].width == width && plans[i].height == height)
            return plans[i].plan;
    return NULL;
}

/* One plan per distinct size, made before the timed pass. */
static int make_plans(unsigned rigor)
{
    for (int i = 0; i < file_count; i++) {
        jpeg_file *file = &files[i];
        read_size(file);
        if (plan_for(file->width, file->height))
            continue;
        if (plan_count == MAX_SIZES)
            return -1;
        size_t pixels = (size_t)file->width * file->height;
        float *input = fftwf_malloc(pixels * sizeof(float));
        fftwf_complex *output =
            fftwf_malloc((size_t)file->height * (file->width / 2 + 1) * sizeof(fftwf_complex));
        plans[plan_count].width = file->width;
        plans[plan_count].height = file->height;
        plans[plan_count++].plan = fftwf_plan_dft_r2c_2d(file->height, file->width, input, output,
                                                         rigor | FFTW_PRESERVE_INPUT);
        fftwf_free(input);
        fftwf_free(output);
    }
    return 0;
}

/* Decodes one file to green floats (x = 2v - 1) and transforms it. */
static void analyse(const jpeg_file *file, float *plane, fftwf_complex *spectrum,
                    unsigned char *row)
{
    struct jpeg_decompress_struct info;
    struct jpeg_error_mgr errors;
    read_header(&info, &errors, file);
    info.out_color_space = info.num_components == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_start_decompress(&info);
    int components = info.output_components, green = components == 3 ? 1 : 0;
    while (info.output_scanline < info.output_height) {
        float *out = plane + (size_t)info.output_scanline * file->width;
        JSAMPROW rows[1] = {row};
        jpeg_read_scanlines(&info, rows, 1);
        for (int x = 0; x < file->width; x++)
            out[x] = code_to_x[row[(size_t)x * components + green]];
    }
    jpeg_finish_decompress(&info);
    jpeg_destroy_decompress(&info);
    fftwf_execute_dft_r2c(plan_for(file->width, file->height), plane, spectrum);
}

static void *worker(void *unused)
{
    (void)unused;
    int widest = 0;
    size_t largest = 0, bins = 0;
    for (int i = 0; i < file_count; i++) {
        size_t pixels = (size_t)files[i].width * files[i].height;
        size_t half = (size_t)files[i].height * (files[i].width / 2 + 1);
        largest = pixels > largest ? pixels : largest;
        bins = half > bins ? half : bins;
        widest = files[i].width > widest ? files[i].width : widest;
    }
    /* fftwf_malloc: the alignment the plans were made for. */
    float *plane = fftwf_malloc(largest * sizeof(float));
    fftwf_complex *spectrum = fftwf_malloc(bins * sizeof *spectrum);
    unsigned char *row = malloc((size_t)widest * 3);
    for (int i; (i = atomic_fetch_add(&next_file, 1)) < file_count;)
        analyse(&files[i], plane, spectrum, row);
    fftwf_free(plane);
    fftwf_free(spectrum);
    free(row);
    return NULL;
}

/* Every file once, on `threads` threads. */
static void run_pass(int threads)
{
    pthread_t ids[MAX_THREADS];
    atomic_store(&next_file, 0);
    for (int t = 0; t < threads; t++)
        pthread_create(&ids[t], NULL, worker, NULL);
    for (int t = 0; t < threads; t++)
        pthread_join(ids[t], NULL);
}

int main(int argc, char **argv)
{
    unsigned rigor = FFTW_ESTIMATE;
    int threads = 2;
    const char *folder = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--measure") == 0)
            rigor = FFTW_MEASURE;
        else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc)
            threads = atoi(argv[++i]);
        else
            folder = argv[i];
    }
    if (!folder || threads < 1 || threads > MAX_THREADS) {
        fprintf(stderr, "usage: decode_fft_floor [--measure] [--threads N] FOLDER\n");
        return 2;
    }
    if (read_folder(folder) != 0 || file_count == 0) {
        fprintf(stderr, "decode_fft_floor: no readable *.jpg in %s\n", folder);
        return 1;
    }
    for (int c = 0; c < 256; c++)
        code_to_x[c] = (float)((2.0 * c - 255.0) / 255.0);
    if (make_plans(rigor) != 0) {
        fprintf(stderr, "decode_fft_floor: more than %d image sizes in %s\n", MAX_SIZES, folder);
        return 1;
    }
    run_pass(threads); /* warm-up: caches, page faults, libjpeg's tables */
    double wall = seconds(CLOCK_MONOTONIC), cpu = seconds(CLOCK_PROCESS_CPUTIME_ID);
    run_pass(threads);
    printf("%.4f %.4f %d\n", seconds(CLOCK_MONOTONIC) - wall,
           seconds(CLOCK_PROCESS_CPUTIME_ID) - cpu, file_count);
    return 0;
}
