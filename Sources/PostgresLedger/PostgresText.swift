import PrivacyEvents

/// PostgreSQL's text format for the arrays privctl sends and reads (`{"a","b"}`), the one
/// format of every parameter and result value (libpq's text mode): a batch of events travels as
/// a few array parameters that `unnest` turns back into rows, one statement whatever its size.
enum PostgresText {
    /// A `text[]` literal: every element double-quoted, `"` and `\` backslash-escaped, so no
    /// element can end early or be read as NULL. Built as UTF-8 bytes (a batch's payloads run to
    /// hundreds of kilobytes): ASCII bytes never occur inside a multi-byte character, so
    /// escaping bytewise is exact.
    static func array(_ values: [String]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.reduce(2) { $0 + $1.utf8.count + 3 })
        bytes.append(UInt8(ascii: "{"))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(UInt8(ascii: "\""))
            for byte in value.utf8 {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { bytes.append(UInt8(ascii: "\\")) }
                bytes.append(byte)
            }
            bytes.append(UInt8(ascii: "\""))
        }
        bytes.append(UInt8(ascii: "}"))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// An `int8[]` literal.
    static func array(_ values: [Int64]) -> String {
        "{" + values.map(String.init).joined(separator: ",") + "}"
    }

    /// The elements of a one-dimensional `text[]` as the server prints it: quoted elements with
    /// backslash escapes, unquoted ones as they are. NULL elements are refused (privctl's arrays
    /// have none). Works on bytes, so a combining character after a quote cannot hide it.
    static func array(parsing text: String) throws -> [String] {
        let bytes = Array(text.utf8)
        func malformed() -> LedgerError { LedgerError("the ledger's answer has a malformed array: \(text)") }
        guard bytes.count >= 2, bytes.first == UInt8(ascii: "{"), bytes.last == UInt8(ascii: "}") else { throw malformed() }
        var elements: [String] = []
        var index = 1
        let end = bytes.count - 1
        guard index < end else { return [] }
        while true {
            var element: [UInt8] = []
            if bytes[index] == UInt8(ascii: "\"") {
                index += 1
                while true {
                    guard index < end else { throw malformed() }
                    let byte = bytes[index]
                    index += 1
                    if byte == UInt8(ascii: "\"") { break }
                    if byte == UInt8(ascii: "\\") {
                        guard index < end else { throw malformed() }
                        element.append(bytes[index])
                        index += 1
                    } else {
                        element.append(byte)
                    }
                }
            } else {
                while index < end, bytes[index] != UInt8(ascii: ",") {
                    element.append(bytes[index])
                    index += 1
                }
                if element.isEmpty || String(decoding: element, as: UTF8.self).uppercased() == "NULL" { throw malformed() }
            }
            elements.append(String(decoding: element, as: UTF8.self))
            if index == end { return elements }
            guard bytes[index] == UInt8(ascii: ",") else { throw malformed() }
            index += 1
        }
    }
}
