#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The check after writing: each replaced span really was an address, login or IP address, and
/// its replacement is the token or the address truncated as the options say.
///
/// IP addresses are parsed again by the C library's `inet_pton`, not by ``IPAddressText``, so a
/// mistake in privctl's own parser cannot replace text that is not an address. Works on bytes
/// (it runs for every replacement of a file); text is made only to describe a problem.
enum EditCheck {
    /// Nil when the edit is right, else what is wrong with it.
    static func problem(
        original: UnsafeBufferPointer<UInt8>, replacement: UnsafeBufferPointer<UInt8>, kind: LineEdits.Edit.Kind,
        options: AnonymizationOptions, token: UnsafeBufferPointer<UInt8>
    ) -> String? {
        func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String { "\"" + String(decoding: bytes, as: UTF8.self) + "\"" }
        switch kind {
        case .address, .login:
            guard Bytes.equal(replacement, token) else { return "\(text(original)) was replaced by \(text(replacement)), not by the token" }
            guard !original.isEmpty, !original.contains(0x0A) else { return "an empty or multi-line span was replaced" }
            if kind == .address && !original.contains(UInt8(ascii: "@")) && Bytes.find(Array("%40".utf8), in: original) == nil
                && Bytes.find(Array("%2540".utf8), in: original) == nil
            {
                return "\(text(original)) was replaced as a mail address but has no @"
            }
            if kind == .login && (original.contains(UInt8(ascii: " ")) || original.contains(UInt8(ascii: "\t"))) {
                return "\(text(original)) was replaced as a login name but holds white space"
            }
            return nil
        case .ip:
            // 16 bytes each, on the stack: this runs for every IP address of a file.
            var addressStorage = (UInt64(0), UInt64(0)), writtenStorage = (UInt64(0), UInt64(0))
            return withUnsafeMutableBytes(of: &addressStorage) { address in
                withUnsafeMutableBytes(of: &writtenStorage) { written in
                    guard let family = pton(original, into: address, unmasking: false).family else {
                        return "\(text(original)) was replaced as an IP address but is not one"
                    }
                    let parsed = pton(replacement, into: written, unmasking: true)
                    guard parsed.family == family else {
                        return "\(text(original)) became \(text(replacement)), which is not an address of its kind"
                    }
                    let prefix: Int
                    let maskedOctetsAllowed: Int
                    if family == AF_INET {
                        prefix = options.ipv4Prefix
                        maskedOctetsAllowed = options.ipv4Style == .mask ? 4 - prefix / 8 : 0
                    } else if address[0..<10].allSatisfy({ $0 == 0 }) && address[10] == 0xFF && address[11] == 0xFF {
                        prefix = 96 + options.ipv4Prefix
                        maskedOctetsAllowed = options.ipv4Style == .mask ? 4 - options.ipv4Prefix / 8 : 0
                    } else if address[0] == 0x20 && address[1] == 0x02 {
                        // 6to4: the IPv4 address in bits 16–47 is truncated as IPv4.
                        prefix = min(options.ipv6Prefix, 16 + options.ipv4Prefix)
                        maskedOctetsAllowed = 0
                    } else {
                        prefix = options.ipv6Prefix
                        maskedOctetsAllowed = 0
                    }
                    if parsed.maskedOctets != 0 && parsed.maskedOctets != maskedOctetsAllowed {
                        return "\(text(original)) became \(text(replacement)), which masks the wrong octets"
                    }
                    for i in 0..<(family == AF_INET ? 4 : 16) {
                        let kept = min(max(prefix - i * 8, 0), 8)
                        let mask = kept == 0 ? 0 : UInt8(truncatingIfNeeded: 0xFF << (8 - kept))
                        guard written[i] == address[i] & mask else {
                            return "\(text(original)) became \(text(replacement)), not its /\(prefix) prefix"
                        }
                    }
                    return nil
                }
            }
        }
    }

    /// `inet_pton` for IPv4, then IPv6; with `unmasking`, each `XXX` is read as `0` and counted.
    /// Leading zeros of a dotted quad's octets (`078.046.…`, which `inet_pton` refuses) are
    /// dropped first: they are read as decimal, as ``IPAddressText`` reads them.
    private static func pton(_ bytes: UnsafeBufferPointer<UInt8>, into address: UnsafeMutableRawBufferPointer, unmasking: Bool)
        -> (family: Int32?, maskedOctets: Int)
    {
        guard bytes.count <= 60 else { return (nil, 0) }
        // An address in a URL (`78%2E46%2E198%2E123`) or a host name's eight hex digits
        // (`4E2EC67B`): read as the dotted quad they stand for.
        if let dotted = dottedQuad(bytes) {
            return dotted.withUnsafeBufferPointer { pton($0, into: address, unmasking: unmasking) }
        }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { text in
            var length = 0, masked = 0, i = 0
            // Dropping a zero before a digit at the start of an octet or group changes no value
            // (an IPv6 group's leading zeros mean nothing either).
            var octetStart = true
            // An address in a host name is written with dashes (`78-46-198-123`): read as dots.
            let dashed = !bytes.contains(UInt8(ascii: ".")) && !bytes.contains(UInt8(ascii: ":"))
            while i < bytes.count {
                if dashed, bytes[i] == UInt8(ascii: "-") {
                    text[length] = CChar(UInt8(ascii: "."))
                    length += 1
                    i += 1
                    octetStart = true
                    continue
                }
                if octetStart, bytes[i] == UInt8(ascii: "0"), i + 1 < bytes.count, bytes[i + 1] &- 0x30 < 10 {
                    i += 1  // a leading zero
                    continue
                }
                octetStart = bytes[i] == UInt8(ascii: ".") || bytes[i] == UInt8(ascii: ":")
                if unmasking && i + 2 < bytes.count && bytes[i] == UInt8(ascii: "X") && bytes[i + 1] == UInt8(ascii: "X")
                    && bytes[i + 2] == UInt8(ascii: "X")
                {
                    text[length] = CChar(UInt8(ascii: "0"))
                    masked += 1
                    i += 3
                } else {
                    text[length] = CChar(bitPattern: bytes[i])
                    i += 1
                }
                length += 1
            }
            text[length] = 0
            if inet_pton(AF_INET, text.baseAddress, address.baseAddress) == 1 { return (AF_INET, masked) }
            if inet_pton(AF_INET6, text.baseAddress, address.baseAddress) == 1 { return (AF_INET6, masked) }
            return (nil, masked)
        }
    }
}

extension EditCheck {
    /// The dotted quad a percent-encoded address or eight hex digits (`XX` for a masked octet)
    /// stand for, or nil for anything else.
    fileprivate static func dottedQuad(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        if bytes.count == 8, !bytes.contains(UInt8(ascii: ".")) {
            var text: [UInt8] = []
            for pair in stride(from: 0, to: 8, by: 2) {
                if pair > 0 { text.append(UInt8(ascii: ".")) }
                if bytes[pair] == UInt8(ascii: "X") && bytes[pair + 1] == UInt8(ascii: "X") {
                    text += Array("XXX".utf8)
                    continue
                }
                guard let high = IPAddressText.hexValue(bytes[pair]), let low = IPAddressText.hexValue(bytes[pair + 1]) else { return nil }
                text += Array(String(Int(high) << 4 | Int(low)).utf8)
            }
            return text
        }
        guard bytes.contains(UInt8(ascii: "%")) else { return nil }
        var text: [UInt8] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "%") {
                let rest = Array(bytes[(i + 1)...]).map { $0 | 0x20 }
                if rest.starts(with: Array("2e".utf8)) {
                    text.append(UInt8(ascii: "."))
                    i += 3
                    continue
                }
                if rest.starts(with: Array("252e".utf8)) {
                    text.append(UInt8(ascii: "."))
                    i += 5
                    continue
                }
                return nil
            }
            text.append(bytes[i])
            i += 1
        }
        return text
    }
}

/// Byte comparisons through the C library.
enum Bytes {
    @inline(__always) static func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        a.count == b.count && (a.isEmpty || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0)
    }

    /// Where `needle` starts in `haystack`, if it does.
    static func find(_ needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>) -> Int? {
        // memchr for the first byte, memcmp for the rest (glibc's memmem is not in its module).
        guard !needle.isEmpty, haystack.count >= needle.count, let base = haystack.baseAddress else { return nil }
        return needle.withUnsafeBytes { n -> Int? in
            let last = haystack.count - needle.count
            var from = 0
            while from <= last, let hit = memchr(base + from, Int32(needle[0]), last - from + 1) {
                let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                if memcmp(base + at, n.baseAddress!, n.count) == 0 { return at }
                from = at + 1
            }
            return nil
        }
    }
}
