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
        case domain([UInt8])
        case address(GlobPattern)
    }
    private let form: Form

    /// A pattern; returns nil when it is empty.
    public init?(_ pattern: String) {
        let text = pattern.trimmingCharacters(in: .whitespaces).lowercased()
        guard !text.isEmpty, text != "@" else { return nil }
        description = pattern
        if text.hasPrefix("@") {
            form = .domain(Array(text.utf8.dropFirst()))
        } else if text.hasSuffix("@") {
            form = .localPart(GlobPattern(String(text.dropLast())))
        } else if text.contains("@") {
            form = .address(GlobPattern(text))
        } else {
            form = .localPart(GlobPattern(text))
        }
    }

    /// Whether an address (any case, `local@domain` or a bare local part) matches.
    public func matches(_ address: String) -> Bool { matches(MailboxAddress(address)) }

    /// Whether an address split once per message matches.
    func matches(_ address: MailboxAddress) -> Bool {
        switch form {
        case .localPart(let glob): return glob.matches(lowercased: address.local)
        case .domain(let domain): return address.domain.map { AddressPattern.domain($0, isWithin: domain) } ?? false
        case .address(let glob): return glob.matches(lowercased: address.bytes)
        }
    }

    /// Whether `host` is `domain` or one of its subdomains (both lower-cased bytes).
    static func domain(_ host: ArraySlice<UInt8>, isWithin domain: [UInt8]) -> Bool {
        if host.count == domain.count { return host.elementsEqual(domain) }
        guard host.count > domain.count else { return false }
        let dot = host.index(host.endIndex, offsetBy: -domain.count - 1)
        return host[dot] == UInt8(ascii: ".") && host[(dot + 1)...].elementsEqual(domain)
    }
}

/// A mail address lower-cased and split at its last "@", once per message, for the rules.
struct MailboxAddress: Sendable {
    /// The lower-cased address as text, for explanations.
    let text: String
    let bytes: [UInt8]
    /// The part before the last "@" (the whole address when there is none).
    let local: ArraySlice<UInt8>
    /// The part after the last "@", or nil when there is none or it is empty.
    let domain: ArraySlice<UInt8>?

    init(_ address: String) {
        var bytes = Array(address.utf8)
        if bytes.allSatisfy({ $0 < 0x80 }) {
            for index in bytes.indices where bytes[index] >= 0x41 && bytes[index] <= 0x5A { bytes[index] |= 0x20 }
            text = String(decoding: bytes, as: UTF8.self)
        } else {
            text = address.lowercased()
            bytes = Array(text.utf8)
        }
        self.bytes = bytes
        if let at = bytes.lastIndex(of: UInt8(ascii: "@")) {
            local = bytes[..<at]
            domain = at + 1 < bytes.count ? bytes[(at + 1)...] : nil
        } else {
            local = bytes[...]
            domain = nil
        }
    }
}
