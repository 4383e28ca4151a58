/* Allocation counter for the test hosts; see alloc_count.h.
 *
 * Without AddressSanitizer the host binary defines malloc & co. itself and
 * forwards to glibc's __libc_* entry points: the executable comes first in
 * the symbol lookup order, so the dlopen()ed plugin and the libraries it
 * pulls in (FFTW's fftwf_malloc uses posix_memalign) bind to these. Under
 * ASan the allocator must stay ASan's, so the sanitizer's malloc/free hooks
 * count instead.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "alloc_count.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TORTURE_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define TORTURE_ASAN 1
#endif

static volatile int counting;
static volatile long counted, seen;
static int abort_on_count;

static void note(void)
{
    seen++;
    if (counting) {
        counted++;
        if (abort_on_count) {
            abort(); /* TEST_ABORT_ON_ALLOC: stop where the call is made */
        }
    }
}

void alloc_count_begin(void)
{
    counting = 1;
}

void alloc_count_end(void)
{
    counting = 0;
}

long alloc_count_total(void)
{
    return counted;
}

long alloc_count_all(void)
{
    return seen;
}

static int abort_wanted(void)
{
    return getenv("TEST_ABORT_ON_ALLOC") != NULL || getenv("TORTURE_ABORT_ON_ALLOC") != NULL;
}

#ifdef TORTURE_ASAN
/* From <sanitizer/allocator_interface.h> (clang ships it, gcc 12 does not;
 * both runtimes export the function). */
int __sanitizer_install_malloc_and_free_hooks(void (*malloc_hook)(const volatile void *, size_t),
                                              void (*free_hook)(const volatile void *));

static void on_malloc(const volatile void *pointer, size_t size)
{
    (void)pointer;
    (void)size;
    note();
}

static void on_free(const volatile void *pointer)
{
    if (pointer) {
        note();
    }
}

void alloc_count_init(void)
{
    abort_on_count = abort_wanted();
    __sanitizer_install_malloc_and_free_hooks(on_malloc, on_free);
}

#else

void alloc_count_init(void)
{
    abort_on_count = abort_wanted();
}

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);
extern void __libc_free(void *pointer);
extern void *__libc_memalign(size_t alignment, size_t size);

void *malloc(size_t size)
{
    note();
    return __libc_malloc(size);
}

void *calloc(size_t count, size_t size)
{
    note();
    return __libc_calloc(count, size);
}

void *realloc(void *pointer, size_t size)
{
    note();
    return __libc_realloc(pointer, size);
}

void free(void *pointer)
{
    if (pointer) {
        note();
    }
    __libc_free(pointer);
}

void *memalign(size_t alignment, size_t size)
{
    note();
    return __libc_memalign(alignment, size);
}

void *aligned_alloc(size_t alignment, size_t size)
{
    note();
    return __libc_memalign(alignment, size);
}

int posix_memalign(void **result, size_t alignment, size_t size)
{
    note();
    if (alignment < sizeof(void *) || (alignment & (alignment - 1)) != 0) {
        return EINVAL;
    }
    void *pointer = __libc_memalign(alignment, size);
    if (!pointer && size) {
        return ENOMEM;
    }
    *result = pointer;
    return 0;
}
#endif
