#if canImport(Glibc)
    import Glibc

    @_silgen_name("malloc_trim")
    private func glibcMallocTrim(_ pad: Int) -> Int32
    @_silgen_name("mallopt")
    private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif

/// glibc keeps memory that threads freed: it raises its mmap threshold each time a large block is freed
/// (up to 32 MiB), after which large buffers (request bodies) come from arenas that are rarely given
/// back. A worker that had held 30 bodies of 8 MiB stayed 55 MiB larger; once under hostile input it
/// went from 21 to 427 MiB and stayed at 344. A fixed threshold keeps large buffers in their own
/// mappings, returned the moment they are freed; a periodic trim returns the rest.
package enum MemoryRelease {
    /// For a long-lived server process, once at start.
    package static func keepLargeBuffersReturnable(thresholdBytes: Int32 = 128 * 1024) {
        #if canImport(Glibc)
            _ = glibcMallopt(-3, thresholdBytes)  // M_MMAP_THRESHOLD
        #endif
    }

    package static func returnFreeMemory() {
        #if canImport(Glibc)
            _ = glibcMallocTrim(0)
        #endif
    }
}
