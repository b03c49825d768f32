import Foundation

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
        var contiguous = key
        // (On the UTF-8 bytes through a pointer: a first run splits a key per message.)
        let cut = contiguous.withUTF8 { utf8 -> Int in
            var index = firstCopyMarker(in: utf8)
            while index > 0 {
                index -= 1
                if utf8[index] == UInt8(ascii: "/") { return index + 1 }
            }
            return 0
        }
        let at = key.utf8.index(key.utf8.startIndex, offsetBy: cut)
        return (key[..<at], key[at...])
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
        var item = item, key = key
        let shortened = key.withUTF8 { key in
            item.withUTF8 { item -> String? in
                let unique = uniqueName(in: key)
                guard !unique.isEmpty, item.count >= 4 + unique.count else { return nil }
                let tag: UInt8
                switch (item[0], item[1], item[2], item[3]) {
                case (UInt8(ascii: "n"), UInt8(ascii: "e"), UInt8(ascii: "w"), UInt8(ascii: "/")): tag = UInt8(ascii: "n")
                case (UInt8(ascii: "c"), UInt8(ascii: "u"), UInt8(ascii: "r"), UInt8(ascii: "/")): tag = UInt8(ascii: "c")
                default: return nil
                }
                guard memcmp(item.baseAddress! + 4, key.baseAddress! + unique.lowerBound, unique.count) == 0 else { return nil }
                let rest = UnsafeBufferPointer(rebasing: item[(4 + unique.count)...])
                return String(unsafeUninitializedCapacity: 2 + rest.count) { out in
                    out[0] = 1
                    out[1] = tag
                    _ = UnsafeMutableBufferPointer(rebasing: out[2...]).initialize(from: rest)
                    return 2 + rest.count
                }
            }
        }
        if let shortened { return shortened }
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
        var contiguous = key
        let range = contiguous.withUTF8 { uniqueName(in: $0) }
        let utf8 = key.utf8
        return key[utf8.index(utf8.startIndex, offsetBy: range.lowerBound)..<utf8.index(utf8.startIndex, offsetBy: range.upperBound)]
    }

    /// ``uniqueName(in:)-(String)`` as a range of the key's UTF-8 bytes (empty when it has none).
    private static func uniqueName(in key: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        let end = firstCopyMarker(in: key)
        var index = end
        while index > 0 {
            index -= 1
            if key[index] == UInt8(ascii: ":") { return (index + 1)..<end }
        }
        return 0..<0
    }

    /// Where the key's first `/copy` starts (its end when it has none), in its UTF-8 bytes.
    private static func firstCopyMarker(in key: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = key.baseAddress else { return 0 }
        var index = 0
        while index < key.count, let hit = memchr(base + index, Int32(UInt8(ascii: "/")), key.count - index) {
            let slash = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if key.count - slash >= 5, memcmp(base + slash + 1, "copy", 4) == 0 { return slash }
            index = slash + 1
        }
        return key.count
    }
}
