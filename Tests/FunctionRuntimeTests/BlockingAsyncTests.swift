import Foundation
import TestSupport
import XCTest

final class BlockingAsyncTests: XCTestCase {
    private actor Counter {
        var value = 0
        func next() -> Int {
            value += 1
            return value
        }
    }

    /// Swift Testing runs synchronous tests on the concurrency pool's threads: when every one of them
    /// waits in `blockingAsync`, the work they wait for must still run.
    func testBlockingAsyncFinishesWhileEveryPoolThreadIsBlockedInIt() {
        let callers = ProcessInfo.processInfo.activeProcessorCount + 2
        let finished = expectation(description: "every blocked caller got its result")
        finished.expectedFulfillmentCount = callers
        let counter = Counter()
        for _ in 0..<callers {
            Task.detached {
                let value = try blockingAsync { await counter.next() }
                XCTAssertGreaterThan(value, 0)
                finished.fulfill()
            }
        }
        wait(for: [finished], timeout: 20)
    }
}
