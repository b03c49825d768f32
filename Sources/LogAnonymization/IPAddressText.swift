/// IPv4 and IPv6 addresses as they are written in logs: parsed from bytes, truncated to a prefix,
/// and written again.
///
/// Parsing accepts what `inet_pton` accepts (dotted quads; RFC 4291 text with at most one `::`
/// and an optional dotted-quad tail), and octets with leading zeros, read as decimal; the check
/// after writing (``EditCheck``, which uses `inet_pton` after dropping those zeros) agrees with
/// what was replaced.
enum IPAddressText {
    /// An IPv6 address: eight 16-bit groups.
    struct IPv6: Equatable {
        var groups: [UInt16]
        /// Where a dotted-quad tail begins in the parsed text (`::ffff:1.2.3.4`), if written so.
        var dottedTailStart: Int?

        /// `::ffff:a.b.c.d`: an IPv4 address on a dual-stack socket.
        var isIPv4Mapped: Bool { groups[0..<5].allSatisfy { $0 == 0 } && groups[5] == 0xFFFF }
        /// The last 32 bits, for mapped addresses.
        var lowIPv4: UInt32 { UInt32(groups[6]) << 16 | UInt32(groups[7]) }
        var isLoopback: Bool { groups[0..<7].allSatisfy { $0 == 0 } && groups[7] == 1 }
        var isUnspecified: Bool { groups.allSatisfy { $0 == 0 } }

        /// The address with every bit after `prefix` set to zero.
        func masked(_ prefix: Int) -> IPv6 {
            var out = groups
            for i in 0..<8 {
                let kept = min(max(prefix - i * 16, 0), 16)
                out[i] = kept == 0 ? 0 : out[i] & UInt16(truncatingIfNeeded: 0xFFFF << (16 - kept))
            }
            return IPv6(groups: out, dottedTailStart: nil)
        }

        /// RFC 5952 text: lower case, no leading zeros, the longest run of two or more zero
        /// groups (the first of equal runs) as `::`.
        var text: String {
            var bestStart = -1, bestLength = 0, i = 0
            while i < 8 {
                if groups[i] == 0 {
                    var j = i
                    while j < 8 && groups[j] == 0 { j += 1 }
                    if j - i > bestLength && j - i >= 2 { bestStart = i; bestLength = j - i }
                    i = j
                } else {
                    i += 1
                }
            }
            var out = ""
            i = 0
            while i < 8 {
                if i == bestStart {
                    out += "::"
                    i += bestLength
                    continue
                }
                if !out.isEmpty && !out.hasSuffix(":") { out += ":" }
                out += String(groups[i], radix: 16)
                i += 1
            }
            return out
        }
    }

    static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

    static func hexValue(_ b: UInt8) -> UInt16? {
        if b &- 0x30 < 10 { return UInt16(b - 0x30) }
        let lower = b | 0x20
        if lower &- 0x61 < 6 { return UInt16(lower - 0x61 + 10) }
        return nil
    }

    /// Parses a dotted quad starting at `start`; returns the address and the index after it.
    /// Octets are 1–3 digits, at most 255; leading zeros are read as decimal (`078` is 78), as
    /// logs that pad octets mean them, and unlike `inet_aton`'s octal.
    static func parseIPv4(_ p: UnsafeBufferPointer<UInt8>, from start: Int, limit: Int) -> (value: UInt32, end: Int)? {
        var i = start
        var value: UInt32 = 0
        for part in 0..<4 {
            if part > 0 {
                guard i < limit, p[i] == UInt8(ascii: ".") else { return nil }
                i += 1
            }
            let s = i
            var octet: UInt32 = 0
            while i < limit, isDigit(p[i]), i - s < 4 {
                octet = octet * 10 + UInt32(p[i] - 0x30)
                i += 1
            }
            let length = i - s
            guard length >= 1, length <= 3, octet <= 255 else { return nil }
            value = value << 8 | octet
        }
        return (value, i)
    }

    /// Parses exactly the bytes `start..<end` as an IPv6 address (no zone, no brackets).
    static func parseIPv6(_ p: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> IPv6? {
        guard end - start >= 2 else { return nil }
        var groups: [UInt16] = []
        groups.reserveCapacity(8)
        var gap: Int? = nil
        var tail: Int? = nil
        var i = start
        if p[i] == UInt8(ascii: ":") {
            guard p[i + 1] == UInt8(ascii: ":") else { return nil }
            gap = 0
            i += 2
        }
        while i < end {
            let groupStart = i
            var value: UInt16 = 0
            while i < end, i - groupStart < 5, let digit = hexValue(p[i]) {
                value = value &<< 4 | digit
                i += 1
            }
            if i < end && p[i] == UInt8(ascii: ".") {
                // A dotted-quad tail: the last 32 bits.
                guard groups.count <= 6, let (v4, v4End) = parseIPv4(p, from: groupStart, limit: end), v4End == end else {
                    return nil
                }
                groups.append(UInt16(v4 >> 16))
                groups.append(UInt16(v4 & 0xFFFF))
                tail = groupStart
                i = end
                break
            }
            let length = i - groupStart
            guard length >= 1, length <= 4, groups.count < 8 else { return nil }
            groups.append(value)
            if i == end { break }
            guard p[i] == UInt8(ascii: ":") else { return nil }
            i += 1
            if i < end && p[i] == UInt8(ascii: ":") {
                guard gap == nil else { return nil }
                gap = groups.count
                i += 1
            } else if i == end {
                return nil  // a trailing single colon
            }
        }
        if let gap {
            guard groups.count <= 7 else { return nil }
            groups.insert(contentsOf: repeatElement(0, count: 8 - groups.count), at: gap)
        } else if groups.count != 8 {
            return nil
        }
        return IPv6(groups: groups, dottedTailStart: tail)
    }

    /// `a.b.c.d`.
    static func text(ipv4 value: UInt32) -> String {
        "\(value >> 24).\(value >> 16 & 0xFF).\(value >> 8 & 0xFF).\(value & 0xFF)"
    }

    static func mask(ipv4 prefix: Int) -> UInt32 { prefix == 0 ? 0 : UInt32.max << (32 - prefix) }

    /// The text that replaces an IPv4 address, or nil when it stays as it is: loopback
    /// (127.0.0.0/8) and 0.0.0.0 name no one, and an address already truncated stays.
    static func replacement(ipv4 value: UInt32, options: AnonymizationOptions) -> String? {
        if value >> 24 == 127 || value == 0 { return nil }
        switch options.ipv4Style {
        case .zero:
            let masked = value & mask(ipv4: options.ipv4Prefix)
            return masked == value ? nil : text(ipv4: masked)
        case .mask:
            let kept = options.ipv4Prefix / 8
            if kept == 4 { return nil }
            let octets = [value >> 24, value >> 16 & 0xFF, value >> 8 & 0xFF, value & 0xFF]
            return (octets[0..<kept].map { String($0) } + Array(repeating: "XXX", count: 4 - kept)).joined(separator: ".")
        }
    }

    /// The text that replaces a whole IPv6 address (not its zone), or nil when it stays.
    /// Mapped IPv4 addresses follow the IPv4 rule.
    static func replacement(ipv6 address: IPv6, options: AnonymizationOptions) -> String? {
        if address.isLoopback || address.isUnspecified { return nil }
        if address.isIPv4Mapped {
            return replacement(ipv4: address.lowIPv4, options: options).map { "::ffff:" + $0 }
        }
        // 6to4 (2002::/16) carries the whole IPv4 address in bits 16–47: keep no more of it than
        // the IPv4 rule keeps.
        let prefix = address.groups[0] == 0x2002 ? min(options.ipv6Prefix, 16 + options.ipv4Prefix) : options.ipv6Prefix
        let masked = address.masked(prefix)
        return masked.groups == address.groups ? nil : masked.text
    }
}
