/* Counts heap calls made while `alloc_counting` is set, for tests of the
 * real-time contract (no allocation in _run / _feed / _step). glibc's malloc
 * family is replaced by forwarding functions (__libc_*); under
 * AddressSanitizer its malloc hook counts instead, so the check is real in
 * both builds. Include in exactly one file of a test executable.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef ALLOC_HOOKS_H
#define ALLOC_HOOKS_H

#include <stddef.h>

static volatile int alloc_counting = 0;
static volatile long alloc_calls = 0;

/* gcc defines __SANITIZE_ADDRESS__ under ASan, clang has the feature test. */
#if defined(__SANITIZE_ADDRESS__)
#define ALLOC_HOOKS_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ALLOC_HOOKS_ASAN 1
#endif
#endif

#ifdef ALLOC_HOOKS_ASAN
int __sanitizer_install_malloc_and_free_hooks(void (*malloc_hook)(const volatile void *, size_t),
                                              void (*free_hook)(const volatile void *));

static void alloc_on_malloc(const volatile void *pointer, size_t size)
{
    (void)pointer;
    (void)size;
    if (alloc_counting)
        alloc_calls++;
}

static void alloc_on_free(const volatile void *pointer)
{
    (void)pointer;
}

static void alloc_hooks_install(void)
{
    __sanitizer_install_malloc_and_free_hooks(alloc_on_malloc, alloc_on_free);
}
#else
void *__libc_malloc(size_t size);
void *__libc_calloc(size_t count, size_t size);
void *__libc_realloc(void *pointer, size_t size);
void *__libc_memalign(size_t alignment, size_t size);
void __libc_free(void *pointer);

static void alloc_count(void)
{
    if (alloc_counting)
        alloc_calls++;
}

void *malloc(size_t size)
{
    alloc_count();
    return __libc_malloc(size);
}

void *calloc(size_t count, size_t size)
{
    alloc_count();
    return __libc_calloc(count, size);
}

void *realloc(void *pointer, size_t size)
{
    alloc_count();
    return __libc_realloc(pointer, size);
}

void *memalign(size_t alignment, size_t size)
{
    alloc_count();
    return __libc_memalign(alignment, size);
}

void *aligned_alloc(size_t alignment, size_t size)
{
    alloc_count();
    return __libc_memalign(alignment, size);
}

int posix_memalign(void **out, size_t alignment, size_t size)
{
    alloc_count();
    void *pointer = __libc_memalign(alignment, size);
    if (!pointer)
        return 12; /* ENOMEM */
    *out = pointer;
    return 0;
}

void free(void *pointer)
{
    if (alloc_counting && pointer)
        alloc_calls++;
    __libc_free(pointer);
}

static void alloc_hooks_install(void) {}
#endif

#endif
