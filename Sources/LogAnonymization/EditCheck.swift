#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The check after writing: each replaced span really was an address, login or IP address, and
/// its replacement is the token or the address truncated as the options say.
///
/// IP addresses are parsed again by the C library's `inet_pton`, not by ``IPAddressText``, so a
/// mistake in privctl's own parser cannot replace text that is not an address.
enum EditCheck {
    /// Nil when the edit is right, else what is wrong with it.
    static func problem(
        original: UnsafeBufferPointer<UInt8>, replacement: ArraySlice<UInt8>, kind: LineEdits.Edit.Kind,
        options: AnonymizationOptions
    ) -> String? {
        let before = String(decoding: original, as: UTF8.self)
        let after = String(decoding: replacement, as: UTF8.self)
        switch kind {
        case .address, .login:
            guard after == options.addressToken else { return "\"\(before)\" was replaced by \"\(after)\", not by the token" }
            if before.contains("\n") || before.isEmpty { return "an empty or multi-line span was replaced" }
            if kind == .address && !before.contains("@") && !before.contains("%40") {
                return "\"\(before)\" was replaced as a mail address but has no @"
            }
            if kind == .login && before.contains(where: { $0 == " " || $0 == "\t" }) {
                return "\"\(before)\" was replaced as a login name but holds white space"
            }
            return nil
        case .ip:
            let masked = after.replacingOccurrences(of: "XXX", with: "0")
            let maskedOctets = (after.count - masked.count) / 2
            if let v4 = ipv4(before) {
                let prefix = options.ipv4Prefix
                if maskedOctets > 0 && (options.ipv4Style != .mask || maskedOctets != 4 - prefix / 8) {
                    return "\"\(before)\" became \"\(after)\", which masks the wrong octets"
                }
                guard let written = ipv4(masked), written == v4 & IPAddressText.mask(ipv4: prefix) else {
                    return "\"\(before)\" became \"\(after)\", not its /\(prefix) prefix"
                }
                return nil
            }
            if let v6 = ipv6(before) {
                let mapped = v6[0..<10].allSatisfy { $0 == 0 } && v6[10] == 0xFF && v6[11] == 0xFF
                let prefix = mapped ? 96 + options.ipv4Prefix : options.ipv6Prefix
                if maskedOctets > 0 && !(mapped && options.ipv4Style == .mask && maskedOctets == 4 - options.ipv4Prefix / 8) {
                    return "\"\(before)\" became \"\(after)\", which masks the wrong part"
                }
                guard let written = ipv6(masked), written == masking(v6, prefix) else {
                    return "\"\(before)\" became \"\(after)\", not its /\(prefix) prefix"
                }
                return nil
            }
            return "\"\(before)\" was replaced as an IP address but is not one"
        }
    }

    private static func ipv4(_ text: String) -> UInt32? {
        var address = in_addr()
        guard inet_pton(AF_INET, text, &address) == 1 else { return nil }
        return UInt32(bigEndian: address.s_addr)
    }

    private static func ipv6(_ text: String) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: 16)
        let ok = bytes.withUnsafeMutableBytes { inet_pton(AF_INET6, text, $0.baseAddress) }
        return ok == 1 ? bytes : nil
    }

    private static func masking(_ bytes: [UInt8], _ prefix: Int) -> [UInt8] {
        bytes.enumerated().map { i, byte in
            let kept = min(max(prefix - i * 8, 0), 8)
            return kept == 0 ? 0 : byte & UInt8(truncatingIfNeeded: 0xFF << (8 - kept))
        }
    }
}
