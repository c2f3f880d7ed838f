import FunctionRuntime
import Synchronization
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

final class ThreadPoolTests: XCTestCase {
    /// Waits (at most 5 s) until `condition` holds.
    private func eventually(_ condition: () -> Bool) -> Bool {
        for _ in 0..<500 {
            if condition() { return true }
            usleep(10_000)
        }
        return condition()
    }

    func testAJobIsNotQueuedBehindOneThatBlocks() {
        let pool = ThreadPool(maximumIdle: 4)
        let release = Atomic<Bool>(false)
        let finished = Atomic<Int>(0)
        for _ in 0..<8 {
            pool.run {
                while !release.load(ordering: .acquiring) { usleep(1_000) }
                finished.add(1, ordering: .relaxed)
            }
        }
        let quick = Atomic<Bool>(false)
        pool.run { quick.store(true, ordering: .releasing) }
        XCTAssertTrue(eventually { quick.load(ordering: .acquiring) }, "a job waited for the blocked ones")
        release.store(true, ordering: .releasing)
        XCTAssertTrue(eventually { finished.load(ordering: .relaxed) == 8 })
    }

    func testFinishedThreadsAreParkedUpToTheIdleLimit() {
        let pool = ThreadPool(maximumIdle: 3)
        let release = Atomic<Bool>(false)
        for _ in 0..<6 {
            pool.run { while !release.load(ordering: .acquiring) { usleep(1_000) } }
        }
        release.store(true, ordering: .releasing)
        XCTAssertTrue(eventually { pool.idleThreads == 3 })
        usleep(50_000)
        XCTAssertEqual(pool.idleThreads, 3, "more threads parked than the limit")
    }

    func testAParkedThreadRunsTheNextJob() {
        let pool = ThreadPool(maximumIdle: 2)
        let threads = Mutex<Set<UInt>>([])
        let done = Atomic<Int>(0)
        for index in 0..<20 {
            pool.run {
                threads.withLock { _ = $0.insert(UInt(pthread_self())) }
                done.add(1, ordering: .relaxed)
            }
            // The next job starts once this one's thread is parked again.
            _ = eventually { done.load(ordering: .relaxed) > index && pool.idleThreads >= 1 }
        }
        XCTAssertEqual(done.load(ordering: .relaxed), 20)
        XCTAssertLessThanOrEqual(threads.withLock { $0.count }, 2, "sequential jobs each started a thread")
    }
}
