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

    /// Whether `text` (any case) matches.
    public func matches(_ text: String) -> Bool { matches(lowercased: Array(text.lowercased().utf8)) }

    /// Whether lower-cased `text` matches the whole pattern.
    public func matches(lowercased text: [UInt8]) -> Bool { text.withUnsafeBufferPointer(matches(in:)) }

    /// Whether a lower-cased slice matches the whole pattern.
    func matches(lowercased text: ArraySlice<UInt8>) -> Bool { text.withUnsafeBufferPointer(matches(in:)) }

    private func matches(in text: UnsafeBufferPointer<UInt8>) -> Bool {
        if segments.isEmpty { return !(anchoredStart && anchoredEnd) || text.isEmpty }
        var position = 0
        for (index, segment) in segments.enumerated() {
            let isFirst = index == 0
            let isLast = index == segments.count - 1
            if isLast && anchoredEnd {
                let start = text.count - segment.count
                guard start >= position, GlobPattern.equal(text, at: start, segment) else { return false }
                return !(isFirst && anchoredStart) || start == 0
            }
            if isFirst && anchoredStart {
                guard GlobPattern.equal(text, at: 0, segment) else { return false }
                position = segment.count
                continue
            }
            guard let found = GlobPattern.find(segment, in: text, from: position) else { return false }
            position = found + segment.count
        }
        return true
    }

    private static func equal(_ text: UnsafeBufferPointer<UInt8>, at start: Int, _ segment: [UInt8]) -> Bool {
        guard start >= 0, start + segment.count <= text.count else { return false }
        for (offset, byte) in segment.enumerated() where text[start + offset] != byte { return false }
        return true
    }

    private static func find(_ needle: [UInt8], in text: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var index = start
        while index + needle.count <= text.count {
            if equal(text, at: index, needle) { return index }
            index += 1
        }
        return nil
    }
}
