/// Pseudonyms packed into one string ("p1 p2 p3"), as the scan index stores them.
///
/// A nightly run reads the subjects of every indexed message but needs them only for the few it
/// prints as JSON or records; keeping them packed saves an allocation per pseudonym per
/// message. ``pseudonyms`` unpacks on demand.
public struct PseudonymList: Hashable, Sendable {
    /// The pseudonyms separated by single spaces.
    public let packed: String

    /// A list from pseudonyms (kept in the given order).
    public init(_ pseudonyms: [Pseudonym]) {
        packed = pseudonyms.map(\.rawValue).joined(separator: " ")
    }

    /// A list from its packed form.
    public init(packed: String) {
        self.packed = packed
    }

    /// The pseudonyms.
    public var pseudonyms: [Pseudonym] {
        var pseudonyms: [Pseudonym] = []
        var rest = Substring(packed)
        while !rest.isEmpty {
            let end = rest.utf8.firstIndex(of: UInt8(ascii: " ")) ?? rest.endIndex
            if end > rest.startIndex { pseudonyms.append(Pseudonym(rawValue: String(rest[..<end]))) }
            rest = end == rest.endIndex ? rest[end...] : rest[rest.utf8.index(after: end)...]
        }
        return pseudonyms
    }

    public var isEmpty: Bool { packed.isEmpty }
}
