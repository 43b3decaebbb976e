#include "CAllocatorTuning.h"
#include <stdlib.h>  // defines __GLIBC__ on glibc systems
#if defined(__GLIBC__)
#include <malloc.h>
#include <unistd.h>
#endif

void mailmerge_tune_allocator(void) {
#if defined(__GLIBC__)
    mallopt(M_MMAP_THRESHOLD, 16 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    // As many arenas as cores (two here: the main thread's and one the others share). glibc gives a thread that starts while
    // the others hold theirs an arena of its own (up to 8 per core), and libdispatch's worker threads come and go
    // during a long run, so a million-line log-segment grew a new arena about 3 MB at once, late in the run, beside
    // the arenas of exited threads still holding their freed memory (kept by the trim threshold above). One arena per
    // core (at least two): as many threads allocate at once as there are cores, so a bigger machine's writers do not
    // queue for one arena's lock.
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    mallopt(M_ARENA_MAX, cores < 2 ? 2 : (int)cores);
#endif
}

void mailmerge_release_free_memory(void) {
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}
