import MailParsing
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Finding mail addresses and login names: the spans the token replaces.
extension LineAnonymizer {
    /// Fields whose value is a login name (with or without a domain).
    static let loginKeys: [[UInt8]] = ["user", "ruser", "sasl_username", "sasl_sender", "orig_user", "master_user"].map {
        Array($0.utf8)
    }

    /// Dovecot services and passdb/userdb drivers that name the user in parentheses:
    /// `imap(anna)<1234><sess>:`, `auth: passwd-file(anna,192.0.2.7,<sess>):`, `lmtp(1234, anna):`.
    static let dovecotContexts: Set<[UInt8]> = Set([
        "imap", "pop3", "lmtp", "lda", "submission", "managesieve", "sieve", "doveadm", "indexer-worker",
        "imap-hibernate", "quota-status", "pam", "passwd", "passwd-file", "shadow", "sql", "ldap", "lua",
        "checkpassword", "static", "bsdauth", "oauth2", "dict",
    ].map { Array($0.utf8) })

    /// File name endings that follow `@2x` in image names (`logo@2x.png`): never a top-level domain.
    static let fileExtensions: Set<[UInt8]> = Set([
        "png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "ico", "bmp", "tif", "tiff", "css", "js", "mjs", "map",
        "json", "woff", "woff2", "ttf", "otf", "eot", "html", "htm", "php", "txt", "xml",
    ].map { Array($0.utf8) })

    /// The local-part bytes of ``AddressGrammar`` that stand in log lines: every `atext` byte
    /// but `& / ? |`, which in a log are URL and shell syntax around an address.
    @inline(__always) static func isLocalPartByte(_ b: UInt8) -> Bool {
        AddressGrammar.isLocalPartByte(b) && b != UInt8(ascii: "&") && b != UInt8(ascii: "/") && b != UInt8(ascii: "?")
            && b != UInt8(ascii: "|")
    }

    @inline(__always) static func isLabelByte(_ b: UInt8) -> Bool { ByteClass.isAlnum(b) || b == UInt8(ascii: "-") || b >= 0x80 }

    // MARK: - Mail addresses

    /// Every `local@domain`, `local%40domain` and (encoded twice, as redirects write it)
    /// `local%2540domain` in the line.
    func findAddresses(_ p: UnsafeBufferPointer<UInt8>, into spans: inout [LineEdits.Edit]) {
        Self.positions(of: UInt8(ascii: "@"), in: p) { at in
            if let span = address(p, at: at, atLength: 1) { spans.append(span) }
        }
        Self.positions(of: UInt8(ascii: "%"), in: p) { at in
            if at + 2 < p.count, p[at + 1] == UInt8(ascii: "4"), p[at + 2] == UInt8(ascii: "0"),
                let span = address(p, at: at, atLength: 3)
            {
                spans.append(span)
            } else if at + 4 < p.count, p[at + 1] == UInt8(ascii: "2"), p[at + 2] == UInt8(ascii: "5"), p[at + 3] == UInt8(ascii: "4"),
                p[at + 4] == UInt8(ascii: "0"), let span = address(p, at: at, atLength: 5)
            {
                spans.append(span)
            }
        }
    }

    /// Whether the three bytes before `end` are a percent-encoded `=`, `/`, `?`, `&` or `:`
    /// (`%3D`, `%2F`, …): URL syntax around an encoded address, not part of it.
    static func endsEncodedSeparator(_ p: UnsafeBufferPointer<UInt8>, at end: Int) -> Bool {
        guard end >= 3, p[end - 3] == UInt8(ascii: "%"), let high = IPAddressText.hexValue(p[end - 2]),
            let low = IPAddressText.hexValue(p[end - 1])
        else { return false }
        return [0x3D, 0x2F, 0x3F, 0x26, 0x3A].contains(high << 4 | low)
    }

    /// Calls `body` with the position of every `byte` in `p`, in order (found with `memchr`).
    @inline(__always) static func positions(of byte: UInt8, in p: UnsafeBufferPointer<UInt8>, _ body: (Int) -> Void) {
        guard let base = p.baseAddress else { return }
        var from = 0
        while from < p.count, let hit = memchr(base + from, Int32(byte), p.count - from) {
            let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            body(at)
            from = at + 1
        }
    }

    /// The address around the at-sign at `at` (`@`, `%40` when `atLength` is 3, `%2540` when 5), or nil.
    private func address(_ p: UnsafeBufferPointer<UInt8>, at: Int, atLength: Int) -> LineEdits.Edit? {
        // The local part, backwards from the at-sign.
        var start = at
        if at > 0 && p[at - 1] == UInt8(ascii: "\"") && atLength == 1 {
            // A quoted local part: "anna muster"@example.org.
            var q = at - 2
            while q >= 0 && at - q < 130 && p[q] != UInt8(ascii: "\"") { q -= 1 }
            guard q >= 0, p[q] == UInt8(ascii: "\""), q < at - 2 else { return nil }
            start = q
        } else {
            // Percent-encoded addresses stand in URLs, where `=` separates a parameter's name.
            while start > 0 && at - start < 256 && Self.isLocalPartByte(p[start - 1])
                && !(atLength > 1 && p[start - 1] == UInt8(ascii: "="))
                && !(atLength > 1 && Self.endsEncodedSeparator(p, at: start))
            {
                start -= 1
            }
            if atLength > 1 {
                // Percent-encoded text before the address (`%3Canna%40…`) is not part of it.
                while start + 2 < at, p[start] == UInt8(ascii: "%"), IPAddressText.hexValue(p[start + 1]) != nil,
                    IPAddressText.hexValue(p[start + 2]) != nil
                {
                    start += 3
                }
            }
            // Quotes, dots and braces in front belong to the text around it.
            while start < at && !(ByteClass.isAlnum(p[start]) || p[start] >= 0x80 || p[start] == UInt8(ascii: "_")) {
                start += 1
            }
            // A field name in front: `sasl_username=anna@…`, `?email=anna%40…`.
            var k = start
            while k < at && (ByteClass.isLower(p[k]) || p[k] == UInt8(ascii: "_")) { k += 1 }
            if k - start >= 2 && k < at && p[k] == UInt8(ascii: "=") { start = k + 1 }
            guard start < at, ByteClass.isAlnum(p[start]) || p[start] >= 0x80 || p[start] == UInt8(ascii: "_") else { return nil }
        }
        // Message-IDs look like addresses but name a message.
        if start >= 1 && p[start - 1] == UInt8(ascii: "<") && (hasSuffix(p, start - 1, "message-id=") || hasSuffix(p, start - 1, "msgid=")) {
            return nil
        }
        // The domain.
        let domainStart = at + atLength
        guard domainStart < p.count else { return nil }
        if p[domainStart] == UInt8(ascii: "[") {
            // A domain literal: anna@[192.0.2.1], anna@[IPv6:2001:db8::1].
            var e = domainStart + 1
            while e < p.count && e - domainStart < 64 && p[e] != UInt8(ascii: "]") { e += 1 }
            guard e < p.count, p[e] == UInt8(ascii: "]") else { return nil }
            var literalStart = domainStart + 1
            if e - literalStart > 5 && (p[literalStart] | 0x20) == UInt8(ascii: "i") && p[literalStart + 4] == UInt8(ascii: ":") {
                literalStart += 5
            }
            let isIP = IPAddressText.parseIPv4(p, from: literalStart, limit: e).map { $0.end == e } ?? false
                || IPAddressText.parseIPv6(p, from: literalStart, to: e) != nil
            return isIP ? .init(start: start, end: e + 1, kind: .address, replacementStart: 0, replacementEnd: 0) : nil
        }
        var e = domainStart
        var labels = 0
        var lastLabelStart = domainStart
        while e < p.count {
            let labelStart = e
            while e < p.count && Self.isLabelByte(p[e]) { e += 1 }
            guard e > labelStart else { break }
            labels += 1
            lastLabelStart = labelStart
            // Another label follows only after a dot followed by a label byte.
            guard e + 1 < p.count, p[e] == UInt8(ascii: "."), Self.isLabelByte(p[e + 1]) else { break }
            e += 1
        }
        // A host without a dot (`jack@localhost`, `root@mx1`) is a mailbox on that host, when
        // it stands as one: a plain local part, a host name that starts with a letter (not
        // `logo@2x`), and nothing after it that makes it a JSON key (`"@version":`), a CSS rule
        // (`}@media`), an image (`icon@3x.png`) or a digest (`nginx@sha256:…`).
        if labels == 1 {
            guard e - domainStart >= 2, ByteClass.isAlpha(p[domainStart]),
                p[start..<at].allSatisfy({ ByteClass.isAlnum($0) || $0 >= 0x80 || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_")
                    || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") })
            else { return nil }
            if e < p.count {
                let c = p[e]
                let sentenceEnd = c == UInt8(ascii: ".") && (e + 1 == p.count || p[e + 1] == UInt8(ascii: " "))
                guard sentenceEnd || c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: ">")
                    || c == UInt8(ascii: ",") || c == UInt8(ascii: ";") || c == UInt8(ascii: ")") || c == UInt8(ascii: "\r")
                else { return nil }
            }
            return .init(start: start, end: e, kind: .address, replacementStart: 0, replacementEnd: 0)
        }
        // The top-level domain: letters (or punycode, or non-ASCII), not a file extension.
        let tld = UnsafeBufferPointer(rebasing: p[lastLabelStart..<e])
        guard tld.count >= 2 else { return nil }
        let isPunycode = tld.count > 4 && tld[0] | 0x20 == UInt8(ascii: "x") && tld[1] | 0x20 == UInt8(ascii: "n")
            && tld[2] == UInt8(ascii: "-") && tld[3] == UInt8(ascii: "-")
        guard isPunycode || tld.allSatisfy({ ByteClass.isAlpha($0) || $0 >= 0x80 }) else { return nil }
        if Self.fileExtensions.contains(tld.map { $0 | 0x20 }) { return nil }
        return .init(start: start, end: e, kind: .address, replacementStart: 0, replacementEnd: 0)
    }

    /// Whether the bytes before `end` are `suffix` (ASCII, case-insensitive).
    private func hasSuffix(_ p: UnsafeBufferPointer<UInt8>, _ end: Int, _ suffix: StaticString) -> Bool {
        let count = suffix.utf8CodeUnitCount
        guard end >= count else { return false }
        let s = suffix.utf8Start
        for k in 0..<count where p[end - count + k] | 0x20 != s[k] | 0x20 { return false }
        return true
    }

    // MARK: - Login fields

    /// `user=<anna>`, `sasl_username=anna`, … : the value, when it is not empty or `-`.
    func findLoginFields(_ p: UnsafeBufferPointer<UInt8>, into spans: inout [LineEdits.Edit]) {
        Self.positions(of: UInt8(ascii: "="), in: p) { eq in
            var k = eq
            while k > 0 && (ByteClass.isLower(p[k - 1]) || p[k - 1] == UInt8(ascii: "_")) { k -= 1 }
            guard eq - k >= 4, k == 0 || Self.startsField(p[k - 1]) else { return }
            let key = UnsafeBufferPointer(rebasing: p[k..<eq])
            guard Self.loginKeys.contains(where: { $0.elementsEqual(key) }) else { return }
            var start = eq + 1
            var end = start
            if start < p.count && p[start] == UInt8(ascii: "<") {
                start += 1
                end = start
                while end < p.count && p[end] != UInt8(ascii: ">") { end += 1 }
                guard end < p.count else { return }
            } else {
                while end < p.count && !Self.endsFieldValue(p[end]) { end += 1 }
            }
            guard end > start, !(end - start == 1 && p[start] == UInt8(ascii: "-")) else { return }
            spans.append(loginSpan(p, start, end))
        }
    }

    @inline(__always) static func startsField(_ b: UInt8) -> Bool {
        b == UInt8(ascii: " ") || b == UInt8(ascii: ",") || b == UInt8(ascii: ";") || b == UInt8(ascii: "(")
            || b == UInt8(ascii: "\t") || b == UInt8(ascii: "[")
    }

    @inline(__always) static func endsFieldValue(_ b: UInt8) -> Bool {
        b == UInt8(ascii: " ") || b == UInt8(ascii: ",") || b == UInt8(ascii: ";") || b == UInt8(ascii: ")")
            || b == UInt8(ascii: "\t") || b == UInt8(ascii: "\r")
    }

    /// A login span: an address when it holds an at-sign.
    private func loginSpan(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> LineEdits.Edit {
        let hasAt = p[start..<end].contains(UInt8(ascii: "@"))
        return .init(start: start, end: end, kind: hasAt ? .address : .login, replacementStart: 0, replacementEnd: 0)
    }

    // MARK: - Dovecot's log context

    /// `imap(anna)<…>`, `passwd-file(anna,192.0.2.7,<…>)`, `lmtp(1234, anna)`: the user.
    func findDovecotContexts(_ p: UnsafeBufferPointer<UInt8>, into spans: inout [LineEdits.Edit]) {
        Self.positions(of: UInt8(ascii: "("), in: p) { open in
            var k = open
            while k > 0 && (ByteClass.isLower(p[k - 1]) || ByteClass.isDigit(p[k - 1]) || p[k - 1] == UInt8(ascii: "-")) { k -= 1 }
            guard open - k >= 3, k == 0 || p[k - 1] == UInt8(ascii: " ") else { return }
            guard Self.dovecotContexts.contains(Array(p[k..<open])) else { return }
            var close = open + 1
            while close < p.count && close - open < 512 && p[close] != UInt8(ascii: ")") { close += 1 }
            guard close < p.count, p[close] == UInt8(ascii: ")") else { return }
            // The first field, or the second when the first is a process id.
            var fieldStart = open + 1
            var fieldEnd = fieldStart
            while fieldEnd < close && p[fieldEnd] != UInt8(ascii: ",") { fieldEnd += 1 }
            if fieldEnd < close && p[fieldStart..<fieldEnd].allSatisfy(ByteClass.isDigit) {
                fieldStart = fieldEnd + 1
                fieldEnd = fieldStart
                while fieldEnd < close && p[fieldEnd] != UInt8(ascii: ",") { fieldEnd += 1 }
            }
            while fieldStart < fieldEnd && p[fieldStart] == UInt8(ascii: " ") { fieldStart += 1 }
            while fieldEnd > fieldStart && p[fieldEnd - 1] == UInt8(ascii: " ") { fieldEnd -= 1 }
            guard fieldEnd > fieldStart else { return }
            let field = p[fieldStart..<fieldEnd]
            if field.allSatisfy(ByteClass.isDigit) || field.first == UInt8(ascii: "<")
                || (field.count == 1 && (field.first == UInt8(ascii: "?") || field.first == UInt8(ascii: "-")))
            {
                return
            }
            spans.append(loginSpan(p, fieldStart, fieldEnd))
        }
    }

    // MARK: - Web access logs

    /// The ident and user fields of common, combined and vhost_combined lines:
    /// `198.51.100.7 - anna [20/Nov/2026:10:15:30 +0100] "GET / HTTP/1.1" …`.
    func findAccessLogUsers(_ p: UnsafeBufferPointer<UInt8>, into spans: inout [LineEdits.Edit]) {
        // The fields before the time stamp, separated by single spaces.
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 6) { fieldStarts in
            fieldStarts[0] = 0
            var fields = 1
            var i = 0
            while i < p.count {
                let c = p[i]
                if c == UInt8(ascii: "\"") || c == UInt8(ascii: "\t") { return }
                if c == UInt8(ascii: "[") {
                    guard i == fieldStarts[fields - 1], fields == 4 || fields == 5,
                        i + 3 < p.count, ByteClass.isDigit(p[i + 1]), ByteClass.isDigit(p[i + 2]), p[i + 3] == UInt8(ascii: "/")
                    else { return }
                    // Common/combined: host ident user; vhost_combined: vhost:port host ident user.
                    for field in (fields - 3)..<(fields - 1) {
                        let start = fieldStarts[field], end = fieldStarts[field + 1] - 1
                        guard end > start, !(end - start == 1 && p[start] == UInt8(ascii: "-")) else { continue }
                        spans.append(loginSpan(p, start, end))
                    }
                    return
                }
                if c == UInt8(ascii: " ") {
                    guard i > fieldStarts[fields - 1], fields < 6 else { return }
                    fieldStarts[fields] = i + 1
                    fields += 1
                }
                i += 1
            }
        }
    }

    // MARK: - sshd

    /// What precedes the login name in sshd's lines, lower-cased.
    static let sshdMarkers: [[UInt8]] = [
        "invalid user ", "authenticating user ", "password for ", "publickey for ", "keyboard-interactive/pam for ",
        "hostbased for ", "none for ", "illegal user ",
    ].map { Array($0.utf8) }

    /// sshd names the login a client asked for, valid or not: `Invalid user anna from …`,
    /// `Failed password for invalid user anna from …`, `Accepted publickey for anna from …`,
    /// `Connection closed by authenticating user anna …`. Only in lines that mention sshd.
    func findSSHDUsers(_ p: UnsafeBufferPointer<UInt8>, into spans: inout [LineEdits.Edit]) {
        guard Bytes.find(Array("sshd".utf8), in: p) != nil else { return }
        findNames(after: Self.sshdMarkers, in: p, endingAt: [], into: &spans)
    }

    // MARK: - PAM sessions

    /// What precedes the login name in PAM's session lines, lower-cased.
    static let pamSessionMarkers: [[UInt8]] = ["session opened for user ", "session closed for user "].map { Array($0.utf8) }

    /// pam_unix names the user whose session opens or closes, in any program's log (cron, su,
    /// sudo, sshd, dovecot): `session opened for user anna(uid=1000) by (uid=0)`,
    /// `session closed for user anna`.
    func findPAMSessionUsers(_ p: UnsafeBufferPointer<UInt8>, into spans: inout [LineEdits.Edit]) {
        guard Bytes.find(Array("session ".utf8), in: p) != nil else { return }
        findNames(after: Self.pamSessionMarkers, in: p, endingAt: [UInt8(ascii: "(")], into: &spans)
    }

    /// The login names that follow one of `markers` (lower-case, matched at a word start in the
    /// lower-cased line), each up to white space or one of `terminators`. "invalid" and
    /// "illegal" are words before the name ("password for invalid user anna"), not names.
    private func findNames(
        after markers: [[UInt8]], in p: UnsafeBufferPointer<UInt8>, endingAt terminators: [UInt8],
        into spans: inout [LineEdits.Edit]
    ) {
        let lower = p.map { $0 &- 0x41 < 26 ? $0 | 0x20 : $0 }
        lower.withUnsafeBufferPointer { l in
            for marker in markers {
                var from = 0
                while from < l.count, let hit = Bytes.find(marker, in: UnsafeBufferPointer(rebasing: l[from...])) {
                    let start = from + hit + marker.count
                    from = start
                    let markerStart = start - marker.count
                    guard markerStart == 0 || !ByteClass.isAlnum(l[markerStart - 1]) else { continue }
                    var end = start
                    while end < p.count, p[end] != UInt8(ascii: " "), p[end] != UInt8(ascii: "\t"), !terminators.contains(p[end]) {
                        end += 1
                    }
                    let name = UnsafeBufferPointer(rebasing: l[start..<end])
                    if end == start || name.elementsEqual(Array("invalid".utf8)) || name.elementsEqual(Array("illegal".utf8)) { continue }
                    spans.append(loginSpan(p, start, end))
                }
            }
        }
    }
}
