import Foundation

/// A pattern for a mail address: `root@*` or `root@` (that local part at any domain),
/// `@example.com` (that domain and its subdomains), `*noreply*` (a pattern without `@` is matched
/// against the local part alone, so `mailer-daemon` also matches the bare "MAILER-DAEMON" some
/// bounces carry), or a whole address `billing@example.com`. Case is ignored.
public struct AddressPattern: Hashable, Sendable, CustomStringConvertible {
    /// The pattern as written in the policy.
    public let description: String
    private enum Form: Hashable, Sendable {
        case localPart(GlobPattern)
        case domain(String)
        case address(GlobPattern)
    }
    private let form: Form

    /// A pattern; returns nil when it is empty.
    public init?(_ pattern: String) {
        let text = pattern.trimmingCharacters(in: .whitespaces).lowercased()
        guard !text.isEmpty, text != "@" else { return nil }
        description = pattern
        if text.hasPrefix("@") {
            form = .domain(String(text.dropFirst()))
        } else if text.hasSuffix("@") {
            form = .localPart(GlobPattern(String(text.dropLast())))
        } else if text.contains("@") {
            form = .address(GlobPattern(text))
        } else {
            form = .localPart(GlobPattern(text))
        }
    }

    /// Whether an address (lower-cased, `local@domain` or a bare local part) matches.
    public func matches(lowercasedAddress address: String) -> Bool {
        let at = address.lastIndex(of: "@")
        switch form {
        case let .localPart(glob):
            let local = at.map { address[..<$0] } ?? Substring(address)
            return glob.matches(lowercased: Array(local.utf8))
        case let .domain(domain):
            guard let at else { return false }
            return AddressPattern.domain(address[address.index(after: at)...], isWithin: domain)
        case let .address(glob):
            return glob.matches(lowercased: Array(address.utf8))
        }
    }

    /// Whether `host` is `domain` or one of its subdomains (both lower-cased).
    static func domain(_ host: Substring, isWithin domain: String) -> Bool {
        host == domain || host.hasSuffix("." + domain)
    }
}
