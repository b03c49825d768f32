/// The header fields of a message or MIME part, located in the message bytes.
///
/// Fields keep their raw bytes; nothing is unfolded or decoded until a caller asks, so a
/// 93-line `Received:` trace costs one scan and no strings. Lookups by name compare bytes: a
/// field whose name has another length is passed over after one comparison.
public struct HeaderBlock: Sendable {
    /// The fields in order of appearance.
    public var fields: [HeaderField]
    /// The range of the whole header block in the message bytes, blank separator line excluded.
    public var range: Range<Int>

    /// Creates a header block from fields already located in the message bytes.
    public init(fields: [HeaderField], range: Range<Int>) {
        self.fields = fields
        self.range = range
    }

    /// The first field with this name (case-insensitive), or nil.
    public func first(_ name: String) -> HeaderField? {
        firstIndex(name, from: 0).map { fields[$0] }
    }

    /// Every field with this name (case-insensitive), in order.
    public func all(_ name: String) -> [HeaderField] {
        var result: [HeaderField] = []
        var next = 0
        while let i = firstIndex(name, from: next) {
            result.append(fields[i])
            next = i + 1
        }
        return result
    }

    /// Whether a field of this name is present.
    public func contains(_ name: String) -> Bool { firstIndex(name, from: 0) != nil }

    /// The index of the first field at or after `start` with this name (case-insensitive).
    func firstIndex(_ name: String, from start: Int) -> Int? {
        var name = name
        return name.withUTF8 { wanted -> Int? in
            if wanted.contains(where: { $0 >= 0x80 }) {
                // Field names are ASCII; a non-ASCII name is compared the way Unicode lower-cases it.
                let lowered = String(decoding: wanted, as: UTF8.self).lowercased()
                return fields[min(start, fields.count)...].firstIndex { ASCII.equalsIgnoringCase($0.nameBytes, lowered) }
            }
            var i = start
            while i < fields.count {
                if fields[i].nameBytes.count == wanted.count,
                    fields[i].nameBytes.withUnsafeBufferPointer({ ASCII.equalsIgnoringCase($0, wanted) })
                {
                    return i
                }
                i += 1
            }
            return nil
        }
    }
}
