import Glibc
import Shared
import Synchronization

/// Pipes are created and children spawned under one lock: a pipe end must get
/// FD_CLOEXEC before any other spawn can inherit it, or that child's stdout
/// would never reach end-of-file (`pipe2` is not visible from Swift's Glibc).
private let spawnLock = Mutex(())

/// A spawned function process with piped stdin/stdout; stderr is inherited,
/// so the function's log lines appear in local-runner's output.
final class ChildProcess: @unchecked Sendable {
    let pid: pid_t
    let stdinFD: Int32
    let stdoutFD: Int32

    struct SpawnError: Error, CustomStringConvertible {
        var description: String
    }

    private init(pid: pid_t, stdinFD: Int32, stdoutFD: Int32) {
        self.pid = pid
        self.stdinFD = stdinFD
        self.stdoutFD = stdoutFD
    }

    /// - Parameter pipeStdio: false leaves stdin/stdout inherited (FastCGI workers).
    static func spawn(executable: String, arguments: [String] = [], environment: [String: String], pipeStdio: Bool = true) throws -> ChildProcess {
        try spawnLock.withLock { _ in
            try spawnLocked(executable: executable, arguments: arguments, environment: environment, pipeStdio: pipeStdio)
        }
    }

    /// A close-on-exec pipe: [read end, write end].
    static func makePipe() throws -> [Int32] {
        try spawnLock.withLock { _ in try makePipeLocked() }
    }

    private static func makePipeLocked() throws -> [Int32] {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw SpawnError(description: "pipe failed: errno \(errno)") }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        return fds
    }

    private static func spawnLocked(executable: String, arguments: [String], environment: [String: String], pipeStdio: Bool) throws -> ChildProcess {
        var input: [Int32] = [-1, -1], output: [Int32] = [-1, -1]
        if pipeStdio {
            input = try makePipeLocked()
            output = try makePipeLocked()
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if pipeStdio {
            posix_spawn_file_actions_adddup2(&actions, input[0], 0)
            posix_spawn_file_actions_adddup2(&actions, output[1], 1)
        }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, nil, argv, envp)
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
        return ChildProcess(pid: pid, stdinFD: input[1], stdoutFD: output[0])
    }

    /// Waits for exit; returns the exit status (128 + signal when killed).
    @discardableResult
    func wait() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        if status & 0x7f == 0 { return (status >> 8) & 0xff }
        return 128 + (status & 0x7f)
    }

    func terminate() {
        kill(pid, SIGTERM)
    }
}
