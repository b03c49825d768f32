/// How the scan index stores a row's key and item compactly (schema v10).
///
/// A key is stored as the number of its start in `scan_name` (``ScanNames``), `:`, and the
/// rest: `maildir:/srv/vmail/anna/Maildir:1794128400.M1P1.mx` as `3:Maildir:1794128400.M1P1.mx`.
/// The start ends at the key's last `/` before its first `/copy`, so that a copy's key (its
/// message's key followed by `/copy…`, see `MessageIdentity.copy` in PrivctlKit) is split where
/// its message's key is: the stored copies of a message are exactly the stored keys that start
/// with the stored form of its key followed by `/copy`, one range of the key index.
///
/// A Maildir item repeats the key's unique name (`cur/1794128400.M1P1.mx:2,S`); it is stored
/// as `\u{1}c:2,S`, and any other item as it is (`\u{1}=` before one that starts with
/// `\u{1}` itself).
enum ScanKey {
    /// The key's start (shared by many keys) and its rest.
    static func split(_ key: String) -> (start: Substring, rest: Substring) {
        let utf8 = key.utf8
        let end = firstCopyMarker(in: key)
        var cut = utf8.startIndex
        var index = utf8.startIndex
        while index < end {
            if utf8[index] == UInt8(ascii: "/") { cut = utf8.index(after: index) }
            index = utf8.index(after: index)
        }
        return (key[..<cut], key[cut...])
    }

    /// The stored form of `key`, its start numbered by `number` (nil: no number, so no row
    /// can have the key).
    static func stored(_ key: String, numberingStart number: (String) throws -> Int64?) rethrows -> String? {
        let (start, rest) = split(key)
        return try number(String(start)).map { "\($0):" + rest }
    }

    /// The stored form of `key`, its start numbered by `number` (giving a number to any text).
    static func stored(_ key: String, numberingStart number: (String) throws -> Int64) rethrows -> String {
        let (start, rest) = split(key)
        return "\(try number(String(start))):" + rest
    }

    /// The number of the start and the rest of a stored key; nil when it is not one (a row
    /// damaged by hand).
    static func parse(_ stored: String) -> (start: Int64, rest: Substring)? {
        guard let colon = stored.utf8.firstIndex(of: UInt8(ascii: ":")), let number = Int64(stored[..<colon]), number >= 0
        else { return nil }
        return (number, stored[stored.utf8.index(after: colon)...])
    }

    /// The stored form of `item`, the item of the row keyed `key`.
    static func storedItem(_ item: String, key: String) -> String {
        let unique = uniqueName(in: key)
        let bytes = item.utf8
        if !unique.isEmpty, bytes.count >= 4 + unique.utf8.count {
            let folder = bytes.prefix(4)
            let tag: String? = folder.elementsEqual("new/".utf8) ? "n" : folder.elementsEqual("cur/".utf8) ? "c" : nil
            let name = item.utf8.dropFirst(4)
            if let tag, name.starts(with: unique.utf8) {
                return "\u{1}" + tag + String(Substring(item.utf8[name.index(name.startIndex, offsetBy: unique.utf8.count)...]))
            }
        }
        return item.utf8.first == 1 ? "\u{1}=" + item : item
    }

    /// The item ``storedItem(_:key:)`` stored for the row keyed `key`.
    static func item(stored: String, key: String) -> String {
        let bytes = stored.utf8
        guard bytes.first == 1, bytes.count >= 2 else { return stored }
        let rest = String(Substring(bytes.dropFirst(2)))
        switch bytes[bytes.index(after: bytes.startIndex)] {
        case UInt8(ascii: "n"): return "new/" + uniqueName(in: key) + rest
        case UInt8(ascii: "c"): return "cur/" + uniqueName(in: key) + rest
        case UInt8(ascii: "="): return rest
        default: return stored
        }
    }

    /// What a Maildir file's name repeats of its key: the part after the last `:` before the
    /// first `/copy`.
    static func uniqueName(in key: String) -> Substring {
        let end = firstCopyMarker(in: key)
        let utf8 = key.utf8
        guard let colon = utf8[..<end].lastIndex(of: UInt8(ascii: ":")) else { return "" }
        return key[utf8.index(after: colon)..<end]
    }

    /// Where the key's first `/copy` starts (its end when it has none).
    private static func firstCopyMarker(in key: String) -> String.Index {
        let utf8 = key.utf8
        let marker = Array("/copy".utf8)
        var index = utf8.startIndex
        while let slash = utf8[index...].firstIndex(of: UInt8(ascii: "/")) {
            if utf8[slash...].starts(with: marker) { return slash }
            index = utf8.index(after: slash)
        }
        return utf8.endIndex
    }
}
