import Foundation

/// The one way the tests run programs (`privctl`, `tar`, `sqlite3`, `psql`, `python3`, …):
/// arguments in; status, standard output and standard error out.
///
/// Output goes to files, never to pipes: a child cannot block on a full pipe, and a grandchild
/// that outlives its parent (a server started by `pg_ctl`) cannot hold a pipe open and keep the
/// test waiting for an end of file. Standard input is `/dev/null`.
///
/// Foundation's `Process` notices that a child ended through a descriptor the child inherits; a
/// daemon the child leaves behind inherits it too, and `waitUntilExit` then waits for the daemon.
/// A caller that starts daemons closes the child's other descriptors first (see
/// `PostgresServer.runAsPostgres`).
public enum ChildProcess {
    /// What a finished program left.
    public struct Result: Sendable {
        public var status: Int32
        public var standardOutput: [UInt8]
        public var standardError: [UInt8]

        /// Standard output as UTF-8 text.
        public var stdout: String { String(decoding: standardOutput, as: UTF8.self) }
        /// Standard error as UTF-8 text (empty when it was merged into standard output).
        public var stderr: String { String(decoding: standardError, as: UTF8.self) }
        /// Both, for failure messages.
        public var output: String { stdout + stderr }
        public var succeeded: Bool { status == 0 }
    }

    /// Runs a program to its end. `program` is a path, or a name looked up on `PATH`;
    /// `environment` changes the test's own environment (a nil value removes a variable);
    /// `mergingErrors` sends standard error to standard output, in order.
    @discardableResult
    public static func run(
        _ program: String, _ arguments: [String] = [], in directory: URL? = nil,
        environment: [String: String?] = [:], mergingErrors: Bool = false
    ) throws -> Result {
        try start(program, arguments, in: directory, environment: environment, mergingErrors: mergingErrors).wait()
    }

    /// Runs a program that must succeed; throws with what it printed when it does not. Returns
    /// its standard output (and standard error, merged).
    @discardableResult
    public static func check(
        _ program: String, _ arguments: [String] = [], in directory: URL? = nil, environment: [String: String?] = [:]
    ) throws -> String {
        let result = try run(program, arguments, in: directory, environment: environment, mergingErrors: true)
        guard result.succeeded else {
            throw ChildProcessError("\(([program] + arguments).joined(separator: " ")) failed (\(result.status)): \(result.output)")
        }
        return result.stdout
    }

    /// `run` with the program and its arguments in one list: `run(["tar", "-tf", path])`.
    @discardableResult
    public static func run(
        _ command: [String], in directory: URL? = nil, environment: [String: String?] = [:], mergingErrors: Bool = false
    ) throws -> Result {
        try run(command[0], Array(command.dropFirst()), in: directory, environment: environment, mergingErrors: mergingErrors)
    }

    /// `check` with the program and its arguments in one list: `check(["gzip", "-t", path])`.
    @discardableResult
    public static func check(_ command: [String], in directory: URL? = nil, environment: [String: String?] = [:]) throws -> String {
        try check(command[0], Array(command.dropFirst()), in: directory, environment: environment)
    }

    /// Starts a program and returns while it runs (a lock holder, a server, a run to be killed).
    public static func start(
        _ program: String, _ arguments: [String] = [], in directory: URL? = nil,
        environment: [String: String?] = [:], mergingErrors: Bool = false
    ) throws -> RunningProcess {
        try RunningProcess(
            executable: executable(program), arguments: arguments, directory: directory,
            environment: environment, mergingErrors: mergingErrors)
    }

    /// A program's path: `program` itself when it names a path, else the first match on `PATH`.
    public static func executable(_ program: String) throws -> URL {
        if program.contains("/") { return URL(fileURLWithPath: program) }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(dir)).appendingPathComponent(program)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw ChildProcessError("\(program) is not on PATH (\(path))")
    }

    /// Whether a program is installed (on `PATH`, or at the path given).
    public static func isInstalled(_ program: String) -> Bool {
        guard let url = try? executable(program) else { return false }
        return FileManager.default.isExecutableFile(atPath: url.path)
    }
}

/// A started program. Released while it still runs, it is killed (SIGKILL) and reaped.
public final class RunningProcess: @unchecked Sendable {
    private let process = Process()
    private let folder: URL
    private let outputFile: URL
    private let errorFile: URL
    private let handles: [FileHandle]
    private var finished: ChildProcess.Result?
    private var launched = false

    fileprivate init(
        executable: URL, arguments: [String], directory: URL?, environment: [String: String?], mergingErrors: Bool
    ) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("privctl-child-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        outputFile = folder.appendingPathComponent("stdout")
        errorFile = folder.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        let out = try FileHandle(forWritingTo: outputFile)
        let err = mergingErrors ? out : try FileHandle(forWritingTo: errorFile)
        handles = mergingErrors ? [out] : [out, err]

        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if !environment.isEmpty {
            var merged = ProcessInfo.processInfo.environment
            for (name, value) in environment { merged[name] = value }
            process.environment = merged
        }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        do {
            try process.run()
            launched = true
        } catch {
            throw ChildProcessError("cannot start \(executable.path): \(error)")
        }
    }

    deinit {
        if launched, finished == nil {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        cleanUp()
    }

    /// The child's process id.
    public var pid: Int32 { process.processIdentifier }

    public var isRunning: Bool { process.isRunning }

    /// Sends a signal (SIGKILL unless told otherwise).
    public func signal(_ signal: Int32 = SIGKILL) {
        if process.isRunning { kill(process.processIdentifier, signal) }
    }

    /// Waits for the end; returns the status and everything the program wrote.
    @discardableResult
    public func wait() -> ChildProcess.Result {
        if let finished { return finished }
        process.waitUntilExit()
        for handle in handles { try? handle.close() }
        let result = ChildProcess.Result(
            status: process.terminationStatus,
            standardOutput: (try? [UInt8](Data(contentsOf: outputFile))) ?? [],
            standardError: (try? [UInt8](Data(contentsOf: errorFile))) ?? [])
        finished = result
        return result
    }

    /// Standard output written so far.
    public var outputSoFar: String {
        String(decoding: (try? Data(contentsOf: outputFile)) ?? Data(), as: UTF8.self)
    }

    /// Waits until the program has written `text` to standard output (true), or has ended or
    /// `timeout` seconds have passed without it (false): "the lock is taken now".
    public func waitForOutput(_ text: String, timeout: TimeInterval = 10) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if outputSoFar.contains(text) { return true }
            if !process.isRunning { return outputSoFar.contains(text) }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return false
    }

    private func cleanUp() {
        for handle in handles { try? handle.close() }
        try? FileManager.default.removeItem(at: folder)
    }
}

/// A program could not be found or started.
public struct ChildProcessError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
