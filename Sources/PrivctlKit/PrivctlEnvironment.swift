import Foundation

/// Where privctl keeps its state and which host it is, resolved from options, environment
/// variables and defaults, in that order.
///
/// | What | Option | Variable | Default |
/// |---|---|---|---|
/// | ledger (a SQLite path or a `postgres://` URL) | `--ledger` | `PRIVCTL_LEDGER` | `$XDG_DATA_HOME/privctl/ledger.sqlite` (`~/.local/share/privctl/ledger.sqlite`) |
/// | local state with a fleet ledger (message index, spool, locks) | | `PRIVCTL_STATE_DIR` | `$XDG_DATA_HOME/privctl` |
/// | pseudonym key | `--key` | `PRIVCTL_KEY` | `$XDG_DATA_HOME/privctl/pseudonym.key` |
/// | policy | `--policy` | `PRIVCTL_POLICY` | `$XDG_CONFIG_HOME/privctl/policy.yaml` if it exists, else the built-in policy |
/// | host name | `--host` | `PRIVCTL_HOST` | the machine's host name |
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
        /// privctl's default.
        case defaultValue

        /// "from --ledger", "from $PRIVCTL_LEDGER", "the default".
        public var description: String {
            switch self {
            case .option(let name): return "from " + name
            case .environment(let name): return "from $" + name
            case .defaultValue: return "the default"
            }
        }

        /// For values a program sets in code (tests, embedding programs).
        public static let given = SettingOrigin.option("the caller")
    }

    /// Resolves every setting; explicit values win over the environment, which wins over defaults.
    public static func resolve(
        ledger: String? = nil, key: String? = nil, policy: String? = nil, host: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> PrivctlEnvironment {
        let home = environment["HOME"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser
        let dataHome = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? home.appendingPathComponent(".local/share")
        let configHome = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? home.appendingPathComponent(".config")
        let stateDir = dataHome.appendingPathComponent("privctl")

        func nonEmpty(_ value: String?) -> String? { value.flatMap { $0.isEmpty ? nil : $0 } }
        /// The option's value, else the variable's, else the default, with where it came from.
        func setting(_ value: String?, _ option: String, _ variable: String, _ fallback: String) -> (String, SettingOrigin) {
            if let value = nonEmpty(value) { return (value, .option(option)) }
            if let value = nonEmpty(environment[variable]) { return (value, .environment(variable)) }
            return (fallback, .defaultValue)
        }
        let (ledger, ledgerOrigin) = setting(ledger, "--ledger", "PRIVCTL_LEDGER", stateDir.appendingPathComponent("ledger.sqlite").path)
        let stateDirectory = nonEmpty(environment["PRIVCTL_STATE_DIR"]).map { URL(fileURLWithPath: $0) } ?? stateDir
        let (keyPath, keyOrigin) = setting(key, "--key", "PRIVCTL_KEY", stateDir.appendingPathComponent("pseudonym.key").path)
        let keyURL = URL(fileURLWithPath: keyPath)
        var policyURL = (nonEmpty(policy) ?? nonEmpty(environment["PRIVCTL_POLICY"])).map { URL(fileURLWithPath: $0) }
        if policyURL == nil {
            let candidate = configHome.appendingPathComponent("privctl/policy.yaml")
            if FileManager.default.fileExists(atPath: candidate.path) { policyURL = candidate }
        }
        let hostName = nonEmpty(host) ?? nonEmpty(environment["PRIVCTL_HOST"]) ?? ProcessInfo.processInfo.hostName
        return PrivctlEnvironment(
            ledger: ledger, stateDirectory: stateDirectory, keyURL: keyURL, policyURL: policyURL, host: hostName,
            ledgerOrigin: ledgerOrigin, keyOrigin: keyOrigin)
    }
}
