#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Finds what names a person in one log line — mail addresses, login names, IP addresses — and
/// says what replaces each; everything else stays byte for byte.
///
/// Works on the line's bytes, whatever the log format: Postfix and Dovecot syslog lines, Apache
/// and nginx access and error logs, anything else that is text; NUL bytes a crash left in a line
/// and bytes that are not UTF-8 are passed over, the text around them scanned.
///
/// What is replaced:
/// - mail addresses, also in `<…>`, percent-encoded (`anna%40example.org`), as domain
///   literals (`anna@[192.0.2.1]`) and on a host without a dot (`jack@localhost`), by the token; the null sender `from=<>` stays, and so do
///   Message-IDs (`message-id=<…>`, `msgid=<…>`), which name a message, not a person;
/// - login names in the fields that hold them, with or without a domain: Postfix
///   `sasl_username=`, `sasl_sender=`, Dovecot `user=<…>`, `orig_user=<…>`, `master_user=<…>`,
///   PAM's `user=` and `ruser=`,
///   Dovecot's `imap(anna)` / `auth: passwd-file(anna,…)` context, the ident and user fields
///   of the Apache/nginx common, combined and vhost_combined formats, and the login sshd names
///   (`Invalid user anna from`, `Failed password for anna from`, `authenticating user anna`),
///   and PAM's session lines (`session opened for user anna(uid=1000)`);
/// - IPv4 and IPv6 addresses, truncated to a prefix. Loopback and unspecified addresses stay.
///   `::ffff:1.2.3.4` is truncated as IPv4; zone ids (`fe80::1%eth0`) and ports stay.
///
/// What is not an IP address: versions (`1.2.3.4.5`, `Dovecot v2.3.19.1`, `Chrome/120.0.0.0`),
/// times (`10:15:30`), status codes (`5.7.1`), dotted names that merely start with four numbers
/// (`1.2.3.4.in-addr.arpa`). Octets with leading zeros (`078.046.198.129`) are an address: some
/// programs write them so. A 6to4 address (`2002:4e2e:c67b::/48`) holds a whole IPv4 address in
/// its second and third groups and is truncated as that IPv4 address would be; a Teredo address
/// (`2001:0::/32`) holds its client's address in the last 32 bits, which every prefix up to /96
/// removes. Host names that carry an address are truncated the same way: with dashes
/// (`host-78-46-198-123.static.example.net`) or as eight hex digits (`p4E2EC67B.dip0.t-ipconnect.de`),
/// and so is an address percent-encoded in a URL (`78%2E46%2E198%2E123`).
public struct LineAnonymizer: Sendable {
    public let options: AnonymizationOptions
    let token: [UInt8]

    public init(options: AnonymizationOptions) {
        self.options = options
        self.token = Array(options.addressToken.utf8)
    }

    /// Finds the edits for one line (without its line feed).
    public func scan(_ line: UnsafeBufferPointer<UInt8>, into result: inout LineEdits) {
        result.removeAll()
        guard !line.isEmpty else { return }
        // A NUL (a crash leaves runs of them in syslog files) is one more byte that is not part
        // of an address: the text around it is scanned like any other, since a line a crash cut
        // into still names the people in it.
        findAddresses(line, into: &result.tokenSpans)
        findLoginFields(line, into: &result.tokenSpans)
        findDovecotContexts(line, into: &result.tokenSpans)
        findAccessLogUsers(line, into: &result.tokenSpans)
        findSSHDUsers(line, into: &result.tokenSpans)
        findPAMSessionUsers(line, into: &result.tokenSpans)
        mergeTokenSpans(line, &result)
        findIPs(line, into: &result)
        findHostNameIPs(line, into: &result)
        findHexHostNameIPs(line, into: &result)
        findPercentEncodedIPs(line, into: &result)
        result.ipEdits.sort { $0.start < $1.start }
        // Both lists are sorted and do not overlap each other: merge them.
        if !result.ipEdits.isEmpty {
            if result.edits.isEmpty {
                swap(&result.edits, &result.ipEdits)
            } else {
                var merged: [LineEdits.Edit] = []
                merged.reserveCapacity(result.edits.count + result.ipEdits.count)
                var a = 0, b = 0
                while a < result.edits.count || b < result.ipEdits.count {
                    if b == result.ipEdits.count || (a < result.edits.count && result.edits[a].start < result.ipEdits[b].start) {
                        merged.append(result.edits[a])
                        a += 1
                    } else {
                        merged.append(result.ipEdits[b])
                        b += 1
                    }
                }
                result.edits = merged
            }
        }
    }

    /// The line with its edits applied, and the edits: for tests and single lines.
    public func anonymize(_ line: [UInt8]) -> (line: [UInt8], edits: LineEdits) {
        var edits = LineEdits()
        var out: [UInt8] = []
        line.withUnsafeBufferPointer { buffer in
            scan(buffer, into: &edits)
            edits.apply(to: buffer, appendingTo: &out)
        }
        return (out, edits)
    }

    /// The line with its edits applied.
    public func anonymize(_ line: String) -> String {
        String(decoding: anonymize(Array(line.utf8)).line, as: UTF8.self)
    }

    // MARK: - Token spans

    /// Sorts the address and login spans, joins overlapping ones, drops those that already are
    /// the token (a second run changes nothing), and records the token as their replacement.
    private func mergeTokenSpans(_ line: UnsafeBufferPointer<UInt8>, _ result: inout LineEdits) {
        guard !result.tokenSpans.isEmpty else { return }
        if result.tokenSpans.count > 1 { result.tokenSpans.sort { $0.start < $1.start } }
        var current: LineEdits.Edit? = nil
        func flush(_ span: LineEdits.Edit) {
            if span.end - span.start == token.count
                && token.withUnsafeBufferPointer({ Bytes.equal(UnsafeBufferPointer(rebasing: line[span.start..<span.end]), $0) })
            {
                return
            }
            var edit = span
            edit.replacementStart = result.replacementBytes.count
            result.replacementBytes.append(contentsOf: token)
            edit.replacementEnd = result.replacementBytes.count
            result.edits.append(edit)
        }
        for span in result.tokenSpans {
            if var open = current, span.start < open.end {
                open.end = max(open.end, span.end)
                if span.kind == .address { open.kind = .address }
                current = open
            } else {
                if let open = current { flush(open) }
                current = span
            }
        }
        if let open = current { flush(open) }
    }

    // MARK: - IP addresses

    /// Finds IPv4 and IPv6 addresses outside the token spans (``LineEdits/edits`` so far).
    private func findIPs(_ line: UnsafeBufferPointer<UInt8>, into result: inout LineEdits) {
        let p = line
        let n = p.count
        var i = 0
        var spanIndex = 0
        var limit = result.edits.isEmpty ? n : result.edits[0].start
        ByteClass.mayStartIP.withUnsafeBufferPointer { mayStart in
            while true {
                // Skip what cannot start an address, up to the next token span.
                while i < limit && mayStart[Int(p[i])] == 0 { i += 1 }
                if i >= limit {
                    guard spanIndex < result.edits.count else { return }
                    i = max(i, result.edits[spanIndex].end)
                    spanIndex += 1
                    limit = spanIndex < result.edits.count ? result.edits[spanIndex].start : n
                    continue
                }
                let b = p[i]
                let prev: UInt8 = i > 0 ? p[i - 1] : 0x20
                // Inside a word, a number or a dotted name: not the start of an address.
                if ByteClass.isAlnum(prev) || prev == UInt8(ascii: "_") || prev == UInt8(ascii: ".")
                    || (prev == UInt8(ascii: "/") && i >= 2 && ByteClass.isAlnum(p[i - 2]))  // Chrome/120.0.0.0
                {
                    // The rest of this word cannot start one either.
                    i += 1
                    if ByteClass.isAlnum(b) { while i < limit && ByteClass.isAlnum(p[i]) { i += 1 } }
                    continue
                }
                if ipv6MayStart(p, at: i), let found = scanIPv6(p, at: i, limit: limit) {
                    if let edit = found.edit { appendIPEdit(edit.start, edit.end, edit.text, &result) }
                    i = found.end
                    continue
                }
                if ByteClass.isDigit(b), let (value, end) = IPAddressText.parseIPv4(p, from: i, limit: limit),
                    ipv4EndsHere(p, end)
                {
                    appendIPv4Edit(value, i, end, &result)
                    i = end
                    continue
                }
                i += 1
            }
        }
    }

    /// An IPv4 address written with dashes inside a host name, as providers name dial-up and
    /// cloud hosts (`host-78-46-198-123.static.example.net`, `ip-10-1-2-3.ec2.internal`): the
    /// four numbers are truncated like the address, dashes kept. Only where a host name goes
    /// on after them (a dot and a letter), so dates and version strings stay.
    private func findHostNameIPs(_ line: UnsafeBufferPointer<UInt8>, into result: inout LineEdits) {
        let p = line
        var i = 0
        while i < p.count {
            guard ByteClass.isDigit(p[i]), i == 0 || !ByteClass.isAlnum(p[i - 1]) && p[i - 1] != UInt8(ascii: ".") else {
                i += 1
                continue
            }
            let (value, parts, j) = Self.octets(p, from: i) { k in k < p.count && p[k] == UInt8(ascii: "-") ? 1 : 0 }
            // Four numbers, then ".letter" or "-letter": a host name goes on.
            if parts == 4, j + 1 < p.count, p[j] == UInt8(ascii: ".") || p[j] == UInt8(ascii: "-"), ByteClass.isAlpha(p[j + 1]),
                !result.edits.contains(where: { $0.start < j && i < $0.end })
            {
                let before = result.ipEdits.count
                appendIPv4Edit(value, i, j, &result)
                if result.ipEdits.count > before {
                    // The same numbers, with dashes for dots.
                    let edit = result.ipEdits[result.ipEdits.count - 1]
                    for k in edit.replacementStart..<edit.replacementEnd where result.replacementBytes[k] == UInt8(ascii: ".") {
                        result.replacementBytes[k] = UInt8(ascii: "-")
                    }
                }
                i = j
                continue
            }
            i = max(j, i + 1)
        }
    }

    /// Host names whose first label ends in an IPv4 address as eight hex digits after at most
    /// four letters (`p4E2EC67B.dip0.t-ipconnect.de`, `dyn5B9A0C17.pool.example.net`), the way
    /// dial-up and cable pools name their customers: the digits are truncated like the address,
    /// in the same case. Only labels followed by at least two more labels of a host name.
    private func findHexHostNameIPs(_ p: UnsafeBufferPointer<UInt8>, into result: inout LineEdits) {
        var i = 0
        while i < p.count {
            guard ByteClass.isAlnum(p[i]), i == 0 || !(ByteClass.isAlnum(p[i - 1]) || p[i - 1] == UInt8(ascii: "-")
                || p[i - 1] == UInt8(ascii: "_") || p[i - 1] == UInt8(ascii: "."))
            else {
                i += 1
                continue
            }
            var end = i
            while end < p.count, ByteClass.isAlnum(p[end]) { end += 1 }
            defer { i = end + 1 }
            let length = end - i
            guard (8...12).contains(length), hostNameGoesOn(p, after: end) else { continue }
            let digits = end - 8
            guard (i..<digits).allSatisfy({ ByteClass.isAlpha(p[$0]) }) else { continue }
            var value: UInt32 = 0
            var letters = 0, numerals = 0, upper = false
            for k in digits..<end {
                guard let v = IPAddressText.hexValue(p[k]) else {
                    value = 0
                    letters = -1
                    break
                }
                value = value << 4 | UInt32(v)
                if ByteClass.isDigit(p[k]) { numerals += 1 } else { letters += 1 }
                if p[k] &- 0x41 < 26 { upper = true }
            }
            // A run of hex that is not all digits and not all letters, as an address is.
            guard letters > 0, numerals > 0, !result.edits.contains(where: { $0.start < end && digits < $0.end }) else { continue }
            let before = result.ipEdits.count
            appendIPv4Edit(value, digits, end, &result)
            guard result.ipEdits.count > before else { continue }
            // Written back as hex: the kept bits, and zeros (or X) for the rest.
            let edit = result.ipEdits.removeLast()
            let octets = String(decoding: result.replacementBytes[edit.replacementStart..<edit.replacementEnd], as: UTF8.self)
                .split(separator: ".")
            result.replacementBytes.removeLast(result.replacementBytes.count - edit.replacementStart)
            for octet in octets {
                let text = octet == "XXX" ? "XX" : String(Int(octet)!, radix: 16)
                let padded = String(repeating: "0", count: 2 - text.count) + text
                result.replacementBytes.append(contentsOf: Array((upper ? padded.uppercased() : padded).utf8))
            }
            result.ipEdits.append(.init(
                start: digits, end: end, kind: .ip, replacementStart: edit.replacementStart,
                replacementEnd: result.replacementBytes.count))
        }
    }

    /// Whether a host name goes on after `end`: `.label.label`, each starting with a letter or digit.
    private func hostNameGoesOn(_ p: UnsafeBufferPointer<UInt8>, after end: Int) -> Bool {
        var k = end
        for _ in 0..<2 {
            guard k + 1 < p.count, p[k] == UInt8(ascii: "."), ByteClass.isAlnum(p[k + 1]) else { return false }
            k += 1
            while k < p.count, ByteClass.isAlnum(p[k]) || p[k] == UInt8(ascii: "-") { k += 1 }
        }
        return true
    }

    /// An IPv4 address percent-encoded in a URL, its dots written `%2E` (or `%252E` when encoded
    /// twice): `ip=78%2E46%2E198%2E123`. Truncated like the address, the encoding kept.
    private func findPercentEncodedIPs(_ p: UnsafeBufferPointer<UInt8>, into result: inout LineEdits) {
        var i = 0
        while i < p.count {
            guard ByteClass.isDigit(p[i]), i == 0 || !ByteClass.isAlnum(p[i - 1]) || Self.endsEncodedByte(p, at: i) else {
                i += 1
                continue
            }
            let (value, parts, j) = Self.octets(p, from: i) { Self.encodedDot(p, at: $0) }
            defer { i = max(j, i + 1) }
            guard parts == 4, j == p.count || !ByteClass.isAlnum(p[j]) || p[j] == UInt8(ascii: "%"),
                !result.edits.contains(where: { $0.start < j && i < $0.end })
            else { continue }
            let before = result.ipEdits.count
            appendIPv4Edit(value, i, j, &result)
            guard result.ipEdits.count > before else { continue }
            // The dots of the replacement written the way the line writes its first one.
            var first = i
            while ByteClass.isDigit(p[first]) { first += 1 }
            let separator = Array(p[first..<(first + Self.encodedDot(p, at: first))])
            let edit = result.ipEdits.removeLast()
            let plain = Array(result.replacementBytes[edit.replacementStart..<edit.replacementEnd])
            result.replacementBytes.removeLast(result.replacementBytes.count - edit.replacementStart)
            for byte in plain {
                if byte == UInt8(ascii: ".") { result.replacementBytes.append(contentsOf: separator) } else { result.replacementBytes.append(byte) }
            }
            result.ipEdits.append(.init(
                start: i, end: j, kind: .ip, replacementStart: edit.replacementStart, replacementEnd: result.replacementBytes.count))
        }
    }

    /// Up to four decimal octets (one to three digits, at most 255) from `start`, separated by
    /// what `separator` finds at a position (its length, 0 for none): their value, how many
    /// were read, and where reading stopped.
    private static func octets(_ p: UnsafeBufferPointer<UInt8>, from start: Int, separator: (Int) -> Int)
        -> (value: UInt32, parts: Int, end: Int)
    {
        var j = start
        var value: UInt32 = 0
        var parts = 0
        while parts < 4 {
            let s = j
            var octet: UInt32 = 0
            while j < p.count, ByteClass.isDigit(p[j]), j - s < 4 {
                octet = octet * 10 + UInt32(p[j] - 0x30)
                j += 1
            }
            guard j - s >= 1, j - s <= 3, octet <= 255 else { break }
            value = value << 8 | octet
            parts += 1
            guard parts < 4 else { break }
            let length = separator(j)
            guard length > 0 else { break }
            j += length
        }
        return (value, parts, j)
    }

    /// The length of `%2E` or `%252E` (any case) at `at`, or 0.
    private static func encodedDot(_ p: UnsafeBufferPointer<UInt8>, at k: Int) -> Int {
        guard k + 2 < p.count, p[k] == UInt8(ascii: "%") else { return 0 }
        if p[k + 1] == UInt8(ascii: "2"), p[k + 2] | 0x20 == UInt8(ascii: "e") { return 3 }
        if k + 4 < p.count, p[k + 1] == UInt8(ascii: "2"), p[k + 2] == UInt8(ascii: "5"), p[k + 3] == UInt8(ascii: "2"),
            p[k + 4] | 0x20 == UInt8(ascii: "e")
        {
            return 5
        }
        return 0
    }

    /// Whether the two bytes before `at` close a percent-encoded byte (`%3D78…`): then the
    /// digits at `at` start a value although a hex digit stands before them.
    private static func endsEncodedByte(_ p: UnsafeBufferPointer<UInt8>, at k: Int) -> Bool {
        k >= 3 && p[k - 3] == UInt8(ascii: "%") && IPAddressText.hexValue(p[k - 2]) != nil && IPAddressText.hexValue(p[k - 1]) != nil
    }

    /// After a colon an IPv6 address may start only when the colon separates a word from it
    /// (`client:2001:db8::1`, Postfix's `[IPv6:2001:db8::1]`), not inside a run of groups.
    private func ipv6MayStart(_ p: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        guard i > 0, p[i - 1] == UInt8(ascii: ":") else { return true }
        if i >= 2 && (IPAddressText.hexValue(p[i - 2]) != nil || p[i - 2] == UInt8(ascii: ":")) {
            // `IPv6:` ends in a hex digit but is a tag.
            guard i >= 5 else { return false }
            return (p[i - 5] | 0x20) == UInt8(ascii: "i") && (p[i - 4] | 0x20) == UInt8(ascii: "p")
                && (p[i - 3] | 0x20) == UInt8(ascii: "v") && p[i - 2] == UInt8(ascii: "6")
        }
        return true
    }

    /// What follows an IPv4 address: not a letter, digit or `_`, and not a further dotted part
    /// (`1.2.3.4.5`, `1.2.3.4.example.net`); a full stop ending a sentence is fine.
    private func ipv4EndsHere(_ p: UnsafeBufferPointer<UInt8>, _ end: Int) -> Bool {
        guard end < p.count else { return true }
        let c = p[end]
        if ByteClass.isAlnum(c) || c == UInt8(ascii: "_") { return false }
        if c == UInt8(ascii: "."), end + 1 < p.count, ByteClass.isAlnum(p[end + 1]) || p[end + 1] == UInt8(ascii: "_") {
            return false
        }
        return true
    }

    /// An IPv6 address starting at `i`: where it (and its zone id) ends, and the edit if it
    /// changes. Nil when no address starts here.
    private func scanIPv6(_ p: UnsafeBufferPointer<UInt8>, at i: Int, limit: Int)
        -> (end: Int, edit: (start: Int, end: Int, text: String)?)?
    {
        var e = i
        var colons = 0
        while e < limit && e - i <= 45 {
            let c = p[e]
            if c == UInt8(ascii: ":") {
                colons += 1
            } else if IPAddressText.hexValue(c) == nil && c != UInt8(ascii: ".") {
                break
            }
            e += 1
        }
        guard colons >= 2, e - i <= 45 else { return nil }
        // The run may end in a full stop or a colon that belongs to the sentence.
        var end = e
        var parsed: IPAddressText.IPv6? = nil
        while end - i >= 2 {
            if let address = IPAddressText.parseIPv6(p, from: i, to: end) {
                parsed = address
                break
            }
            let last = p[end - 1]
            guard last == UInt8(ascii: ".") || (last == UInt8(ascii: ":") && p[end - 2] != UInt8(ascii: ":")) else { break }
            end -= 1
        }
        guard let address = parsed else { return nil }
        if end < p.count && (ByteClass.isAlnum(p[end]) || p[end] == UInt8(ascii: "_")) { return nil }
        // A zone id (`%eth0`) stays as it is.
        var consumed = end
        if consumed < limit && p[consumed] == UInt8(ascii: "%") {
            var z = consumed + 1
            while z < limit && (ByteClass.isAlnum(p[z]) || p[z] == UInt8(ascii: "_") || p[z] == UInt8(ascii: "-") || p[z] == UInt8(ascii: ".")) {
                z += 1
            }
            if z > consumed + 1 { consumed = z }
        }
        if address.isIPv4Mapped, let tail = address.dottedTailStart {
            // `::ffff:1.2.3.4`: only the IPv4 part changes, by the IPv4 rule.
            guard let text = IPAddressText.replacement(ipv4: address.lowIPv4, options: options) else { return (consumed, nil) }
            return (consumed, (tail, end, text))
        }
        guard let text = IPAddressText.replacement(ipv6: address, options: options) else { return (consumed, nil) }
        return (consumed, (i, end, text))
    }

    private func appendIPEdit(_ start: Int, _ end: Int, _ text: String, _ result: inout LineEdits) {
        let replacementStart = result.replacementBytes.count
        result.replacementBytes.append(contentsOf: text.utf8)
        result.ipEdits.append(.init(
            start: start, end: end, kind: .ip, replacementStart: replacementStart, replacementEnd: result.replacementBytes.count))
    }

    /// The IPv4 rule, written straight into the replacement bytes (this runs for most lines).
    private func appendIPv4Edit(_ value: UInt32, _ start: Int, _ end: Int, _ result: inout LineEdits) {
        if value >> 24 == 127 || value == 0 { return }
        let kept: Int
        let masked: UInt32
        switch options.ipv4Style {
        case .zero:
            masked = value & IPAddressText.mask(ipv4: options.ipv4Prefix)
            if masked == value { return }
            kept = 4
        case .mask:
            kept = options.ipv4Prefix / 8
            if kept == 4 { return }
            masked = value
        }
        let replacementStart = result.replacementBytes.count
        for octet in 0..<4 {
            if octet > 0 { result.replacementBytes.append(UInt8(ascii: ".")) }
            if octet >= kept {
                result.replacementBytes.append(contentsOf: [UInt8(ascii: "X"), UInt8(ascii: "X"), UInt8(ascii: "X")])
                continue
            }
            let v = masked >> (24 - 8 * octet) & 0xFF
            if v >= 100 { result.replacementBytes.append(UInt8(0x30 + v / 100)) }
            if v >= 10 { result.replacementBytes.append(UInt8(0x30 + v / 10 % 10)) }
            result.replacementBytes.append(UInt8(0x30 + v % 10))
        }
        result.ipEdits.append(.init(
            start: start, end: end, kind: .ip, replacementStart: replacementStart, replacementEnd: result.replacementBytes.count))
    }
}

/// Byte classes the scanners share.
enum ByteClass {
    /// 1 for the bytes an IP address can start with: hex digits and `:`.
    static let mayStartIP: [UInt8] = (0...255).map { b in
        let byte = UInt8(b)
        return IPAddressText.hexValue(byte) != nil || byte == UInt8(ascii: ":") ? 1 : 0
    }

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }
    @inline(__always) static func isAlpha(_ b: UInt8) -> Bool { (b | 0x20) &- 0x61 < 26 }
    @inline(__always) static func isAlnum(_ b: UInt8) -> Bool { isDigit(b) || isAlpha(b) }
    @inline(__always) static func isLower(_ b: UInt8) -> Bool { b &- 0x61 < 26 }
}
