import Foundation

/// Whom or what an erase, block or report looks for: a data subject's addresses and names, or
/// single messages by Message-ID or content hash.
public struct SubjectQuery: Sendable {
    /// The person's addresses.
    public var addresses: [AddressScanner]
    /// The person's names (`--name`), matched in headers and text.
    public var names: [NameMatcher]
    /// Message-IDs of single messages (`--message-id`), with angle brackets, lower-cased.
    public var messageIDs: Set<String>
    /// SHA-256 (hex, lower-case) of single messages (`--sha256`).
    public var contentHashes: Set<String>

    /// A query; throws ``SubjectQueryError`` for an address that is not exactly one address, a
    /// name without letters, a name of one word (it would match everyone of that name) unless
    /// `allowSingleWordNames`, or a hash that is not 64 hex digits. `exactAddresses` leaves the
    /// addresses' subaddresses (`alice+news@…` for `alice@…`) out.
    public init(
        addresses: [String] = [], names: [String] = [], messageIDs: [String] = [], contentHashes: [String] = [],
        allowSingleWordNames: Bool = false, exactAddresses: Bool = false
    ) throws(SubjectQueryError) {
        var scanners: [AddressScanner] = []
        for address in addresses {
            guard let scanner = AddressScanner(address.trimmingCharacters(in: .whitespaces), subaddresses: !exactAddresses)
            else {
                throw SubjectQueryError("\"\(address)\" is not one e-mail address (local@domain.tld; give each address its own --subject)")
            }
            scanners.append(scanner)
        }
        var matchers: [NameMatcher] = []
        for name in names {
            guard let matcher = NameMatcher(name) else { throw SubjectQueryError("\"\(name)\" is not a name") }
            guard allowSingleWordNames || matcher.canonical.contains(" ") else {
                throw SubjectQueryError(
                    "\"\(name)\" is a single word: it would find everyone called that; give first and last name, or add --name-allow-single")
            }
            matchers.append(matcher)
        }
        var hashes = Set<String>()
        for hash in contentHashes {
            let lower = hash.lowercased()
            guard lower.count == 64, lower.allSatisfy({ $0.isHexDigit }) else {
                throw SubjectQueryError("\"\(hash)\" is not a SHA-256 (64 hexadecimal digits)")
            }
            hashes.insert(lower)
        }
        var ids = Set<String>()
        for id in messageIDs {
            var trimmed = id.trimmingCharacters(in: .whitespaces)
            if !trimmed.hasPrefix("<") { trimmed = "<" + trimmed + ">" }
            guard trimmed.count > 2 else { throw SubjectQueryError("\"\(id)\" is not a Message-ID") }
            ids.insert(trimmed.lowercased())
        }
        guard !scanners.isEmpty || !matchers.isEmpty || !ids.isEmpty || !hashes.isEmpty else {
            throw SubjectQueryError("name a subject (--subject ADDRESS or --name NAME) or messages (--message-id, --sha256)")
        }
        self.addresses = scanners
        self.names = matchers
        self.messageIDs = ids
        self.contentHashes = hashes
    }

    /// Whether the query looks for a person (not only for single messages).
    public var findsPeople: Bool { !addresses.isEmpty || !names.isEmpty }
}

/// Why a query cannot be used.
public struct SubjectQueryError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
