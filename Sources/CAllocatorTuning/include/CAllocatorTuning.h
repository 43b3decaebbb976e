#ifndef CALLOCATORTUNING_H
#define CALLOCATORTUNING_H
/// Raises glibc's mmap and trim thresholds so memory freed after each document is reused
/// instead of being returned to the kernel and zero-filled again (see AllocatorTuning.swift).
/// Does nothing on other C libraries.
void mailmerge_tune_allocator(void);
#endif
