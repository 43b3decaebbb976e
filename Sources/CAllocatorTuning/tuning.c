#include "CAllocatorTuning.h"
#include <stdlib.h>  // defines __GLIBC__ on glibc systems
#if defined(__GLIBC__)
#include <malloc.h>
#endif

void mailmerge_tune_allocator(void) {
#if defined(__GLIBC__)
    mallopt(M_MMAP_THRESHOLD, 16 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    // Two arenas: the main thread's and one that every other thread shares. glibc gives a thread that starts while
    // the others hold theirs an arena of its own (up to 8 per core), and libdispatch's worker threads come and go
    // during a long run, so a million-line log-segment grew a new arena about 3 MB at once, late in the run, beside
    // the arenas of exited threads still holding their freed memory (kept by the trim threshold above).
    mallopt(M_ARENA_MAX, 2);
#endif
}

void mailmerge_release_free_memory(void) {
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}
