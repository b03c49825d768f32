import SubjectSearch
import PrivacyEvents

/// Whom or what a job looks for, as `--subject`, `--name`, `--message-id` and `--sha256` name
/// them: a person, or single messages.
public struct SubjectSelection: Sendable {
    /// The query the runs search with.
    public let query: SubjectQuery

    /// A selection; throws `SubjectQueryError` (one line) for an address that is not one, a
    /// name without letters (or of one word, unless `allowSingleWordNames`), a hash that is not
    /// 64 hex digits, or nothing named at all. `exactAddresses` leaves subaddresses out
    /// (`--exact-address`).
    public init(
        addresses: [String] = [], names: [String] = [], messageIDs: [String] = [], contentHashes: [String] = [],
        allowSingleWordNames: Bool = false, exactAddresses: Bool = false
    ) throws {
        query = try SubjectQuery(
            addresses: addresses, names: names, messageIDs: messageIDs, contentHashes: contentHashes,
            allowSingleWordNames: allowSingleWordNames, exactAddresses: exactAddresses)
    }

    /// The requester's pseudonyms: each address, and each name as "name:" + its compared form.
    public func pseudonyms(_ key: PseudonymKey) -> [Pseudonym] {
        query.addresses.map { key.pseudonym(for: $0.address) } + query.names.map { key.pseudonym(for: "name:" + $0.canonical) }
    }

    /// Message-IDs of single messages, with angle brackets, lower-cased.
    public var messageIDs: Set<String> { query.messageIDs }
    /// SHA-256 of single messages, lower-case hex.
    public var contentHashes: Set<String> { query.contentHashes }
}
