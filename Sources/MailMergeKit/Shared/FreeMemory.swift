import CAllocatorTuning

/// The memory freed so far, given back to the kernel (every thread's arena). The allocator keeps up to 64 MB freed per
/// arena for the merge's sake (`mailmerge_tune_allocator`), so a phase that leaves a burst of freed memory behind (the
/// inputs read, the letters written, a print run's chunk or Word print document) would keep it resident for the rest
/// of the run and our peak RSS would grow with it. Called between phases: a few milliseconds each.
enum FreeMemory {
    static func release() {
        mailmerge_release_free_memory()
    }
}
