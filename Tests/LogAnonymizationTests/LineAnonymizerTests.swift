import Testing

@testable import LogAnonymization

/// Real log lines in, anonymized lines out: everything but addresses, logins and IP addresses
/// stays byte for byte.
@Suite struct LineAnonymizerTests {
    let anonymizer = LineAnonymizer(options: AnonymizationOptions())

    static let postfix: [(String, String)] = [
        (
            "Nov 20 10:15:30 mx1 postfix/smtpd[12345]: connect from mail-wm1-f54.google.com[209.85.128.54]",
            "Nov 20 10:15:30 mx1 postfix/smtpd[12345]: connect from mail-wm1-f54.google.com[209.85.128.0]"
        ),
        (
            "Nov 20 10:15:31 mx1 postfix/smtpd[12345]: 4XJ2Kp1ZzBz9sWx: client=unknown[78.46.198.123], sasl_method=PLAIN, sasl_username=anna@example.org",
            "Nov 20 10:15:31 mx1 postfix/smtpd[12345]: 4XJ2Kp1ZzBz9sWx: client=unknown[78.46.198.0], sasl_method=PLAIN, sasl_username=[address]"
        ),
        (
            "Nov 20 10:15:31 mx1 postfix/smtpd[12345]: 4XJ2Kp1ZzBz9sWx: client=unknown[2001:db8:1234:5678::42], sasl_method=LOGIN, sasl_username=anna",
            "Nov 20 10:15:31 mx1 postfix/smtpd[12345]: 4XJ2Kp1ZzBz9sWx: client=unknown[2001:db8:1234::], sasl_method=LOGIN, sasl_username=[address]"
        ),
        (
            "Nov 20 10:15:32 mx1 postfix/cleanup[12346]: 4XJ2Kp1ZzBz9sWx: message-id=<20261120101532.4XJ2Kp1ZzBz9sWx@mx1.example.org>",
            "Nov 20 10:15:32 mx1 postfix/cleanup[12346]: 4XJ2Kp1ZzBz9sWx: message-id=<20261120101532.4XJ2Kp1ZzBz9sWx@mx1.example.org>"
        ),
        (
            "Nov 20 10:15:32 mx1 postfix/qmgr[999]: 4XJ2Kp1ZzBz9sWx: from=<anna.muster@example.org>, size=2345, nrcpt=2 (queue active)",
            "Nov 20 10:15:32 mx1 postfix/qmgr[999]: 4XJ2Kp1ZzBz9sWx: from=<[address]>, size=2345, nrcpt=2 (queue active)"
        ),
        (
            "Nov 20 10:15:33 mx1 postfix/qmgr[999]: 4XJ2Kp1ZzBz9sWx: from=<>, size=5120, nrcpt=1 (queue active)",
            "Nov 20 10:15:33 mx1 postfix/qmgr[999]: 4XJ2Kp1ZzBz9sWx: from=<>, size=5120, nrcpt=1 (queue active)"
        ),
        (
            "Nov 20 10:15:34 mx1 postfix/smtp[12347]: 4XJ2Kp1ZzBz9sWx: to=<bob+news@beispiel-gmbh.de>, orig_to=<bob@beispiel-gmbh.de>, relay=mx.beispiel-gmbh.de[2a01:4f8:c17:b8f::2]:25, delay=0.92, delays=0.1/0.02/0.3/0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 4XJ2L01abc)",
            "Nov 20 10:15:34 mx1 postfix/smtp[12347]: 4XJ2Kp1ZzBz9sWx: to=<[address]>, orig_to=<[address]>, relay=mx.beispiel-gmbh.de[2a01:4f8:c17::]:25, delay=0.92, delays=0.1/0.02/0.3/0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 4XJ2L01abc)"
        ),
        (
            "Nov 20 10:15:35 mx1 postfix/smtpd[12348]: NOQUEUE: reject: RCPT from unknown[185.220.101.4]: 554 5.7.1 <info@example.org>: Relay access denied; from=<spam@bad.example> to=<info@example.org> proto=ESMTP helo=<[185.220.101.4]>",
            "Nov 20 10:15:35 mx1 postfix/smtpd[12348]: NOQUEUE: reject: RCPT from unknown[185.220.101.0]: 554 5.7.1 <[address]>: Relay access denied; from=<[address]> to=<[address]> proto=ESMTP helo=<[185.220.101.0]>"
        ),
        (
            "Nov 20 10:15:36 mx1 postfix/smtpd[12349]: connect from unknown[IPv6:2001:db8:aa:bb::1]",
            "Nov 20 10:15:36 mx1 postfix/smtpd[12349]: connect from unknown[IPv6:2001:db8:aa::]"
        ),
        (
            "Nov 20 10:15:37 mx1 postfix/smtpd[12350]: warning: unknown[::ffff:198.51.100.23]: SASL LOGIN authentication failed: UGFzc3dvcmQ6",
            "Nov 20 10:15:37 mx1 postfix/smtpd[12350]: warning: unknown[::ffff:198.51.100.0]: SASL LOGIN authentication failed: UGFzc3dvcmQ6"
        ),
        (
            "Nov 20 10:15:38 mx1 postfix/smtpd[12351]: disconnect from localhost[127.0.0.1] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5",
            "Nov 20 10:15:38 mx1 postfix/smtpd[12351]: disconnect from localhost[127.0.0.1] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5"
        ),
        (
            "Nov 20 10:15:39 mx1 postfix/local[12352]: 4XJ2M: to=<SRS0=AbCd=XY=example.org=anna@forward.example.net>, relay=local, status=bounced",
            "Nov 20 10:15:39 mx1 postfix/local[12352]: 4XJ2M: to=<[address]>, relay=local, status=bounced"
        ),
    ]

    static let dovecot: [(String, String)] = [
        (
            "Nov 20 10:16:00 mx1 dovecot: imap-login: Login: user=<anna@example.org>, method=PLAIN, rip=78.46.198.123, lip=10.0.0.5, mpid=4242, TLS, session=<B0z6lLEI1s5OLsZ7>",
            "Nov 20 10:16:00 mx1 dovecot: imap-login: Login: user=<[address]>, method=PLAIN, rip=78.46.198.0, lip=10.0.0.0, mpid=4242, TLS, session=<B0z6lLEI1s5OLsZ7>"
        ),
        (
            "Nov 20 10:16:01 mx1 dovecot: imap-login: Disconnected (auth failed, 1 attempts in 2 secs): user=<anna>, method=PLAIN, rip=2a02:8108:1234:5600:d4e1:aaaa:bbbb:cccc, lip=2a01:4f8:c17:b8f::2, TLS, session=<x>",
            "Nov 20 10:16:01 mx1 dovecot: imap-login: Disconnected (auth failed, 1 attempts in 2 secs): user=<[address]>, method=PLAIN, rip=2a02:8108:1234::, lip=2a01:4f8:c17::, TLS, session=<x>"
        ),
        (
            "Nov 20 10:16:02 mx1 dovecot: imap(anna@example.org)<4242><B0z6lLEI1s5OLsZ7>: Logged out in=120 out=4521 deleted=0 expunged=0 trashed=0 hdr_count=0 hdr_bytes=0 body_count=0 body_bytes=0",
            "Nov 20 10:16:02 mx1 dovecot: imap([address])<4242><B0z6lLEI1s5OLsZ7>: Logged out in=120 out=4521 deleted=0 expunged=0 trashed=0 hdr_count=0 hdr_bytes=0 body_count=0 body_bytes=0"
        ),
        (
            "Nov 20 10:16:03 mx1 dovecot: auth: passwd-file(bernd,203.0.113.9,<Xy12>): unknown user",
            "Nov 20 10:16:03 mx1 dovecot: auth: passwd-file([address],203.0.113.0,<Xy12>): unknown user"
        ),
        (
            "Nov 20 10:16:04 mx1 dovecot: auth-worker(1234): pam(bernd,203.0.113.9,<Xy12>): pam_authenticate() failed: Authentication failure",
            "Nov 20 10:16:04 mx1 dovecot: auth-worker(1234): pam([address],203.0.113.0,<Xy12>): pam_authenticate() failed: Authentication failure"
        ),
        (
            "Nov 20 10:16:05 mx1 dovecot: lmtp(anna)<5555><abcd>: msgid=<CAF=abc123@mail.gmail.com>: saved mail to INBOX",
            "Nov 20 10:16:05 mx1 dovecot: lmtp([address])<5555><abcd>: msgid=<CAF=abc123@mail.gmail.com>: saved mail to INBOX"
        ),
        (
            "Nov 20 10:16:06 mx1 dovecot: master: Dovecot v2.3.19.1 (9b53102964) starting up for imap, pop3, lmtp (core dumps disabled)",
            "Nov 20 10:16:06 mx1 dovecot: master: Dovecot v2.3.19.1 (9b53102964) starting up for imap, pop3, lmtp (core dumps disabled)"
        ),
        (
            "2026-11-20T10:16:07.123456+01:00 mx1 dovecot: pop3-login: Login: user=<carla>, method=PLAIN, rip=fe80::1c2d:3eff:fe4f:5a6b%eth0, lip=fe80::1, session=<z>",
            "2026-11-20T10:16:07.123456+01:00 mx1 dovecot: pop3-login: Login: user=<[address]>, method=PLAIN, rip=fe80::%eth0, lip=fe80::, session=<z>"
        ),
        (
            "Nov 20 10:16:08 mx1 auth: pam_unix(dovecot:auth): authentication failure; logname= uid=0 euid=0 tty=dovecot ruser=anna rhost=78.46.198.123  user=anna",
            "Nov 20 10:16:08 mx1 auth: pam_unix(dovecot:auth): authentication failure; logname= uid=0 euid=0 tty=dovecot ruser=[address] rhost=78.46.198.0  user=[address]"
        ),
    ]

    static let web: [(String, String)] = [
        (
            #"78.46.198.123 - - [20/Nov/2026:10:15:30 +0100] "GET /index.html HTTP/1.1" 200 5120 "https://example.org/" "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36""#,
            #"78.46.198.0 - - [20/Nov/2026:10:15:30 +0100] "GET /index.html HTTP/1.1" 200 5120 "https://example.org/" "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36""#
        ),
        (
            #"2001:db8:abcd:12::7 - anna [20/Nov/2026:10:15:31 +0100] "GET /webmail/?_task=mail&_to=bob%40example.net HTTP/2.0" 200 812 "-" "curl/8.5.0""#,
            #"2001:db8:abcd:: - [address] [20/Nov/2026:10:15:31 +0100] "GET /webmail/?_task=mail&_to=[address] HTTP/2.0" 200 812 "-" "curl/8.5.0""#
        ),
        (
            #"mail.example.org:443 198.51.100.77 - carla@example.org [20/Nov/2026:10:15:32 +0100] "POST /login HTTP/1.1" 302 0 "-" "-""#,
            #"mail.example.org:443 198.51.100.0 - [address] [20/Nov/2026:10:15:32 +0100] "POST /login HTTP/1.1" 302 0 "-" "-""#
        ),
        (
            #"203.0.113.5 - - [20/Nov/2026:10:15:33 +0100] "GET /static/logo@2x.png HTTP/1.1" 200 9000 "http://[2001:db8::1]:8080/start?unsubscribe=dora%40example.com&x=1" "Version/17.4.1.1""#,
            #"203.0.113.0 - - [20/Nov/2026:10:15:33 +0100] "GET /static/logo@2x.png HTTP/1.1" 200 9000 "http://[2001:db8::]:8080/start?unsubscribe=[address]&x=1" "Version/17.4.1.1""#
        ),
        (
            "2026/11/20 10:15:34 [error] 1234#1234: *5 open() \"/var/www/x\" failed (2: No such file or directory), client: 203.0.113.44, server: example.org, request: \"GET /x HTTP/1.1\", host: \"example.org\"",
            "2026/11/20 10:15:34 [error] 1234#1234: *5 open() \"/var/www/x\" failed (2: No such file or directory), client: 203.0.113.0, server: example.org, request: \"GET /x HTTP/1.1\", host: \"example.org\""
        ),
        (
            "[Fri Nov 20 10:15:35.123456 2026] [core:error] [pid 2345:tid 140] [client 192.0.2.77:51234] AH00126: Invalid URI in request",
            "[Fri Nov 20 10:15:35.123456 2026] [core:error] [pid 2345:tid 140] [client 192.0.2.0:51234] AH00126: Invalid URI in request"
        ),
    ]

    static let lookAlikes: [String] = [
        "version 1.2.3.4.5 released",
        "OpenSSL/3.0.11.1 and nginx/1.24.0.1",
        "time 10:15:30 and 23:59:59.999",
        "MAC 00:1a:2b:3c:4d:5e seen",
        "status 5.7.1 and 2.0.0 and 4.4.2",
        "dated 2026.11.20 and 20.11.2026",
        "a name 1.2.3.4.in-addr.arpa resolves",
        "dovecot: imap-login: user=<>, rip=, lip=",
        "npm /@babel/core@7.22.0 fetched",
        "icons /img/icon@3x.webp and /@vite/client",
        "std::vector<int> and key::value",
        "build a1.2.3.4 and 1.2.3.4a and _1.2.3.4",
    ]

    @Test(arguments: postfix + dovecot + web)
    func replacesOnlyAddressesLoginsAndIPs(_ input: String, _ expected: String) {
        #expect(anonymizer.anonymize(input) == expected)
        // A second run changes nothing.
        #expect(anonymizer.anonymize(expected) == expected)
    }

    @Test(arguments: lookAlikes)
    func leavesLookAlikesAlone(_ line: String) {
        #expect(anonymizer.anonymize(line) == line)
    }

    @Test func masksOctetsWhenAsked() {
        let masking = LineAnonymizer(options: AnonymizationOptions(ipv4Style: .mask))
        #expect(masking.anonymize("rip=78.46.198.123, lip=10.0.0.0") == "rip=78.46.198.XXX, lip=10.0.0.XXX")
        #expect(masking.anonymize("[::ffff:198.51.100.23]") == "[::ffff:198.51.100.XXX]")
        #expect(masking.anonymize("rip=78.46.198.XXX") == "rip=78.46.198.XXX")
        let sixteen = LineAnonymizer(options: AnonymizationOptions(ipv4Prefix: 16, ipv4Style: .mask))
        #expect(sixteen.anonymize("from 78.46.198.123:25") == "from 78.46.XXX.XXX:25")
    }

    @Test func prefixesAreConfigurable() {
        let narrow = LineAnonymizer(options: AnonymizationOptions(ipv4Prefix: 20, ipv6Prefix: 64))
        #expect(narrow.anonymize("rip=78.46.198.123") == "rip=78.46.192.0")
        #expect(narrow.anonymize("rip=2a02:8108:1234:5600:d4e1:aaaa:bbbb:cccc") == "rip=2a02:8108:1234:5600::")
        let none = LineAnonymizer(options: AnonymizationOptions(ipv4Prefix: 32, ipv6Prefix: 128))
        #expect(none.anonymize("rip=78.46.198.123 user=<anna>") == "rip=78.46.198.123 user=<[address]>")
        let zero = LineAnonymizer(options: AnonymizationOptions(ipv4Prefix: 0, ipv6Prefix: 0))
        #expect(zero.anonymize("rip=78.46.198.123 lip=2001:db8::1") == "rip=0.0.0.0 lip=::")
    }

    @Test func tokenIsConfigurable() {
        let custom = LineAnonymizer(options: AnonymizationOptions(addressToken: "REDACTED"))
        #expect(custom.anonymize("from=<anna@example.org> user=<anna>") == "from=<REDACTED> user=<REDACTED>")
        #expect(custom.anonymize("from=<REDACTED> user=<REDACTED>") == "from=<REDACTED> user=<REDACTED>")
    }

    @Test func addressesInOtherShapes() {
        #expect(anonymizer.anonymize(#"to=<"anna muster"@example.org>"#) == "to=<[address]>")
        #expect(anonymizer.anonymize("rcpt anna@[192.0.2.1] ok") == "rcpt [address] ok")
        #expect(anonymizer.anonymize("rcpt anna@[IPv6:2001:db8::1] ok") == "rcpt [address] ok")
        #expect(anonymizer.anonymize("Mail an jürgen@müller.de.") == "Mail an [address].")
        #expect(anonymizer.anonymize("list bounces+anna=example.org@lists.example.net") == "list [address]")
        #expect(anonymizer.anonymize("'anna@example.org', {bob@example.org}") == "'[address]', {[address]}")
        #expect(anonymizer.anonymize("q=%3Canna%40example.org%3E") == "q=%3C[address]%3E")
        #expect(anonymizer.anonymize("punycode anna@xn--mller-kva.xn--de-xyz") == "punycode [address]")
    }

    @Test func textAroundBytesThatAreNotTextIsStillAnonymized() {
        // NULs a crash left: the rest of the line still names someone (issue 15).
        var line = Array("\0\0\0Nov 20 10:15:30 mx1 postfix/smtpd[1]: connect from unknown[78.46.198.123]".utf8)
        let (out, edits) = anonymizer.anonymize(line)
        #expect(out == Array("\0\0\0Nov 20 10:15:30 mx1 postfix/smtpd[1]: connect from unknown[78.46.198.0]".utf8))
        #expect(!edits.unparsed)
        line = Array("Nov 20 10:15:30 \u{1B}[31mred\u{1B}[0m rip=78.46.198.123 über".utf8)
        #expect(String(decoding: anonymizer.anonymize(line).line, as: UTF8.self) == "Nov 20 10:15:30 \u{1B}[31mred\u{1B}[0m rip=78.46.198.0 über")
        // Latin-1 bytes are fine: only the address changes.
        line = [0x47, 0x72, 0xFC, 0xDF, 0x65, 0x20] + Array("from 78.46.198.123\r".utf8)
        #expect(anonymizer.anonymize(line).line == [0x47, 0x72, 0xFC, 0xDF, 0x65, 0x20] + Array("from 78.46.198.0\r".utf8))
    }

    @Test func editsSayWhatWasReplaced() {
        let (_, edits) = anonymizer.anonymize(Array(Self.postfix[1].0.utf8))
        #expect(edits.count(.ip) == 1)
        #expect(edits.count(.address) == 1)
        let (_, login) = anonymizer.anonymize(Array("sasl_username=anna, user=<bob@example.org>".utf8))
        #expect(login.count(.login) == 1)
        #expect(login.count(.address) == 1)
    }

    /// Forms that used to keep the person (issue 15): leading zeros, 6to4, sshd's login names.
    @Test func leadingZerosSixToFourAndSSHDLogins() {
        #expect(anonymizer.anonymize("client=078.046.198.129 ok") == "client=78.46.198.0 ok")
        #expect(anonymizer.anonymize("from 2002:4e2e:c67b::1 port 22") == "from 2002:4e2e:c600:: port 22")
        #expect(anonymizer.anonymize("from 2001:db8:1234:5678::1") == "from 2001:db8:1234::")
        #expect(anonymizer.anonymize("Nov 20 10:15:30 mx1 sshd[812]: Invalid user anna from 78.46.198.123 port 40000")
            == "Nov 20 10:15:30 mx1 sshd[812]: Invalid user [address] from 78.46.198.0 port 40000")
        #expect(anonymizer.anonymize("Nov 20 10:15:31 mx1 sshd[812]: Failed password for invalid user anna from 78.46.198.123 port 40000 ssh2")
            == "Nov 20 10:15:31 mx1 sshd[812]: Failed password for invalid user [address] from 78.46.198.0 port 40000 ssh2")
        #expect(anonymizer.anonymize("Nov 20 10:15:32 mx1 sshd[813]: Accepted publickey for bob from 78.46.198.7 port 5 ssh2: ED25519 SHA256:x")
            == "Nov 20 10:15:32 mx1 sshd[813]: Accepted publickey for [address] from 78.46.198.0 port 5 ssh2: ED25519 SHA256:x")
        #expect(anonymizer.anonymize("Nov 20 10:15:33 mx1 sshd[814]: Connection closed by authenticating user root 78.46.198.7 port 5 [preauth]")
            == "Nov 20 10:15:33 mx1 sshd[814]: Connection closed by authenticating user [address] 78.46.198.0 port 5 [preauth]")
        // An address inside a host name, written with dashes.
        #expect(anonymizer.anonymize("connect from host-78-46-198-123.static.example.net[78.46.198.123]")
            == "connect from host-78-46-198-0.static.example.net[78.46.198.0]")
        #expect(anonymizer.anonymize("client ip-10-1-2-3.ec2.internal ok") == "client ip-10-1-2-0.ec2.internal ok")
        #expect(anonymizer.anonymize("78-46-198-123.dyn.example.net") == "78-46-198-0.dyn.example.net")
        #expect(anonymizer.anonymize("backup-2026-11-20-03.tar and v1-2-3-4.example and 1-2-3-4 alone")
            == "backup-2026-11-20-03.tar and v1-2-3-4.example and 1-2-3-4 alone")
        // Encoded twice, as a redirect writes it.
        #expect(anonymizer.anonymize("GET /r?to=https%3A%2F%2Fx.example%2F%3Fm%3Danna%2540example.org HTTP/1.1")
            == "GET /r?to=https%3A%2F%2Fx.example%2F%3Fm%3D[address] HTTP/1.1")
        // A mailbox on a host without a dot.
        #expect(anonymizer.anonymize("to=<jack@localhost>, relay=local") == "to=<[address]>, relay=local")
        #expect(anonymizer.anonymize("ssh root@mx1 done") == "ssh [address] done")
        #expect(anonymizer.anonymize("GET /img/logo@2x.png and icon@3x") == "GET /img/logo@2x.png and icon@3x")
        for kept in [
            #"{"@timestamp":"2026-11-20T10:00:00Z","@version":"1"}"#, "a{b:c}@media print", #""user":"@alice"}"#,
            "image nginx@sha256:abcdef", "icon@retina.png",
        ] {
            #expect(anonymizer.anonymize(kept) == kept)
        }
        // Not sshd: "password for" in another program's line is left.
        #expect(anonymizer.anonymize("cron[1]: asked password for backup") == "cron[1]: asked password for backup")
    }

    /// Addresses in hex inside host names, percent-encoded in URLs, Teredo's client address,
    /// and PAM's session lines (issue 15).
    @Test func hexHostNamesEncodedAddressesTeredoAndPAMSessions() {
        #expect(anonymizer.anonymize("connect from p4E2EC67B.dip0.t-ipconnect.de[78.46.198.123]")
            == "connect from p4E2EC600.dip0.t-ipconnect.de[78.46.198.0]")
        #expect(anonymizer.anonymize("RCPT from dyn5b9a0c17.pool.example.net[91.154.12.23]: 554")
            == "RCPT from dyn5b9a0c00.pool.example.net[91.154.12.0]: 554")
        let masking = LineAnonymizer(options: AnonymizationOptions(ipv4Style: .mask))
        #expect(masking.anonymize("from p4E2EC67B.dip0.t-ipconnect.de") == "from p4E2EC6XX.dip0.t-ipconnect.de")
        // All letters or all digits are words and numbers; a label without two more after it is not a host.
        for kept in ["build deadbeef.example.com", "id 12345678.example.com", "file p4E2EC67B.log", "v4E2EC67B9.a.b"] {
            #expect(anonymizer.anonymize(kept) == kept, "\(kept)")
        }
        #expect(anonymizer.anonymize("GET /track?ip=78%2E46%2E198%2E123&x=1") == "GET /track?ip=78%2E46%2E198%2E0&x=1")
        #expect(anonymizer.anonymize("to=https%3A%2F%2Fx.example%2F%3Fip%3D78%252E46%252E198%252E123")
            == "to=https%3A%2F%2Fx.example%2F%3Fip%3D78%252E46%252E198%252E0")
        #expect(anonymizer.anonymize("v=1%2E2%2E3 only three") == "v=1%2E2%2E3 only three")
        // Teredo: the client's address lives in the last 32 bits, gone with the /48 prefix.
        #expect(anonymizer.anonymize("rip=2001:0:4136:e378:8000:63bf:3fff:fdd2, lip=10.0.0.1")
            == "rip=2001:0:4136::, lip=10.0.0.0")
        #expect(anonymizer.anonymize("CRON[9]: pam_unix(cron:session): session opened for user anna(uid=1000) by (uid=0)")
            == "CRON[9]: pam_unix(cron:session): session opened for user [address](uid=1000) by (uid=0)")
        #expect(anonymizer.anonymize("su[7]: pam_unix(su:session): session closed for user anna")
            == "su[7]: pam_unix(su:session): session closed for user [address]")
        // Each replacement passes the written-file check (inet_pton on what was replaced).
        for line in ["a p4E2EC67B.dip0.t-ipconnect.de b", "ip=78%2E46%2E198%2E123", "ip%3D78%252E46%252E198%252E123"] {
            var edits = LineEdits()
            var bytes = Array(line.utf8)
            bytes.withUnsafeMutableBufferPointer { anonymizer.scan(UnsafeBufferPointer($0), into: &edits) }
            #expect(edits.edits.count == 1, "\(line)")
            for edit in edits.edits {
                let problem = bytes.withUnsafeBufferPointer { original in
                    edits.replacementBytes.withUnsafeBufferPointer { replacement in
                        Array("[address]".utf8).withUnsafeBufferPointer { token in
                            EditCheck.problem(
                                original: UnsafeBufferPointer(rebasing: original[edit.start..<edit.end]),
                                replacement: UnsafeBufferPointer(rebasing: replacement[edit.replacementStart..<edit.replacementEnd]),
                                kind: edit.kind, options: anonymizer.options, token: token)
                        }
                    }
                }
                #expect(problem == nil, "\(line): \(problem ?? "")")
            }
        }
    }
}
