import FileSystem
import Foundation

/// An executable `privctl-NAME` on `PATH`, run as `privctl NAME …`, the way git and cargo run
/// theirs: a plugin in any language.
///
/// privctl replaces itself with the program (stdin, stdout, stderr and the exit status are the
/// program's) and passes what it has resolved in the environment, so the program writes to the
/// same ledger with the same key and policy as every other command:
///
/// | Variable | Value |
/// |---|---|
/// | `PRIVCTL_LEDGER` | the ledger: a SQLite path or a `postgres://` URL |
/// | `PRIVCTL_KEY` | the pseudonym key file |
/// | `PRIVCTL_POLICY` | the policy file (unset: the built-in policy) |
/// | `PRIVCTL_HOST` | this host's name in events |
/// | `PRIVCTL_STATE_DIR` | this host's state directory |
/// | `PRIVCTL` | the privctl executable itself, to call back (`$PRIVCTL ledger show --json`) |
///
/// A built-in command of the same name wins; among several on `PATH`, the first one.
public struct ExternalCommand: Sendable, Equatable {
    /// The name it is run by (`NAME` of `privctl-NAME`).
    public let name: String
    /// The executable.
    public let path: String

    static let prefix = "privctl-"

    /// Every `privctl-*` executable on `searchPath` (first wins per name), sorted by name.
    public static func all(searchPath: String? = ProcessInfo.processInfo.environment["PATH"]) -> [ExternalCommand] {
        var found: [String: ExternalCommand] = [:]
        for directory in directories(searchPath) {
            guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { continue }
            for entry in entries where entry.hasPrefix(prefix) {
                let name = String(entry.dropFirst(prefix.count))
                guard found[name] == nil, isValidName(name) else { continue }
                let path = directory + "/" + entry
                if isExecutableFile(path) { found[name] = ExternalCommand(name: name, path: path) }
            }
        }
        return found.values.sorted { $0.name < $1.name }
    }

    /// The external command `name`, if one is on `searchPath`.
    public static func find(_ name: String, searchPath: String? = ProcessInfo.processInfo.environment["PATH"]) -> ExternalCommand? {
        guard isValidName(name) else { return nil }
        for directory in directories(searchPath) {
            let path = directory + "/" + prefix + name
            if isExecutableFile(path) { return ExternalCommand(name: name, path: path) }
        }
        return nil
    }

    /// Replaces this process with the command. Returns only by throwing, when exec failed.
    public func exec(arguments: [String], environment: PrivctlEnvironment) throws -> Never {
        setenv("PRIVCTL_LEDGER", environment.ledger, 1)
        setenv("PRIVCTL_KEY", environment.keyURL.path, 1)
        if let policy = environment.policyURL { setenv("PRIVCTL_POLICY", policy.path, 1) } else { unsetenv("PRIVCTL_POLICY") }
        setenv("PRIVCTL_HOST", environment.host, 1)
        setenv("PRIVCTL_STATE_DIR", environment.stateDirectory.path, 1)
        if let me = Self.currentExecutable() { setenv("PRIVCTL", me, 1) }
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        execv(path, argv)
        let number = errno
        throw PrivctlError(
            PrivctlError.code(forErrno: number), path: "", problem: "cannot run \(path): \(String(cString: strerror(number)))")
    }

    /// Letters, digits and dashes, not starting with a dash: never a path.
    static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, first != UInt8(ascii: "-") else { return false }
        return name.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }
    }

    private static func directories(_ searchPath: String?) -> [String] {
        (searchPath ?? "").split(separator: ":").map { $0.isEmpty ? "." : String($0) }
    }

    private static func isExecutableFile(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return false }
        return access(path, X_OK) == 0
    }

    private static func currentExecutable() -> String? {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments.first
    }
}
