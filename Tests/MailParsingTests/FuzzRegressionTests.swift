import Foundation
import MailParsing
import TestSupport
import Testing

/// Inputs found by scripts/fuzz-mail-parser.sh, and the same kind of abuse in a deterministic
/// form: every accessor must answer for any bytes.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    /// Reads everything the fuzz target reads; whether the bytes parsed.
    @discardableResult
    private func exercise(_ bytes: [UInt8]) -> Bool {
        guard let m = try? MailMessage(bytes: bytes) else { return false }
        _ = m.messageID
        _ = m.subject
        _ = m.date
        for field in AddressField.allCases { _ = m.addresses(field) }
        for field in m.header.fields { _ = field.decodedText }
        for part in m.leafParts {
            _ = m.decodedBody(of: part)
            _ = m.text(of: part)
        }
        _ = try? JSONEncoder().encode(MessageSummary(message: m))
        return true
    }

    @Test("hostile inputs and saved crash inputs (Tests/Fixtures/hostile) parse without trapping")
    func savedInputs() throws {
        let files = Fixtures.files(in: "hostile")
        #expect(files.count >= 3)
        for file in files {
            // Each has a header field first, so each is read as a message, however broken.
            #expect(exercise(try Fixtures.bytes(file)), "\(file)")
        }
    }

    @Test("a multipart message cut at every byte")
    func truncations() {
        let bytes = mail(
            """
            From: =?utf-8?q?J=C3=B6rg?= <j@x>, "Quoted \\" name" <q@y>, G: a@b;
            Date: Mon, 30 Apr 2001 12:17:50 +0200 (CEST)
            Subject: =?iso-2022-jp?B?GyRCJUYlOSVIGyhC?= =?utf-8?B?5pel5g==?= =?utf-8?B?nKw=?=
            Content-Type: multipart/mixed; boundary="b"; x*0*=utf-8''%E2%82; x*1*=%AC

            --b
            Content-Type: message/rfc822

            Subject: inner
            Content-Type: multipart/alternative; boundary=c

            --c
            Content-Transfer-Encoding: quoted-printable

            caf=C3=A9=
            --c--
            --b
            Content-Type: application/pdf; name="=?utf-8?q?r=C3=A9.pdf?="
            Content-Transfer-Encoding: base64

            SGVsbG8=
            --b--
            """, crlf: true)
        for end in 0...bytes.count {
            exercise(Array(bytes[..<end]))
        }
    }

    @Test("fixture messages with bytes flipped (deterministic pseudo-random)")
    func mutations() throws {
        var rng = SplitMix64(seed: 0x6D61_696C)
        let sources = [
            "iso-2022-jp.eml", "comments.eml", "torture.eml", "qp-utf8.eml", "rfc2231-parameters.eml",
            "unquoted-tspecial-boundary.eml",
        ].map { "mail/" + $0 }
        let alphabet = Array("=?:;<>\"()@,\\-\r\n \t*'%_bBqQ".utf8) + [0x00, 0x80, 0xFF, 0xC3]
        for source in sources {
            let original = try Fixtures.bytes(source)
            #expect(exercise(original), "\(source)")
            for _ in 0..<150 {
                var bytes = original
                for _ in 0..<(1 + Int(rng.next() % 8)) {
                    let position = Int(rng.next() % UInt64(bytes.count))
                    switch rng.next() % 3 {
                    case 0: bytes[position] = alphabet[Int(rng.next() % UInt64(alphabet.count))]
                    case 1: bytes.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: position)
                    default: bytes.remove(at: position)
                    }
                    if bytes.isEmpty { bytes = [0x41] }
                }
                exercise(bytes)
            }
        }
    }

    @Test("pathological shapes: lone CRs, NULs, only delimiters, endless folding, deep comments")
    func shapes() {
        let cases: [[UInt8]] = [
            Array("Subject: a\rb\rc\r\r\rbody".utf8),
            [0x53, 0x3A, 0x00, 0x0A, 0x0A, 0x00],
            mail("Content-Type: multipart/mixed; boundary=\"\"\n\n" + String(repeating: "--\n", count: 5_000)),
            mail("Subject: x\n" + String(repeating: " \n", count: 20_000) + "\nbody"),
            mail("From: " + String(repeating: "(", count: 50_000) + "a@x\n\n"),
            mail("Content-Type: message/rfc822\n\n" + String(repeating: "Content-Type: message/rfc822\n\n", count: 500)),
            mail("Content-Type: multipart/mixed; boundary=a\n\n--a\n--a\n--a--\n--a\n"),
            mail("Content-Type: text/plain; charset*0*=''; charset*99999999999999999999=x\n\nb"),
            mail("Content-Transfer-Encoding: base64\n\n===="),
            mail("Content-Transfer-Encoding: quoted-printable\n\n=\n=\r\n=4"),
            mail("Date: 99999999999999999999 Jan 9999999999 99:99:99 +9999\n\n"),
            mail("Date: 2023-05-01T10:00:00+99:99\n\n"),
        ]
        for bytes in cases { exercise(bytes) }
    }
}

/// A tiny deterministic generator (SplitMix64) so the mutation test is the same on every run.
struct SplitMix64 {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
