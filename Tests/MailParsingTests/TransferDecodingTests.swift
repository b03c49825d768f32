import Foundation
import Testing

@testable import MailParsing

/// Base64 and quoted-printable bodies, RFC 2047 Q (TransferDecoding).
@Suite("Transfer decoding")
struct TransferDecodingTests {
    private func b64(_ s: String) -> String {
        String(decoding: TransferDecoding.base64(Array(s.utf8)), as: UTF8.self)
    }

    private func qp(_ s: String) -> String {
        String(decoding: TransferDecoding.quotedPrintable(ArraySlice(Array(s.utf8))), as: UTF8.self)
    }

    @Test("base64: line breaks, white space and garbage are skipped")
    func base64Tolerance() {
        #expect(b64("SGVs\r\nbG8g\n V29y bGQh") == "Hello World!")
        #expect(b64("SGVsbG8*gV29y!bGQh") == "Hello World!")
        #expect(b64("") == "")
    }

    @Test("base64: missing padding is forgiven, data after padding is not data")
    func base64Padding() {
        #expect(b64("SGVsbG8") == "Hello")
        #expect(b64("SGVsbA") == "Hell")
        #expect(b64("SGVsbG8=") == "Hello")
        #expect(b64("PGh0bWw+Cg==\n\n--b-->\nPotentially malicious content") == "<html>\n")
        #expect(b64("SGVsbG8gV29ybGQhA") == "Hello World!")  // a lone extra sextet carries no byte
        #expect(b64("=SGk=") == "Hi")  // padding that completes nothing is skipped
    }

    @Test("base64Count matches the decoded length", arguments: ["", "SGVsbG8", "SGVsbA", "SGVsbG8=", "SGVsbG8gV29ybGQhA", "=SGk=", "PGh0bWw+Cg==\n\n--b-->\nmore", "a b\r\nc d e f g h"])
    func base64Count(input: String) {
        #expect(TransferDecoding.base64Count(Array(input.utf8)) == TransferDecoding.base64(Array(input.utf8)).count)
    }

    @Test("quoted-printable: escapes in either case, soft breaks with CRLF or LF")
    func qpBasics() {
        #expect(qp("caf=C3=A9 cr=c3=a8me") == "café crème")
        #expect(qp("soft=\r\nbreak=\nhere") == "softbreakhere")
        #expect(qp("keep\r\nlines\n") == "keep\r\nlines\n")
    }

    @Test("quoted-printable: bad escapes kept, padding at line ends dropped, `=` + spaces is a soft break")
    func qpTolerance() {
        #expect(qp("100=%\n") == "100=%\n")
        #expect(qp("a=4") == "a=4")
        #expect(qp("a=") == "a")
        #expect(qp("trailing   \nspace\t\r\n") == "trailing\nspace\r\n")
        #expect(qp("soft=  \nbreak") == "softbreak")
        #expect(qp("in  between") == "in  between")
    }

    @Test("RFC 2047 Q: underscore is a space")
    func qEncoding() {
        #expect(TransferDecoding.qEncoded(ArraySlice(Array("a_b=5Fc=3d".utf8))) == Array("a b_c=".utf8))
    }

    @Test("decodedBody and decodedSize agree for every encoding")
    func bodies() throws {
        let m = try parse(
            """
            Content-Type: multipart/mixed; boundary=b

            --b
            Content-Transfer-Encoding: base64

            SGVsbG8=
            --b
            Content-Transfer-Encoding: quoted-printable

            caf=C3=A9
            --b
            Content-Transfer-Encoding: 8bit

            raw
            --b
            Content-Transfer-Encoding: x-unknown

            =C3=A9 stays
            --b--
            """)
        let expected = ["Hello", "café", "raw", "=C3=A9 stays"]
        for (part, text) in zip(m.leafParts, expected) {
            #expect(String(decoding: m.decodedBody(of: part), as: UTF8.self) == text)
            #expect(m.decodedSize(of: part) == m.decodedBody(of: part).count)
        }
    }
}
