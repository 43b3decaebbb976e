import CAllocatorTuning

/// Keeps freed memory in the process instead of handing it back to the kernel at once.
///
/// Every document deflates its changed parts with a fresh zlib stream (~256 KB of state).
/// With glibc's defaults those blocks are mmap'ed/trimmed and zero-filled by page faults on
/// every document, which cost more system time than writing the files. Raising the mmap and
/// trim thresholds lets the allocator reuse the same memory (measured on 10,000 letters:
/// system time 1.9 s → 0.3 s; peak RSS unchanged at ~30 MB).
enum AllocatorTuning {
    static func apply() { mailmerge_tune_allocator() }
}
