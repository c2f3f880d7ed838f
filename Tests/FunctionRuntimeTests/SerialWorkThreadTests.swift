import FunctionRuntime
import Synchronization
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

final class SerialWorkThreadTests: XCTestCase {
    func testJobsRunOneAtATimeInTheOrderTheyWereQueued() {
        let thread = SerialWorkThread()
        let order = Mutex<[Int]>([])
        let running = Atomic<Int>(0)
        let overlapped = Atomic<Bool>(false)
        for index in 0..<50 {
            thread.enqueue {
                if running.add(1, ordering: .relaxed).newValue > 1 { overlapped.store(true, ordering: .relaxed) }
                usleep(200)
                order.withLock { $0.append(index) }
                running.subtract(1, ordering: .relaxed)
            }
        }
        thread.waitUntilIdle()
        XCTAssertEqual(order.withLock { $0 }, Array(0..<50))
        XCTAssertFalse(overlapped.load(ordering: .relaxed), "two jobs ran at once")
    }

    func testRunReturnsTheJobsResultFromItsOwnThread() async throws {
        let thread = SerialWorkThread()
        let caller = pthread_self()
        let ranElsewhere = try await thread.run { pthread_equal(pthread_self(), caller) == 0 }
        XCTAssertTrue(ranElsewhere)
        let answer = try await thread.run { 6 * 7 }
        XCTAssertEqual(answer, 42)
    }

    func testRunRethrowsTheJobsError() async {
        struct Refused: Error {}
        let thread = SerialWorkThread()
        do {
            _ = try await thread.run { () throws -> Int in throw Refused() }
            XCTFail("no error")
        } catch {
            XCTAssertTrue(error is Refused, "\(error)")
        }
    }

    /// What a stopping worker relies on: the wait covers jobs that queued others (a batch that queues the next).
    func testWaitingUntilIdleCoversJobsQueuedByJobs() {
        let thread = SerialWorkThread()
        let done = Atomic<Bool>(false)
        thread.enqueue {
            usleep(50_000)
            thread.enqueue {
                usleep(50_000)
                done.store(true, ordering: .relaxed)
            }
        }
        thread.waitUntilIdle()
        XCTAssertTrue(done.load(ordering: .relaxed))
    }
}
