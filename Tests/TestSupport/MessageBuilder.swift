import Foundation

/// The one builder of RFC 5322 messages for the tests: header fields in the order given, a text
/// body, and attachments, written the way a mail client writes them (MIME-Version, a
/// multipart/mixed with base64 attachments when there are any) with one kind of line end
/// throughout.
///
///     var mail = MessageBuilder(subject: "Rechnung 17", attachments: [("r17.pdf", "application/pdf", "%PDF")])
///     mail.lineEnding = .lf
///     try dir.write("Maildir/cur/1.a.host:2,S", mail.text)
///
/// The defaults are a German business letter to a hosting firm. `SampleMail` holds the named
/// messages the pipeline tests share; `MessageBuilder.bytes(_:lineEnding:)` turns hand-written
/// text into message bytes.
public struct MessageBuilder: Sendable {
    public enum LineEnding: Sendable {
        case lf, crlf

        public var characters: String { self == .lf ? "\n" : "\r\n" }
    }

    /// An attached file, base64-encoded in the message.
    public struct Attachment: Sendable {
        public var filename: String
        public var contentType: String
        public var content: [UInt8]

        public init(filename: String, contentType: String, content: [UInt8]) {
            self.filename = filename
            self.contentType = contentType
            self.content = content
        }
    }

    /// Header fields, in order, before the MIME fields.
    public var headers: [(name: String, value: String)]
    /// Whether `MIME-Version: 1.0` follows the header fields.
    public var mimeVersion = true
    /// The text body's Content-Type; nil writes none.
    public var contentType: String? = "text/plain; charset=utf-8"
    /// The text body's Content-Transfer-Encoding; nil writes none. The body is written as given.
    public var transferEncoding: String? = "8bit"
    /// The text body (any line ends; they become `lineEnding`).
    public var body: String
    /// Files after the text body; with any, the message is multipart/mixed.
    public var attachments: [Attachment]
    public var boundary = "=_privctl-test-boundary"
    /// The text before the first delimiter of a multipart message; nil writes none.
    public var preamble: String? = "This is a multi-part message in MIME format."
    public var lineEnding = LineEnding.crlf

    /// A message with exactly these header fields (nothing added but the MIME fields).
    public init(fields: [(name: String, value: String)], body: String, attachments: [Attachment] = []) {
        self.headers = fields
        self.body = body
        self.attachments = attachments
    }

    /// A letter with From, To, Subject, Date (each left out when nil) and a fresh Message-ID,
    /// then `headers`.
    public init(
        from: String = "Anna Schmidt <anna.schmidt@firma-schmidt.de>",
        to: String = "Info <info@muster-hosting.de>",
        subject: String? = "Hallo",
        date: String? = "Tue, 05 Mar 2019 10:15:00 +0100",
        messageID: String? = nil,
        headers extra: [(String, String)] = [],
        body: String = "Hallo,\n\nviele Grüße\n",
        attachments: [(filename: String, type: String, content: String)] = []
    ) {
        var fields: [(name: String, value: String)] = [("From", from), ("To", to)]
        if let subject { fields.append(("Subject", subject)) }
        if let date { fields.append(("Date", date)) }
        fields.append(("Message-ID", messageID ?? "<\(UUID().uuidString)@firma-schmidt.de>"))
        fields += extra.map { (name: $0.0, value: $0.1) }
        self.init(
            fields: fields, body: body,
            attachments: attachments.map { Attachment(filename: $0.filename, contentType: $0.type, content: Array($0.content.utf8)) })
    }

    /// The message as text.
    public var text: String {
        var lines: [String] = headers.map { "\($0.name): \($0.value)" }
        if mimeVersion { lines.append("MIME-Version: 1.0") }
        let textFields = [contentType.map { "Content-Type: \($0)" }, transferEncoding.map { "Content-Transfer-Encoding: \($0)" }]
            .compactMap { $0 }
        if attachments.isEmpty {
            lines += textFields
            return Self.normalized(lines.joined(separator: "\n") + "\n\n" + body, lineEnding)
        }
        lines.append("Content-Type: multipart/mixed; boundary=\"\(boundary)\"")
        lines.append("")
        if let preamble { lines.append(preamble) }
        lines.append("--\(boundary)")
        lines += textFields
        lines.append("")
        lines.append(body)
        for attachment in attachments {
            lines.append("--\(boundary)")
            lines.append("Content-Type: \(attachment.contentType); name=\"\(attachment.filename)\"")
            lines.append("Content-Disposition: attachment; filename=\"\(attachment.filename)\"")
            lines.append("Content-Transfer-Encoding: base64")
            lines.append("")
            lines.append(Data(attachment.content).base64EncodedString(options: [.lineLength76Characters, .endLineWithLineFeed]))
        }
        lines.append("--\(boundary)--")
        return Self.normalized(lines.joined(separator: "\n") + "\n", lineEnding)
    }

    /// The message's bytes (UTF-8).
    public var bytes: [UInt8] { Array(text.utf8) }

    /// Hand-written message text as bytes: with `.crlf`, each line feed not already after a
    /// carriage return becomes CRLF; with `.lf` the text is taken as written. Stray CRs a test
    /// writes on purpose stay where they are.
    public static func bytes(_ text: String, lineEnding: LineEnding) -> [UInt8] {
        let utf8 = Array(text.utf8)
        guard lineEnding == .crlf else { return utf8 }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count + utf8.count / 20)
        var previous: UInt8 = 0
        for byte in utf8 {
            if byte == 0x0A, previous != 0x0D { out.append(0x0D) }
            out.append(byte)
            previous = byte
        }
        return out
    }

    private static func normalized(_ text: String, _ lineEnding: LineEnding) -> String {
        let lf = text.replacingOccurrences(of: "\r\n", with: "\n")
        return lineEnding == .lf ? lf : lf.replacingOccurrences(of: "\n", with: "\r\n")
    }
}

/// Named messages the pipeline and command tests share, as real clients and servers write
/// them. Each is a `MessageBuilder` message; the text is what the tests write to stores.
public enum SampleMail {
    /// An invoice with a PDF attachment (CRLF, quoted-printable text): accounting-document.
    public static func invoice(number: Int, to: String = "kunde@beispiel-gmbh.de", date: String = "Tue, 05 Mar 2019 10:15:00 +0100") -> String {
        var mail = MessageBuilder(
            fields: [
                ("Return-Path", "<buchhaltung@lieferant.example>"), ("Delivered-To", to),
                ("From", "Lieferant AG Buchhaltung <buchhaltung@lieferant.example>"), ("To", to),
                ("Subject", "Ihre Rechnung Nr. \(number)"), ("Date", date), ("Message-ID", "<rechnung-\(number)@lieferant.example>"),
            ],
            body: "Sehr geehrte Damen und Herren,\nanbei erhalten Sie die Rechnung Nr. \(number) =C3=BCber 119,00 EUR.\n",
            attachments: [
                .init(
                    filename: "Rechnung_\(number).pdf", contentType: "application/pdf",
                    content: Array("%PDF-1.4\n% Rechnung \(number)\n".utf8) + [UInt8](repeating: 0x41, count: 600))
            ])
        mail.transferEncoding = "quoted-printable"
        mail.boundary = "b1"
        mail.preamble = nil
        return mail.text
    }

    /// A newsletter (List-Id, Precedence: bulk, an encoded-word Subject; LF): newsletter.
    public static func newsletter(n: Int, date: String = "Mon, 02 Nov 2026 08:00:00 +0000") -> String {
        var mail = MessageBuilder(
            fields: [
                ("From", "Hosting News <news@newsletter.example>"), ("To", "info@beispiel-gmbh.de"),
                ("Subject", "=?utf-8?q?Neuigkeiten_im_November_=E2=80=93_Ausgabe_\(n)?="), ("Date", date),
                ("Message-ID", "<news-\(n)@newsletter.example>"), ("List-Id", "Hosting News <news.newsletter.example>"),
                ("List-Unsubscribe", "<mailto:unsubscribe@newsletter.example>"), ("Precedence", "bulk"),
            ],
            body: "Die besten Angebote des Monats.\n")
        mail.transferEncoding = nil
        mail.lineEnding = .lf
        return mail.text
    }

    /// Cron's report (Auto-Submitted, no MIME-Version; LF): system-notification.
    public static func cron(n: Int, date: String = "Wed, 25 Nov 2026 03:00:01 +0100") -> String {
        var mail = MessageBuilder(
            fields: [
                ("From", "root@mail.beispiel-gmbh.de (Cron Daemon)"), ("To", "root@mail.beispiel-gmbh.de"),
                ("Subject", "Cron <root@mail> /usr/local/bin/backup.sh"), ("Date", date),
                ("Message-ID", "<cron-\(n)@mail.beispiel-gmbh.de>"), ("Auto-Submitted", "auto-generated"),
            ],
            body: "backup finished: 42 files\n")
        mail.mimeVersion = false
        mail.contentType = "text/plain; charset=us-ascii"
        mail.transferEncoding = nil
        mail.lineEnding = .lf
        return mail.text
    }

    /// A private letter from a freemail address (no MIME fields at all; LF).
    public static func personal(from: String, date: String = "Sat, 14 Nov 2026 19:30:00 +0100") -> String {
        var mail = MessageBuilder(
            fields: [
                ("From", "Oma Erna <\(from)>"), ("To", "Anna Muster <anna@beispiel-gmbh.de>"),
                ("Subject", "Kuchen am Sonntag?"), ("Date", date),
                ("Message-ID", "<kuchen@\(from.split(separator: "@").last!)>"),
            ],
            body: "Hallo Anna, kommst du am Sonntag zum Kuchen?\n")
        mail.mimeVersion = false
        mail.contentType = nil
        mail.transferEncoding = nil
        mail.lineEnding = .lf
        return mail.text
    }

    /// A letter the operator sent (Sent folder, CRLF): one transfer event per outside recipient.
    public static func sent(_ n: Int, to: String, cc: String? = nil, subject: String) -> String {
        var headers: [(name: String, value: String)] = [("From", "Petra Muster <petra@muster-hosting.de>"), ("To", to)]
        if let cc { headers.append(("Cc", cc)) }
        headers += [("Subject", subject), ("Date", "Tue, 10 Nov 2026 09:0\(n):00 +0100"), ("Message-ID", "<sent-\(n)@muster-hosting.de>")]
        var mail = MessageBuilder(fields: headers, body: "Guten Tag,\nanbei die Unterlagen.\n")
        mail.transferEncoding = nil
        return mail.text
    }
}
