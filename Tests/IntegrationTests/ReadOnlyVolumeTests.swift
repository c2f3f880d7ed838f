import Foundation
import TestSupport
import XCTest

/// The SQLite volume turned read-only: requests are refused (503 with Retry-After), never served
/// unmetered and never a 500; once it is writable again, the next request is served by itself.
///
/// Linux remounts a volume read-only (`mount -o remount,ro`) only while no file on it is open for
/// writing (else "mount point is busy"): between CGI processes it can be, under a FastCGI worker,
/// which keeps the database open, never. A running worker sees its volume turn read-only only when
/// the kernel forces it, as ext4 does on an error with `errors=remount-ro`; that volume stays
/// read-only until it is unmounted, so the worker's half has no "served again after".
final class ReadOnlyVolumeTests: XCTestCase {
    private let refusalCodes: Set<String> = ["usage_log_unavailable", "database_unavailable"]

    func testRequestsAreRefusedWhileTheVolumeIsRemountedReadOnlyAndServedAgainAfterUnderCGI() throws {
        let volume = try mountedVolume("tmpfs", ["-t", "tmpfs", "-o", "size=32m", "tmpfs"])
        defer { _ = SystemTool.run("/bin/umount", ["-l", volume]) }
        let (bed, _) = try ChatTestbed.connectedToOpenAIMock(.cgi, databaseURL: "sqlite://\(volume)/gateway.db", chunks: 3)
        XCTAssertEqual(try bed.boundedChat(ChatTestbed.request("gpt-4o-mini"), within: 15).status, 200)
        // The test's own connection holds the database open for writing, which would keep the volume from going read-only.
        bed.closeStore()

        XCTAssertTrue(SystemTool.run("/bin/mount", ["-o", "remount,ro", volume]), "remount read-only (no CGI process has it open)")
        var refusals: [String] = []
        for index in 0..<3 {
            let response = try bed.boundedChat(ChatTestbed.request("gpt-4o-mini"), within: 15)
            assertRefused(response, "read-only #\(index)")
            refusals.append("\(response.status ?? 0) \(response.errorCode ?? "")")
        }
        XCTAssertTrue(SystemTool.run("/bin/mount", ["-o", "remount,rw", volume]), "remount writable")
        let started = Date()
        let resumed = try bed.boundedChat(ChatTestbed.request("gpt-4o-mini"), within: 15)
        XCTAssertEqual(resumed.status, 200, "served again as soon as the volume is writable: \(resumed.text)")

        try bed.reopenStore()
        let rows = try bed.rows()
        XCTAssertEqual(rows.filter { $0.status == .success }.count, 2, "the two served requests' rows, and no other success")
        for row in rows where row.status != .success {
            XCTAssertTrue(row.status == .error && refusalCodes.contains(row.errorCode ?? ""), "\(row.status) \(row.errorCode ?? "")")
        }
        print(
            "figure: SQLite volume remounted read-only (cgi): refused \(refusals.joined(separator: ", ")); "
                + "after remount,rw the next request served (\(twoDecimals(Date().timeIntervalSince(started))) s)")
    }

    func testAWorkerRefusesRequestsOnceTheKernelTurnsItsVolumeReadOnlyUnderFastCGI() throws {
        let image = try temporaryDirectory("ext4") + "/volume.img"
        guard FileManager.default.createFile(atPath: image, contents: nil), truncate(image, 64 << 20) == 0,
            let mkfs = SystemTool.find("mkfs.ext4"), SystemTool.run(mkfs, ["-q", "-O", "^has_journal", image])
        else { throw TestFailure("cannot make an ext4 image at \(image)") }
        let volume = try mountedVolume("an ext4 loop device", ["-o", "loop,errors=remount-ro", image])
        defer { _ = SystemTool.run("/bin/umount", ["-l", volume]) }
        let (bed, _) = try ChatTestbed.connectedToOpenAIMock(.fastcgi, databaseURL: "sqlite://\(volume)/gateway.db", chunks: 3)
        defer { bed.stopRunner() }
        XCTAssertEqual(try bed.boundedChat(ChatTestbed.request("gpt-4o-mini"), within: 15).status, 200)
        _ = try bed.rows(waitingFor: 1)
        let worker = try XCTUnwrap(bed.workerPID())

        XCTAssertFalse(SystemTool.run("/bin/mount", ["-o", "remount,ro", volume]), "Linux refuses while the worker has the database open")
        try forceReadOnly(volume)
        var refusals: [String] = []
        for index in 0..<3 {
            let response = try bed.boundedChat(ChatTestbed.request("gpt-4o-mini"), within: 15)
            assertRefused(response, "forced read-only #\(index)")
            refusals.append("\(response.status ?? 0) \(response.errorCode ?? "")")
        }
        XCTAssertEqual(bed.workerPID(), worker, "the worker refuses; it does not die")
        XCTAssertEqual(try bed.rows().filter { $0.status == .success }.count, 1, "nothing served meanwhile")
        print("figure: SQLite volume forced read-only under a worker (fastcgi): refused \(refusals.joined(separator: ", ")); the worker lives on")
    }

    private func assertRefused(_ response: BoundedResponse, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(response.timedOut, "\(what): no answer", file: file, line: line)
        XCTAssertEqual(response.status, 503, "\(what): \(response.text)", file: file, line: line)
        XCTAssertNotNil(response.headers["retry-after"], "\(what): Retry-After", file: file, line: line)
        XCTAssertTrue(refusalCodes.contains(response.errorCode ?? ""), "\(what): \(response.errorCode ?? "")", file: file, line: line)
    }

    /// A fresh mount point with `arguments` mounted on it; skips (outside CI) where mounting is not allowed.
    private func mountedVolume(_ what: String, _ arguments: [String]) throws -> String {
        try XCTSkipIf(GatewayTestEnvironment.backend == .postgres, "the SQLite volume; PostgreSQL outages have their own tests")
        let volume = try temporaryDirectory("volume")
        guard SystemTool.run("/bin/mount", arguments + [volume]) else {
            if SystemTool.runningInCI { XCTFail("cannot mount \(what) (CI runs as root)") }
            throw XCTSkip("mounting \(what) needs root")
        }
        return volume
    }

    /// What ext4 does on an error with `errors=remount-ro`, through its own test switch: writes fail from now on.
    private func forceReadOnly(_ volume: String) throws {
        let mounts = try String(contentsOfFile: "/proc/self/mounts", encoding: .utf8).split(separator: "\n")
        let source = try XCTUnwrap(mounts.map { $0.split(separator: " ") }.first { $0.count > 1 && $0[1] == volume }?.first)
        let device = source.split(separator: "/").last.map(String.init) ?? ""
        try "1".write(toFile: "/sys/fs/ext4/\(device)/trigger_fs_error", atomically: false, encoding: .utf8)
        XCTAssertFalse(FileManager.default.createFile(atPath: "\(volume)/probe", contents: Data()), "the volume is read-only now")
    }
}
