import Foundation

/// The members of a stored event's payload that a backend keeps beside it as columns (id,
/// host, kind, time, and the category where the backend passes it) and in its subject index
/// (subjects): what ``ChainVerifier`` compares.
///
/// Read straight from the payload's bytes: the top-level object is walked once, every other
/// member skipped without being decoded. That is the canonical form privctl writes, but any
/// JSON object is read: whenever the walk meets something it does not read itself (an escaped
/// character in one of these values, a repeated member, anything that is not JSON), the payload
/// goes through `JSONDecoder`, whose verdict stands.
struct EventColumns: Decodable, Equatable {
    let id: String
    let host: String
    let kind: String
    let time: String
    /// The payload's `dataCategory` (nil when it has none).
    let dataCategory: String?
    let subjects: [String]

    /// The columns of `payload`, or nil when it is not a JSON object that has them all.
    static func read(payload: String) -> EventColumns? {
        var payload = payload
        if let quick = payload.withUTF8({ bytes -> EventColumns? in
            var walk = Walk(bytes: bytes)
            guard let found = walk.columns() else { return nil }
            func text(_ range: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self) }
            return EventColumns(
                id: text(found.id), host: text(found.host), kind: text(found.kind), time: text(found.time),
                dataCategory: found.category.map(text), subjects: found.subjects.map(text))
        }) {
            return quick
        }
        return try? JSONDecoder().decode(EventColumns.self, from: Data(payload.utf8))
    }

    /// Whether `payload`'s columns equal the row's and its subjects those of the subject index
    /// (as sets); nil when the payload cannot be read. A `category` given must equal the
    /// payload's `dataCategory` (empty when it has none). Compares bytes, without making
    /// strings, for payloads the walk reads.
    static func compare(
        payload: String, id: String, host: String, kind: String, time: String, category: String? = nil,
        indexed: IndexedSubjects?
    ) -> (columns: Bool, subjects: Bool)? {
        var unused = SubjectDigest()
        return compare(
            payload: payload, id: id, host: host, kind: kind, time: time, category: category, indexed: indexed,
            summingInto: &unused)
    }

    /// ``compare(payload:id:host:kind:time:category:indexed:)``; with `indexed` `.summed`, the
    /// payload's (id, subject) pairs go into `digest` instead of being compared.
    static func compare(
        payload: String, id: String, host: String, kind: String, time: String, category: String? = nil,
        indexed: IndexedSubjects?, summingInto digest: inout SubjectDigest
    ) -> (columns: Bool, subjects: Bool)? {
        var payload = payload
        var summed = SubjectDigest()
        let quick = payload.withUTF8 { bytes -> (columns: Bool, subjects: Bool)? in
            var walk = Walk(bytes: bytes)
            guard let found = walk.columns() else { return nil }
            func same(_ range: Range<Int>, _ text: String) -> Bool {
                var text = text
                return text.withUTF8 { text in
                    text.count == range.count
                        && (text.isEmpty || memcmp(text.baseAddress!, bytes.baseAddress! + range.lowerBound, text.count) == 0)
                }
            }
            let columns = same(found.id, id) && same(found.host, host) && same(found.kind, kind) && same(found.time, time)
                && category.map { category in found.category.map { same($0, category) } ?? category.isEmpty } ?? true
            guard let indexed else { return (columns, true) }
            if case .summed = indexed {
                let event = UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[found.id]))
                for subject in found.subjects {
                    summed.add(event: event, subject: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[subject])))
                }
                return (columns, true)
            }
            if case .summedUnder(let key) = indexed {
                withUnsafeBytes(of: key.littleEndian) { event in
                    for subject in found.subjects {
                        summed.add(event: event, subjectText: UnsafeBufferPointer(rebasing: bytes[subject]))
                    }
                }
                return (columns, true)
            }
            let mine = found.subjects.map { UnsafeBufferPointer(rebasing: bytes[$0]) }
            return (columns, indexed.equals(mine))
        }
        if let quick {
            digest.add(summed)
            return quick
        }
        guard let event = read(payload: payload) else { return nil }
        let columns = event.id == id && event.host == host && event.kind == kind && event.time == time
            && category.map { $0 == (event.dataCategory ?? "") } ?? true
        if case .summed = indexed {
            for subject in event.subjects { digest.add(event: event.id, subject: subject) }
            return (columns, true)
        }
        if case .summedUnder(let key) = indexed {
            withUnsafeBytes(of: key.littleEndian) { key in
                for var subject in event.subjects {
                    subject.withUTF8 { digest.add(event: key, subjectText: $0) }
                }
            }
            return (columns, true)
        }
        return (columns, indexed.map { Set(event.subjects) == $0.set } ?? true)
    }

    /// One pass over a payload's top-level object.
    private struct Walk {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        static let literals: [[UInt8]] = ["true", "false", "null"].map { Array($0.utf8) }
        static let columnKeys: [[UInt8]] = ["id", "host", "kind", "time", "dataCategory"].map { Array($0.utf8) }

        /// The position of `key` in ``columnKeys``, if it is one (by length first: most keys are not).
        private static func column(named key: UnsafeBufferPointer<UInt8>) -> Int? {
            switch key.count {
            case 2, 4, 12: return columnKeys.firstIndex { $0.count == key.count && key.elementsEqual($0) }
            default: return nil
            }
        }

        /// Where the columns' values are in the payload.
        struct Found {
            let id: Range<Int>, host: Range<Int>, kind: Range<Int>, time: Range<Int>
            /// Where `dataCategory`'s value is (nil: the payload has none).
            let category: Range<Int>?
            let subjects: [Range<Int>]
        }

        /// The columns, or nil to leave the payload to `JSONDecoder`.
        mutating func columns() -> Found? {
            var values: [Range<Int>?] = [nil, nil, nil, nil, nil]  // in the order of columnKeys
            var subjects: [Range<Int>]?
            skipSpace()
            guard next() == UInt8(ascii: "{") else { return nil }
            skipSpace()
            if peek() == UInt8(ascii: "}") { return nil }
            while true {
                skipSpace()
                guard let keyRange = plainString() else { return nil }
                let key = UnsafeBufferPointer(rebasing: bytes[keyRange])
                skipSpace()
                guard next() == UInt8(ascii: ":") else { return nil }
                skipSpace()
                if let column = Self.column(named: key) {
                    guard values[column] == nil, let value = plainString() else { return nil }
                    values[column] = value
                } else if key.elementsEqual("subjects".utf8) {
                    guard subjects == nil, let list = plainStrings() else { return nil }
                    subjects = list
                } else {
                    guard skipValue() else { return nil }
                }
                skipSpace()
                switch next() {
                case UInt8(ascii: ","): continue
                case UInt8(ascii: "}"):
                    skipSpace()
                    guard index == bytes.count, let id = values[0], let host = values[1], let kind = values[2],
                        let time = values[3], let subjects
                    else { return nil }
                    return Found(id: id, host: host, kind: kind, time: time, category: values[4], subjects: subjects)
                default: return nil
                }
            }
        }

        private func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

        private mutating func next() -> UInt8? {
            guard index < bytes.count else { return nil }
            defer { index += 1 }
            return bytes[index]
        }

        private mutating func skipSpace() {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 {
                index += 1
            }
        }

        /// Where a string without escapes is (nil for one with any, or for no string at all);
        /// its bytes must be valid UTF-8.
        private mutating func plainString() -> Range<Int>? {
            guard next() == UInt8(ascii: "\"") else { return nil }
            let start = index
            var ascii = true
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    defer { index += 1 }
                    return ascii || String(validating: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self) != nil
                        ? start..<index : nil
                }
                if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
                if byte >= 0x80 { ascii = false }
                index += 1
            }
            return nil
        }

        /// An array of strings without escapes.
        private mutating func plainStrings() -> [Range<Int>]? {
            guard next() == UInt8(ascii: "[") else { return nil }
            var list: [Range<Int>] = []
            skipSpace()
            if peek() == UInt8(ascii: "]") {
                index += 1
                return list
            }
            while true {
                skipSpace()
                guard let value = plainString() else { return nil }
                list.append(value)
                skipSpace()
                switch next() {
                case UInt8(ascii: ","): continue
                case UInt8(ascii: "]"): return list
                default: return nil
                }
            }
        }

        /// Skips one JSON value (string, number, literal, object or array, nested at most 64
        /// deep); false when it is not one.
        private mutating func skipValue(depth: Int = 0) -> Bool {
            guard depth < 64, let byte = peek() else { return false }
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                while let c = next() {
                    if c == UInt8(ascii: "\\") {
                        guard next() != nil else { return false }
                    } else if c == UInt8(ascii: "\"") {
                        return true
                    } else if c < 0x20 {
                        return false
                    }
                }
                return false
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let object = byte == UInt8(ascii: "{")
                let close = object ? UInt8(ascii: "}") : UInt8(ascii: "]")
                index += 1
                skipSpace()
                if peek() == close {
                    index += 1
                    return true
                }
                while true {
                    skipSpace()
                    if object {
                        guard peek() == UInt8(ascii: "\""), skipValue(depth: depth + 1) else { return false }
                        skipSpace()
                        guard next() == UInt8(ascii: ":") else { return false }
                        skipSpace()
                    }
                    guard skipValue(depth: depth + 1) else { return false }
                    skipSpace()
                    switch next() {
                    case UInt8(ascii: ","): continue
                    case close: return true
                    default: return false
                    }
                }
            default:
                for literal in Self.literals where index + literal.count <= bytes.count {
                    if bytes[index..<(index + literal.count)].elementsEqual(literal) {
                        index += literal.count
                        return true
                    }
                }
                // A number: its characters up to a delimiter.
                let start = index
                while let c = peek(),
                    (c >= 0x30 && c <= 0x39) || c == UInt8(ascii: "-") || c == UInt8(ascii: "+") || c == UInt8(ascii: ".")
                        || c == UInt8(ascii: "e") || c == UInt8(ascii: "E")
                {
                    index += 1
                }
                return index > start
            }
        }
    }
}
