import Foundation
import FileSystem

/// Where privctl keeps its state and which host it is, resolved from options, environment
/// variables, configuration files and defaults, in that order.
///
/// | What | Option | Variable | File setting | Default |
/// |---|---|---|---|---|
/// | ledger (a SQLite path or a `postgres://` URL) | `--ledger` | `PRIVCTL_LEDGER` | `ledger` | `$XDG_DATA_HOME/privctl/ledger.sqlite` (`~/.local/share/privctl/ledger.sqlite`) |
/// | local state with a fleet ledger (message index, spool, locks) | | `PRIVCTL_STATE_DIR` | `state-dir` | `$XDG_DATA_HOME/privctl` |
/// | pseudonym key | `--key` | `PRIVCTL_KEY` | `key` | `$XDG_DATA_HOME/privctl/pseudonym.key` |
/// | policy | `--policy` | `PRIVCTL_POLICY` | `policy` | `$XDG_CONFIG_HOME/privctl/policy.yaml` if it exists, else the built-in policy |
/// | host name | `--host` | `PRIVCTL_HOST` | `host` | the machine's host name |
///
/// The files (see ``ConfigurationFile``): the user's `$XDG_CONFIG_HOME/privctl/config` wins over
/// the system's `/etc/privctl/privctl.conf` (or the file `$PRIVCTL_CONFIG` names).
public struct PrivctlEnvironment: Sendable {
    /// The ledger as given: a SQLite file path or a `postgres://` URL (see ``LedgerLocation``).
    public var ledger: String
    /// Where this host keeps its own state when the ledger is a fleet's PostgreSQL database:
    /// the index of messages already recorded, the spool of undelivered events, and locks.
    public var stateDirectory: URL
    /// The pseudonym key file.
    public var keyURL: URL
    /// The policy file, or nil for the built-in policy.
    public var policyURL: URL?
    /// This host's name in ledger events.
    public var host: String
    /// Where ``ledger`` and ``keyURL`` came from, for messages and for the rule that only a
    /// first interactive run with nothing configured creates them.
    public var ledgerOrigin: SettingOrigin
    public var keyOrigin: SettingOrigin
    /// Where the policy, the host name and the state directory came from (`privctl config show`).
    public var policyOrigin: SettingOrigin = .given
    public var hostOrigin: SettingOrigin = .given
    public var stateDirectoryOrigin: SettingOrigin = .given
    /// The configuration files looked for, in the order they were read, and whether each exists.
    public var configurationFiles: [(path: String, exists: Bool)] = []

    public init(
        ledger: String, stateDirectory: URL, keyURL: URL, policyURL: URL?, host: String,
        ledgerOrigin: SettingOrigin = .given, keyOrigin: SettingOrigin = .given
    ) {
        self.ledger = ledger
        self.stateDirectory = stateDirectory
        self.keyURL = keyURL
        self.policyURL = policyURL
        self.host = host
        self.ledgerOrigin = ledgerOrigin
        self.keyOrigin = keyOrigin
    }

    /// Where a setting's value came from.
    public enum SettingOrigin: Sendable, Equatable {
        /// A command-line option, e.g. `--ledger`.
        case option(String)
        /// An environment variable, e.g. `PRIVCTL_LEDGER`.
        case environment(String)
        /// A configuration file, at a line.
        case file(String, line: Int)
        /// privctl's default.
        case defaultValue

        /// "from --ledger", "from $PRIVCTL_LEDGER", "from /etc/privctl/privctl.conf line 2",
        /// "the default".
        public var description: String {
            switch self {
            case .option(let name): return "from " + name
            case .environment(let name): return "from $" + name
            case .file(let path, let line): return "from \(path) line \(line)"
            case .defaultValue: return "the default"
            }
        }

        /// For values a program sets in code (tests, embedding programs).
        public static let given = SettingOrigin.option("the caller")
    }

    /// Resolves every setting: options win over the environment, which wins over the user's
    /// configuration file, which wins over the system's, which wins over defaults. Throws when a
    /// configuration file is malformed or not safe to read.
    public static func resolve(
        ledger: String? = nil, key: String? = nil, policy: String? = nil, host: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(PrivctlError) -> PrivctlEnvironment {
        let home = environment["HOME"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser
        let dataHome = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? home.appendingPathComponent(".local/share")
        let configHome = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? home.appendingPathComponent(".config")
        let stateDir = dataHome.appendingPathComponent("privctl")

        func nonEmpty(_ value: String?) -> String? { value.flatMap { $0.isEmpty ? nil : $0 } }
        // The user's file first: the first file that sets a value wins.
        let systemPath = nonEmpty(environment["PRIVCTL_CONFIG"]) ?? ConfigurationFile.systemPath
        var paths = [configHome.appendingPathComponent("privctl/config").path]
        if systemPath != "none" { paths.append(systemPath) }
        var files: [ConfigurationFile] = []
        var looked: [(path: String, exists: Bool)] = []
        // A file named on purpose must be there: a typo is not "no configuration".
        let named = systemPath != "none" && systemPath != ConfigurationFile.systemPath
        if named, !systemPath.hasPrefix("/") {
            throw PrivctlError(.invalidInput, path: systemPath, problem: "$PRIVCTL_CONFIG must be an absolute path (or none)")
        }
        for path in paths {
            // Through the file-system layer, which looks at the path itself, never through a link.
            let file = try ConfigurationFile.load(path: path)
            if file == nil, named, path == systemPath {
                throw PrivctlError(.notFound, path: systemPath, problem: "no configuration file (from $PRIVCTL_CONFIG)")
            }
            looked.append((path, file != nil))
            if let file { files.append(file) }
        }

        /// The option's value, else the variable's, else a file's, else the default, with where
        /// it came from.
        func setting(
            _ value: String?, _ option: String?, _ variable: String, _ name: ConfigurationFile.Setting, _ fallback: String?
        ) -> (String?, SettingOrigin) {
            if let value = nonEmpty(value), let option { return (value, .option(option)) }
            if let value = nonEmpty(environment[variable]) { return (value, .environment(variable)) }
            for file in files {
                if let (value, line) = file.values[name] { return (value, .file(file.path, line: line)) }
            }
            return (fallback, .defaultValue)
        }
        let (ledgerValue, ledgerOrigin) = setting(
            ledger, "--ledger", "PRIVCTL_LEDGER", .ledger, stateDir.appendingPathComponent("ledger.sqlite").path)
        let (stateValue, stateOrigin) = setting(nil, nil, "PRIVCTL_STATE_DIR", .stateDirectory, stateDir.path)
        let (keyPath, keyOrigin) = setting(
            key, "--key", "PRIVCTL_KEY", .key, stateDir.appendingPathComponent("pseudonym.key").path)
        var (policyPath, policyOrigin) = setting(policy, "--policy", "PRIVCTL_POLICY", .policy, nil)
        if policyPath == nil {
            let candidate = configHome.appendingPathComponent("privctl/policy.yaml")
            if FileManager.default.fileExists(atPath: candidate.path) { policyPath = candidate.path }
        }
        let (hostName, hostOrigin) = setting(host, "--host", "PRIVCTL_HOST", .host, ProcessInfo.processInfo.hostName)
        // Every event names its host, and its chain is found by that name: a control
        // character (a NUL ends the name in SQLite) would split or hide the chain.
        if let hostName, hostName.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            let (place, line): (String, String) = switch hostOrigin {
            case .file(let path, let line): (path, "line \(line): ")
            case .environment(let variable): ("$" + variable, "")
            case .option(let option): (option, "")
            case .defaultValue: ("the system's host name", "")
            }
            throw PrivctlError(
                .invalidInput, path: place,
                problem: line + "the host name \(escapingControls(hostName)) has a control character: name the host in printable text")
        }
        var resolved = PrivctlEnvironment(
            ledger: ledgerValue!, stateDirectory: URL(fileURLWithPath: stateValue!), keyURL: URL(fileURLWithPath: keyPath!),
            policyURL: policyPath.map { URL(fileURLWithPath: $0) }, host: hostName!,
            ledgerOrigin: ledgerOrigin, keyOrigin: keyOrigin)
        resolved.policyOrigin = policyOrigin
        resolved.hostOrigin = hostOrigin
        resolved.stateDirectoryOrigin = stateOrigin
        resolved.configurationFiles = looked
        return resolved
    }

    /// Each setting with its value and where it came from, for `privctl config show`.
    public var settings: [(setting: ConfigurationFile.Setting, value: String, origin: SettingOrigin)] {
        [
            (.ledger, ledger, ledgerOrigin), (.key, keyURL.path, keyOrigin),
            (.policy, policyURL?.path ?? "built-in", policyOrigin), (.host, host, hostOrigin),
            (.stateDirectory, stateDirectory.path, stateDirectoryOrigin),
        ]
    }
}
