/// A value that is a string and nothing else (an event id, a pseudonym): encoded as that string
/// (the standard library's coding of `RawRepresentable`), ordered by it, printed as it.
public protocol StringIdentifier: RawRepresentable<String>, Hashable, Comparable, Sendable, Codable, CustomStringConvertible {}

extension StringIdentifier {
    public var description: String { rawValue }

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}
