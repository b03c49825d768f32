import Foundation

/// A throw-away PostgreSQL cluster for tests: `initdb` in a temporary directory, `pg_ctl start` on
/// a free loopback port, stopped and removed when the value is released.
///
/// Debian's `postgresql` package provides the binaries; its own service is not used. `initdb`
/// refuses to run as root, so the cluster is made and run as the `postgres` user the package
/// creates, in a directory that user owns. The superuser is ``owner`` with trust authentication
/// on loopback and on the socket in ``directory``. Suites that need it use
/// `.enabled(if: PostgresServer.isAvailable, …)`.
public final class PostgresServer: @unchecked Sendable {
    /// The newest installed server's binaries, e.g. `/usr/lib/postgresql/15/bin`.
    public static let binDirectory: String? = {
        let root = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return versions.compactMap(Int.init).sorted().reversed()
            .map { "\(root)/\($0)/bin" }
            .first { FileManager.default.isExecutableFile(atPath: $0 + "/initdb") }
    }()

    /// Whether a cluster can be started here: PostgreSQL installed, running as root (to act as
    /// the `postgres` user), and that user present.
    public static let isAvailable: Bool = {
        guard binDirectory != nil, getuid() == 0, getpwnam("postgres") != nil else { return false }
        return FileManager.default.isExecutableFile(atPath: "/usr/bin/su")
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/psql")
    }()

    /// Why ``isAvailable`` is false, for the skip message.
    public static let unavailableReason = "needs PostgreSQL (apt-get install postgresql) and root"

    /// The superuser made by `initdb`.
    public let owner = "owner"
    /// The temporary directory: the data directory `data/`, the server log `server.log`, and the
    /// Unix socket.
    public let directory: URL
    /// The loopback port the server listens on.
    public private(set) var port: Int
    private let bin: String
    private let fsync: Bool
    private var running = false

    /// Makes a cluster and starts it. `fsync: false` makes tests faster; measurements keep it on.
    public init(fsync: Bool = false) throws {
        guard let bin = Self.binDirectory, Self.isAvailable else {
            throw PostgresServerError(Self.unavailableReason)
        }
        self.bin = bin
        self.fsync = fsync
        // Not under the per-user temp dir: the postgres user must reach it.
        var template = Array("/tmp/privctl-pg-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw PostgresServerError("mkdtemp failed") }
        directory = URL(fileURLWithPath: String(cString: made))
        port = 0
        guard let user = getpwnam("postgres") else { throw PostgresServerError("no postgres user") }
        chown(directory.path, user.pointee.pw_uid, user.pointee.pw_gid)
        chmod(directory.path, 0o700)
        try runAsPostgres([
            bin + "/initdb", "-D", dataDirectory, "-A", "trust", "-U", owner, "--no-sync", "-E", "UTF8", "--locale=C",
        ])
        try start()
    }

    deinit {
        if running { try? stop(mode: "immediate") }
        try? FileManager.default.removeItem(at: directory)
    }

    /// `DIR/data`.
    public var dataDirectory: String { directory.appendingPathComponent("data").path }

    /// A URL for `database` as the superuser, over TCP. Statements time out after 20 s, so a
    /// test whose server is stopped under a running statement fails fast instead of hanging.
    public func url(database: String = "postgres", user: String? = nil) -> String {
        "postgres://\(user ?? owner)@127.0.0.1:\(port)/\(database)?query_timeout=20"
    }

    /// Starts the server (again), on a new free port the first time.
    public func start() throws {
        var lastError: (any Error)?
        for _ in 0..<5 {
            if port == 0 { port = try Self.freePort() }
            do {
                try runAsPostgres([
                    bin + "/pg_ctl", "-D", dataDirectory, "-l", directory.appendingPathComponent("server.log").path,
                    "-o", "-p \(port) -k \(directory.path) -c listen_addresses=127.0.0.1 -c fsync=\(fsync ? "on" : "off") -c max_connections=100",
                    "-w", "-t", "60", "start",
                ])
                running = true
                return
            } catch {
                lastError = error
                if !running { port = 0 }  // maybe the port was taken meanwhile: try another
            }
        }
        throw lastError ?? PostgresServerError("pg_ctl start failed")
    }

    /// Stops the server; `immediate` is a crash (no checkpoint, connections cut).
    public func stop(mode: String = "fast") throws {
        try runAsPostgres([bin + "/pg_ctl", "-D", dataDirectory, "-m", mode, "-w", "stop"])
        running = false
    }

    /// Stops the server from an `atexit` handler: SIGQUIT to the postmaster (an immediate
    /// shutdown), a short wait, and the directory removed. Starts no process.
    public func stopAtExit() {
        guard running,
            let text = try? String(contentsOfFile: dataDirectory + "/postmaster.pid", encoding: .utf8),
            let pid = text.split(separator: "\n").first.flatMap({ pid_t($0) })
        else { return }
        kill(pid, SIGQUIT)
        for _ in 0..<100 where kill(pid, 0) == 0 { usleep(20_000) }
        running = false
        try? FileManager.default.removeItem(at: directory)
    }

    /// Creates an empty database and returns its name.
    @discardableResult
    public func createDatabase(_ name: String = "t" + UUID().uuidString.prefix(8).lowercased()) throws -> String {
        _ = try psql("CREATE DATABASE \(name)", database: "postgres")
        return name
    }

    /// Runs SQL with `psql` (stop on the first error); returns the output (unaligned, tuples only).
    /// Throws with psql's message when it fails.
    @discardableResult
    public func psql(_ sql: String, database: String, user: String? = nil) throws -> String {
        let result = try Self.run(
            "/usr/bin/psql",
            ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", "\(port)", "-U", user ?? owner, "-d", database, "-c", sql])
        guard result.status == 0 else { throw PostgresServerError(result.output) }
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The server log, for failure messages.
    public var log: String {
        (try? String(contentsOf: directory.appendingPathComponent("server.log"), encoding: .utf8)) ?? ""
    }

    private func runAsPostgres(_ arguments: [String]) throws {
        let quoted = arguments.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        // Close every descriptor above 2 first: the server that `pg_ctl start` leaves running
        // would otherwise keep the socket by which Foundation's Process notices that its child
        // ended (and any descriptor another test's spawn leaked meanwhile), and waitUntilExit
        // would wait for the server instead of for pg_ctl.
        let command = #"for fd in $(ls /proc/$$/fd); do [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done; exec "#
            + quoted
        let result = try Self.run("/usr/bin/su", ["postgres", "-s", "/bin/bash", "-c", command], in: directory)
        guard result.status == 0 else {
            throw PostgresServerError("\(arguments[0]) failed (\(result.status)): \(result.output)\n\(log.suffix(2000))")
        }
    }

    private static func run(_ tool: String, _ arguments: [String], in directory: URL? = nil) throws -> (status: Int32, output: String) {
        // ChildProcess writes to files, not pipes: pg_ctl's server inherits the descriptors and
        // would hold a pipe open.
        let result = try ChildProcess.run(tool, arguments, in: directory, mergingErrors: true)
        return (result.status, result.stdout)
    }

    /// A loopback port nothing listens on right now.
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw PostgresServerError("socket failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw PostgresServerError("bind failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw PostgresServerError("getsockname failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Why the test cluster could not be made, started or used.
public struct PostgresServerError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
