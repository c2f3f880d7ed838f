import FunctionRuntime
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Pipes are created and children spawned under one lock: a pipe end must get
/// FD_CLOEXEC before any other spawn can inherit it, or that child's stdout
/// would never reach end-of-file (`pipe2` is not visible from Swift's Glibc).
private let spawnLock = Mutex(())

/// A spawned process (posix_spawn, no Foundation): local-runner's functions and workers,
/// and the servers the tests start.
package final class ChildProcess: @unchecked Sendable {
    package let pid: pid_t
    /// Write end of the child's stdin, or -1.
    package let stdinFD: Int32
    /// Read end of the child's stdout, or -1.
    package let stdoutFD: Int32
    private let ownGroup: Bool

    /// What the child's stdin and stdout (and stderr) are.
    package enum Stdio: Sendable {
        /// stdin and stdout are pipes to this process; stderr is inherited.
        case pipes
        /// stdin and stdout are pipes to this process; stderr appended to a file (`/dev/null` discards it).
        case pipesWithErrorLog(String)
        /// All three inherited.
        case inherit
        /// stdin from /dev/null; stdout and stderr appended to a file.
        case logFile(String)
    }

    package struct SpawnError: Error, CustomStringConvertible {
        package var description: String
    }

    private init(pid: pid_t, stdinFD: Int32, stdoutFD: Int32, ownGroup: Bool) {
        self.pid = pid
        self.stdinFD = stdinFD
        self.stdoutFD = stdoutFD
        self.ownGroup = ownGroup
    }

    /// - Parameter newProcessGroup: the child leads a group of its own, so that `terminate`
    ///   also reaches what it forks (fcgiwrap's preforked children, nginx's workers).
    package static func spawn(
        executable: String, arguments: [String] = [], environment: [String: String],
        stdio: Stdio = .pipes, newProcessGroup: Bool = false
    ) throws -> ChildProcess {
        try spawnLock.withLock { _ in
            try spawnLocked(
                executable: executable, arguments: arguments, environment: environment,
                stdio: stdio, newProcessGroup: newProcessGroup)
        }
    }

    /// A close-on-exec pipe: [read end, write end].
    package static func makePipe() throws -> [Int32] {
        try spawnLock.withLock { _ in try makePipeLocked() }
    }

    private static func makePipeLocked() throws -> [Int32] {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw SpawnError(description: "pipe failed: errno \(errno)") }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        return fds
    }

    private static func spawnLocked(
        executable: String, arguments: [String], environment: [String: String], stdio: Stdio, newProcessGroup: Bool
    ) throws -> ChildProcess {
        var input: [Int32] = [-1, -1], output: [Int32] = [-1, -1]
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        switch stdio {
        case .pipes, .pipesWithErrorLog:
            input = try makePipeLocked()
            output = try makePipeLocked()
            posix_spawn_file_actions_adddup2(&actions, input[0], 0)
            posix_spawn_file_actions_adddup2(&actions, output[1], 1)
            if case .pipesWithErrorLog(let path) = stdio {
                posix_spawn_file_actions_addopen(&actions, 2, path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
            }
        case .inherit:
            break
        case .logFile(let path):
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 1, path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        if newProcessGroup {
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
            posix_spawnattr_setpgroup(&attributes, 0)
        }
        let pipeStdio = input[0] >= 0
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        if pipeStdio {
            close(input[0])
            close(output[1])
        }
        guard result == 0 else {
            if pipeStdio {
                close(input[1])
                close(output[0])
            }
            throw SpawnError(description: "cannot start \(executable): \(String(cString: strerror(result)))")
        }
        return ChildProcess(pid: pid, stdinFD: input[1], stdoutFD: output[0], ownGroup: newProcessGroup)
    }

    /// Waits for exit; returns the exit status (128 + signal when killed).
    @discardableResult
    package func wait() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return ChildProcess.exitCode(status)
    }

    /// The exit status if the child has exited, without waiting.
    package func exitStatusIfExited() -> Int32? {
        var status: Int32 = 0
        guard waitpid(pid, &status, WNOHANG) == pid else { return nil }
        return ChildProcess.exitCode(status)
    }

    private static func exitCode(_ status: Int32) -> Int32 {
        status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    /// SIGTERM to the child (and to its group, when it leads one).
    package func terminate() {
        signal(SIGTERM)
    }

    package func signal(_ number: Int32) {
        kill(ownGroup ? -pid : pid, number)
    }

    /// SIGTERM, then SIGKILL after `graceSeconds`; always reaps the child.
    package func stop(graceSeconds: Double = 5) {
        terminate()
        let deadline = MonotonicClock.nanoseconds() + UInt64(graceSeconds * 1e9)
        while MonotonicClock.nanoseconds() < deadline {
            if exitStatusIfExited() != nil {
                if ownGroup { kill(-pid, SIGKILL) }  // stragglers of the group
                return
            }
            usleep(10_000)
        }
        signal(SIGKILL)
        wait()
    }
}
