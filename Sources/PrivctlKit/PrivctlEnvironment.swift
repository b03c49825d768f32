import Foundation

/// Where privctl keeps its state and which host it is, resolved from options, environment
/// variables and defaults, in that order.
///
/// | What | Option | Variable | Default |
/// |---|---|---|---|
/// | ledger | `--ledger` | `PRIVCTL_LEDGER` | `$XDG_DATA_HOME/privctl/ledger.sqlite` (`~/.local/share/privctl/ledger.sqlite`) |
/// | pseudonym key | `--key` | `PRIVCTL_KEY` | `$XDG_DATA_HOME/privctl/pseudonym.key` |
/// | policy | `--policy` | `PRIVCTL_POLICY` | `$XDG_CONFIG_HOME/privctl/policy.yaml` if it exists, else the built-in policy |
/// | host name | `--host` | `PRIVCTL_HOST` | the machine's host name |
public struct PrivctlEnvironment: Sendable {
    /// The ledger database file.
    public var ledgerURL: URL
    /// The pseudonym key file.
    public var keyURL: URL
    /// The policy file, or nil for the built-in policy.
    public var policyURL: URL?
    /// This host's name in ledger events.
    public var host: String

    public init(ledgerURL: URL, keyURL: URL, policyURL: URL?, host: String) {
        self.ledgerURL = ledgerURL
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
        let ledgerURL = (nonEmpty(ledger) ?? nonEmpty(environment["PRIVCTL_LEDGER"])).map { URL(fileURLWithPath: $0) }
            ?? stateDir.appendingPathComponent("ledger.sqlite")
        let keyURL = (nonEmpty(key) ?? nonEmpty(environment["PRIVCTL_KEY"])).map { URL(fileURLWithPath: $0) }
            ?? stateDir.appendingPathComponent("pseudonym.key")
        var policyURL = (nonEmpty(policy) ?? nonEmpty(environment["PRIVCTL_POLICY"])).map { URL(fileURLWithPath: $0) }
        if policyURL == nil {
            let candidate = configHome.appendingPathComponent("privctl/policy.yaml")
            if FileManager.default.fileExists(atPath: candidate.path) { policyURL = candidate }
        }
        let hostName = nonEmpty(host) ?? nonEmpty(environment["PRIVCTL_HOST"]) ?? ProcessInfo.processInfo.hostName
        return PrivctlEnvironment(ledgerURL: ledgerURL, keyURL: keyURL, policyURL: policyURL, host: hostName)
    }
}
