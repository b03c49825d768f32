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

    public init(ledger: String, stateDirectory: URL, keyURL: URL, policyURL: URL?, host: String) {
        self.ledger = ledger
        self.stateDirectory = stateDirectory
        self.keyURL = keyURL
        self.policyURL = policyURL
        self.host = host
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
        let ledger = nonEmpty(ledger) ?? nonEmpty(environment["PRIVCTL_LEDGER"])
            ?? stateDir.appendingPathComponent("ledger.sqlite").path
        let stateDirectory = nonEmpty(environment["PRIVCTL_STATE_DIR"]).map { URL(fileURLWithPath: $0) } ?? stateDir
        let keyURL = (nonEmpty(key) ?? nonEmpty(environment["PRIVCTL_KEY"])).map { URL(fileURLWithPath: $0) }
            ?? stateDir.appendingPathComponent("pseudonym.key")
        var policyURL = (nonEmpty(policy) ?? nonEmpty(environment["PRIVCTL_POLICY"])).map { URL(fileURLWithPath: $0) }
        if policyURL == nil {
            let candidate = configHome.appendingPathComponent("privctl/policy.yaml")
            if FileManager.default.fileExists(atPath: candidate.path) { policyURL = candidate }
        }
        let hostName = nonEmpty(host) ?? nonEmpty(environment["PRIVCTL_HOST"]) ?? ProcessInfo.processInfo.hostName
        return PrivctlEnvironment(ledger: ledger, stateDirectory: stateDirectory, keyURL: keyURL, policyURL: policyURL, host: hostName)
    }
}
