#ifndef CALLOCATORTUNING_H
#define CALLOCATORTUNING_H
/// Raises glibc's mmap and trim thresholds so memory freed after each document is reused
/// instead of being returned to the kernel and zero-filled again (see AllocatorTuning.swift), and caps the arenas at
/// one per core (at least two), so threads that come and go do not each leave an arena's freed memory resident.
/// Does nothing on other C libraries.
void mailmerge_tune_allocator(void);
/// Gives the memory freed so far back to the kernel (glibc's malloc_trim(0), every arena): for long phases
/// after a burst of short-lived allocations, whose freed memory the raised trim threshold would keep
/// resident (a print run's PDF phase after the merge). Does nothing on other C libraries.
void mailmerge_release_free_memory(void);
#endif
