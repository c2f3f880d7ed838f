import CMalloc

/// Memory allocator settings for a process that serves one request.
enum ProcessMemory {
    /// glibc gives each new thread an arena of its own, and grows a thread's arena a page at a time with
    /// `mprotect` (about 150 calls, 0.5 ms, in a CGI process: a twentieth of its CPU). One request has
    /// nothing to gain from per-thread arenas, and the main arena grows in 128 KiB steps. Takes effect
    /// only for threads that have not allocated yet: call it before the concurrency pool starts.
    static func useOneArena() {
        _ = mallopt(M_ARENA_MAX, 1)
    }
}
