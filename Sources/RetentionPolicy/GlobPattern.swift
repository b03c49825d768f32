/// A case-insensitive pattern in which `*` stands for any run of characters, for folder names,
/// addresses and media types ("Archive*", "root@*", "image/*").
public struct GlobPattern: Hashable, Sendable, CustomStringConvertible {
    /// The pattern as written in the policy.
    public let description: String
    private let segments: [[UInt8]]
    private let anchoredStart: Bool
    private let anchoredEnd: Bool

    /// A pattern; comparison is on lower-cased text.
    public init(_ pattern: String) {
        description = pattern
        let lower = Array(pattern.lowercased().utf8)
        anchoredStart = lower.first != UInt8(ascii: "*")
        anchoredEnd = lower.last != UInt8(ascii: "*")
        segments = lower.split(separator: UInt8(ascii: "*"), omittingEmptySubsequences: true).map(Array.init)
    }

    /// Whether the pattern has no `*`.
    public var isLiteral: Bool { anchoredStart && anchoredEnd && segments.count <= 1 }

    /// Whether lower-cased `text` matches the whole pattern.
    public func matches(lowercased text: [UInt8]) -> Bool {
        if segments.isEmpty { return !(anchoredStart && anchoredEnd) || text.isEmpty }
        var position = 0
        for (index, segment) in segments.enumerated() {
            let isFirst = index == 0, isLast = index == segments.count - 1
            if isLast && anchoredEnd {
                guard text.count - segment.count >= position,
                    text[(text.count - segment.count)...].elementsEqual(segment)
                else { return false }
                if isFirst && anchoredStart { return text.count == segment.count }
                return true
            }
            if isFirst && anchoredStart {
                guard text.count >= segment.count, text[0..<segment.count].elementsEqual(segment) else { return false }
                position = segment.count
                continue
            }
            guard let found = GlobPattern.find(segment, in: text, from: position) else { return false }
            position = found + segment.count
        }
        return true
    }

    /// Whether `text` (any case) matches.
    public func matches(_ text: String) -> Bool { matches(lowercased: Array(text.lowercased().utf8)) }

    private static func find(_ needle: [UInt8], in text: [UInt8], from start: Int) -> Int? {
        guard needle.count <= text.count - start else { return nil }
        var index = start
        while index + needle.count <= text.count {
            if text[index] == needle[0], text[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}
