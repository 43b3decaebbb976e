#include "CAllocatorTuning.h"
#include <stdlib.h>  // defines __GLIBC__ on glibc systems
#if defined(__GLIBC__)
#include <malloc.h>
#endif

void mailmerge_tune_allocator(void) {
#if defined(__GLIBC__)
    mallopt(M_MMAP_THRESHOLD, 16 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
#endif
}

void mailmerge_release_free_memory(void) {
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}
