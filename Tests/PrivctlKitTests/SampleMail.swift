import Foundation

/// Messages written the way real clients and servers write them, for pipeline tests.
enum SampleMail {
    static func invoice(number: Int, to: String = "kunde@beispiel-gmbh.de", date: String = "Tue, 05 Mar 2019 10:15:00 +0100") -> String {
        let pdf = Data("%PDF-1.4\n% Rechnung \(number)\n".utf8 + [UInt8](repeating: 0x41, count: 600)).base64EncodedString(options: .lineLength76Characters)
        return """
            Return-Path: <buchhaltung@lieferant.example>\r
            Delivered-To: \(to)\r
            From: Lieferant AG Buchhaltung <buchhaltung@lieferant.example>\r
            To: \(to)\r
            Subject: Ihre Rechnung Nr. \(number)\r
            Date: \(date)\r
            Message-ID: <rechnung-\(number)@lieferant.example>\r
            MIME-Version: 1.0\r
            Content-Type: multipart/mixed; boundary="b1"\r
            \r
            --b1\r
            Content-Type: text/plain; charset=utf-8\r
            Content-Transfer-Encoding: quoted-printable\r
            \r
            Sehr geehrte Damen und Herren,\r
            anbei erhalten Sie die Rechnung Nr. \(number) =C3=BCber 119,00 EUR.\r
            \r
            --b1\r
            Content-Type: application/pdf; name="Rechnung_\(number).pdf"\r
            Content-Disposition: attachment; filename="Rechnung_\(number).pdf"\r
            Content-Transfer-Encoding: base64\r
            \r
            \(pdf.replacingOccurrences(of: "\n", with: "\r\n"))\r
            --b1--\r

            """
    }

    static func newsletter(n: Int, date: String = "Mon, 02 Nov 2026 08:00:00 +0000") -> String {
        """
        From: Hosting News <news@newsletter.example>
        To: info@beispiel-gmbh.de
        Subject: =?utf-8?q?Neuigkeiten_im_November_=E2=80=93_Ausgabe_\(n)?=
        Date: \(date)
        Message-ID: <news-\(n)@newsletter.example>
        List-Id: Hosting News <news.newsletter.example>
        List-Unsubscribe: <mailto:unsubscribe@newsletter.example>
        Precedence: bulk
        MIME-Version: 1.0
        Content-Type: text/plain; charset=utf-8

        Die besten Angebote des Monats.

        """
    }

    static func cron(n: Int, date: String = "Wed, 25 Nov 2026 03:00:01 +0100") -> String {
        """
        From: root@mail.beispiel-gmbh.de (Cron Daemon)
        To: root@mail.beispiel-gmbh.de
        Subject: Cron <root@mail> /usr/local/bin/backup.sh
        Date: \(date)
        Message-ID: <cron-\(n)@mail.beispiel-gmbh.de>
        Auto-Submitted: auto-generated
        Content-Type: text/plain; charset=us-ascii

        backup finished: 42 files

        """
    }

    static func personal(from: String, date: String = "Sat, 14 Nov 2026 19:30:00 +0100") -> String {
        """
        From: Oma Erna <\(from)>
        To: Anna Muster <anna@beispiel-gmbh.de>
        Subject: Kuchen am Sonntag?
        Date: \(date)
        Message-ID: <kuchen@\(from.split(separator: "@").last!)>

        Hallo Anna, kommst du am Sonntag zum Kuchen?

        """
    }
}
