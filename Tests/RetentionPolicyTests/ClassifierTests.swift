import Foundation
import MailParsing
import PrivacyEvents
import TestSupport
import Testing

@testable import RetentionPolicy

/// The built-in policy's rules on messages written the way real mail looks.
@Suite struct ClassifierTests {
    /// The built-in policy with the test operator's domain declared, as an operator would.
    let classifier = Classifier(policy: operatorPolicy)

    /// Classifies the message (and checks that evaluating every rule decides the same).
    func classify(_ mail: MessageBuilder, _ folder: String = "INBOX") -> Classification {
        classifier.classifyBothWays(mail, folder: folder).quick
    }

    func explain(_ mail: MessageBuilder, _ folder: String = "INBOX") -> Classification {
        classifier.classify(mail.message, context: context(folder), explaining: true)
    }

    func day(_ text: String) -> CalendarDay { CalendarDay(iso: text)! }

    // MARK: Accounting

    @Test func germanInvoiceWithPDF() {
        let mail = MessageBuilder(
            from: "Buchhaltung Lieferant GmbH <buchhaltung@lieferant.de>",
            subject: "Ihre Unterlagen vom 05.03.2019",
            body: "Sehr geehrte Damen und Herren,\r\n\r\nanbei erhalten Sie unsere Unterlagen.\r\n",
            attachments: [("Rechnung_2021-0042.pdf", "application/pdf", "%PDF-1.4 fake")])
        let result = classify(mail)
        #expect(result.category == "accounting-document")
        #expect(result.rule == "invoice-attachment")
        #expect(
            result.explanation.contains(
                "rule \"invoice-attachment\": attachment \"Rechnung_2021-0042.pdf\" matches \"rechnung*\""))
        #expect(result.explanation[0].hasPrefix("rule \"invoice-attachment\" (policy line "))
        #expect(result.messageDay == day("2019-03-05"))
        #expect(result.retainUntil == day("2027-12-31"))
        #expect(result.expiresOn == day("2028-01-01"))
        #expect(result.explanation.contains("message day 2019-03-05 (Date header, zone +0100)"))
        #expect(
            result.explanation.last?.hasPrefix(
                "category \"accounting-document\": 8 years from the end of 2019, keep until 2027-12-31 (GDPR Art. 6(1)(c); AO §147(1) Nr. 4"
            ) == true)
        #expect(result.explanation.last?.hasSuffix("erase from 2028-01-01") == true)
    }

    @Test func englishInvoiceBySubject() {
        let mail = MessageBuilder(
            from: "Example Ltd Billing <billing@example.co.uk>",
            subject: "Your invoice INV-2024-118 from Example Ltd",
            date: "Mon, 12 Feb 2024 08:00:00 +0000",
            body: "Dear customer,\r\n\r\nplease find your invoice online.\r\n")
        let result = classifier.classify(
            mail.message, context: context(delivered: Date(timeIntervalSince1970: 1_707_730_000)))
        #expect(result.category == "accounting-document")
        #expect(result.rule == "invoice-subject")
        #expect(
            result.explanation.contains(
                "rule \"invoice-subject\": subject \"Your invoice INV-2024-118 from Example Ltd\" matches \"invoice*\"")
        )
        #expect(result.retainUntil == day("2032-12-31"))
    }

    @Test func creditNoteAndReceipts() {
        #expect(classify(MessageBuilder(subject: "Gutschrift Nr. 2019-07")).category == "accounting-document")
        #expect(
            classify(MessageBuilder(subject: "Your receipt from Example Inc. #2231-9981")).category == "accounting-document")
        #expect(classify(MessageBuilder(subject: "Abschlagsrechnung März")).category == "accounting-document")
        #expect(classify(MessageBuilder(subject: "Ihr Kontoauszug 03/2019")).category == "accounting-document")
        let einvoice = MessageBuilder(
            subject: "Beleg", attachments: [("xrechnung-4711.xml", "application/xml", "<Invoice/>")])
        #expect(classify(einvoice).category == "accounting-document")
    }

    @Test func invoiceWrittenInTheBody() {
        let mail = MessageBuilder(
            from: "shop@kleiner-laden.de", subject: "Vielen Dank für Ihren Einkauf",
            body: """
                Vielen Dank für Ihren Einkauf!\r
                \r
                Rechnungsnummer: 2019-0815\r
                1 x Tastatur  49,00 EUR\r
                enthaltene MwSt. 19 %: 7,82 EUR\r
                Gesamtbetrag: 49,00 EUR\r
                """)
        let result = classify(mail)
        #expect(result.category == "accounting-document")
        #expect(result.rule == "invoice-body")
        #expect(
            result.explanation.contains {
                $0.hasPrefix("rule \"invoice-body\": body text \"") && $0.contains("rechnungsnummer")
            })
    }

    @Test func berechnungIsNotAnInvoice() {
        let result = classify(MessageBuilder(subject: "Berechnung der Nebenkosten"))
        #expect(result.category != "accounting-document")
    }

    @Test func annualAccountsBeforeInvoices() {
        let guv = classify(MessageBuilder(subject: "Gewinn- und Verlustrechnung 2018"))
        #expect(guv.category == "annual-accounts")
        #expect(guv.retainUntil == day("2029-12-31"))
        let statement = classify(
            MessageBuilder(
                subject: "Unterlagen", attachments: [("Jahresabschluss_2018_final.pdf", "application/pdf", "%PDF")]))
        #expect(statement.category == "annual-accounts")
        #expect(statement.rule == "annual-accounts")
    }

    // MARK: Newsletters, spam and system mail

    @Test func newsletterThatTalksAboutInvoices() {
        let mail = MessageBuilder(
            from: "Rechnungsprofi Newsletter <newsletter@rechnungsprofi.de>",
            subject: "Neu: Rechnungen in 2 Minuten schreiben",
            headers: [
                ("List-Id", "Rechnungsprofi News <news.rechnungsprofi.de>"),
                ("List-Unsubscribe", "<https://rechnungsprofi.de/unsubscribe?u=42>"),
                ("Precedence", "bulk"),
            ],
            body: "Schreiben Sie Ihre Rechnung schneller. Rechnungsnummer automatisch, MwSt. inklusive.\r\n")
        let result = classify(mail)
        #expect(result.category == "newsletter")
        #expect(result.rule == "mailing-list")
        #expect(result.explanation.contains("rule \"mailing-list\": header List-Id is present"))
        #expect(result.explanation.contains("rule \"mailing-list\": its exception does not apply"))
        #expect(result.expiresOn == day("2020-03-06"))
        #expect(result.retainUntil == nil)
    }

    @Test func bulkInvoiceFromBillingServiceStaysAnInvoice() {
        let mail = MessageBuilder(
            from: "Hosting AG <billing@hosting-ag.de>", subject: "Ihre Rechnung Nr. 2019-3381",
            headers: [("List-Unsubscribe", "<mailto:unsubscribe@hosting-ag.de>"), ("Precedence", "bulk")])
        let result = classify(mail)
        #expect(result.category == "accounting-document")
        #expect(result.rule == "invoice-subject")
        let withPDF = MessageBuilder(
            from: "news@shop.de", subject: "Danke für Ihren Einkauf", headers: [("List-Id", "<kunden.shop.de>")],
            attachments: [("Rechnung-88123.pdf", "application/pdf", "%PDF")])
        #expect(classify(withPDF).rule == "invoice-attachment")
    }

    @Test func spamPretendingToBeAnInvoiceInJunk() {
        let mail = MessageBuilder(
            from: "Buchhaltung <billing@secure-payment-center.top>", subject: "Ihre Rechnung #88231 ist überfällig!",
            attachments: [("Rechnung_88231.zip", "application/zip", "PK")])
        let result = classify(mail, "Junk")
        #expect(result.category == "spam")
        #expect(result.rule == "spam-folder")
        #expect(result.explanation.contains("rule \"spam-folder\": folder \"Junk\" matches \"Junk\""))
        #expect(result.expiresOn == day("2019-04-05"))
        #expect(classify(mail, "INBOX.Spam").category == "spam")
        #expect(classify(mail, "Junk.mbox").category == "spam")
    }

    @Test func spamFlaggedByTheFilter() {
        let flagged = MessageBuilder(
            subject: "You won!", headers: [("X-Spam-Flag", "YES"), ("X-Spam-Status", "Yes, score=9.1")])
        let result = classify(flagged)
        #expect(result.rule == "spam-flag")
        #expect(result.explanation.contains("rule \"spam-flag\": header X-Spam-Flag: \"YES\" is [\"yes\"]"))
        let status = MessageBuilder(subject: "Rechnung", headers: [("X-Spam-Status", "Yes, score=12.0 required=5.0")])
        #expect(classify(status).rule == "spam-flag")
        let clean = MessageBuilder(subject: "Hallo", headers: [("X-Spam-Flag", "NO"), ("X-Spam-Status", "No, score=-1.0")])
        #expect(classify(clean).category != "spam")
    }

    @Test func cronMail() {
        let mail = MessageBuilder(
            from: "root@server1.muster-hosting.de (Cron Daemon)", to: "root@server1.muster-hosting.de",
            subject: "Cron <root@server1> /usr/local/bin/backup.sh",
            headers: [("X-Cron-Env", "<SHELL=/bin/sh>"), ("Auto-Submitted", "auto-generated")],
            body: "rsync: connection unexpectedly closed\r\n")
        let result = classify(mail)
        #expect(result.category == "system-mail")
        #expect(result.rule == "system-account")
        #expect(
            result.explanation.contains(
                "rule \"system-account\": from \"root@server1.muster-hosting.de\" matches \"root\""))
        #expect(result.expiresOn == day("2019-03-13"))
        #expect(result.schedule.backupExpiresOn == day("2019-04-03"))
    }

    @Test func bounceWithTheOriginalInvoiceInside() throws {
        let text = """
            Return-Path: <>\r
            From: Mail Delivery System <MAILER-DAEMON@mx1.muster-hosting.de>\r
            To: info@muster-hosting.de\r
            Subject: Undelivered Mail Returned to Sender\r
            Date: Tue, 05 Mar 2019 10:20:00 +0100 (CET)\r
            Auto-Submitted: auto-replied\r
            MIME-Version: 1.0\r
            Content-Type: multipart/report; report-type=delivery-status; boundary="B1"\r
            \r
            --B1\r
            Content-Type: text/plain; charset=us-ascii\r
            \r
            This is the mail system at host mx1.muster-hosting.de.\r
            I'm sorry to have to inform you that your message could not be delivered.\r
            --B1\r
            Content-Type: message/delivery-status\r
            \r
            Reporting-MTA: dns; mx1.muster-hosting.de\r
            \r
            Final-Recipient: rfc822; kunde@nicht-da.de\r
            Action: failed\r
            Status: 5.1.1\r
            --B1\r
            Content-Type: message/rfc822\r
            \r
            From: info@muster-hosting.de\r
            To: kunde@nicht-da.de\r
            Subject: Rechnung 2019-0042\r
            Content-Type: multipart/mixed; boundary="B2"\r
            \r
            --B2\r
            Content-Type: text/plain\r
            \r
            Anbei Ihre Rechnung.\r
            --B2\r
            Content-Type: application/pdf; name="Rechnung_2019-0042.pdf"\r
            Content-Disposition: attachment; filename="Rechnung_2019-0042.pdf"\r
            Content-Transfer-Encoding: base64\r
            \r
            JVBERi0xLjQ=\r
            --B2--\r
            --B1--\r

            """
        let message = try MailMessage(bytes: Array(text.utf8))
        let result = classifier.classify(message, context: context())
        #expect(result.category == "system-mail")
        #expect(result.rule == "delivery-report")
        #expect(
            result.explanation.contains(
                "rule \"delivery-report\": a MIME part of type \"multipart/report\" matches \"multipart/report\""))
    }

    @Test func nullReturnPath() {
        let receipt = MessageBuilder(from: "kunde@firma-schmidt.de", subject: "Gelesen: Angebot", headers: [("Return-Path", "<>")])
        let result = classify(receipt)
        #expect(result.rule == "delivery-report")
        #expect(result.explanation.contains("rule \"delivery-report\": header Return-Path: \"<>\" is [\"<>\"]"))
        let normal = MessageBuilder(subject: "Angebot", headers: [("Return-Path", "<kunde@firma-schmidt.de>")])
        #expect(classify(normal).rule != "delivery-report")
    }

    @Test func bareMailerDaemonSender() {
        let mail = MessageBuilder(from: "MAILER-DAEMON", subject: "Warning: message delayed")
        #expect(classify(mail).rule == "delivery-report")
    }

    @Test func autoReplyIsSystemMailButAutomaticInvoiceIsNot() {
        let vacation = MessageBuilder(subject: "Abwesenheitsnotiz: Hallo", headers: [("Auto-Submitted", "auto-replied")])
        let result = classify(vacation)
        #expect(result.rule == "auto-submitted")
        #expect(
            result.explanation.contains(
                "rule \"auto-submitted\": header Auto-Submitted: \"auto-replied\" is-not [\"no\"]"))
        #expect(result.explanation.contains("rule \"auto-submitted\": none of its 6 exceptions applies"))
        let billing = MessageBuilder(
            from: "billing@provider.de", subject: "Neues Dokument in Ihrem Kundenkonto",
            headers: [("Auto-Submitted", "auto-generated")],
            attachments: [("2019-03.pdf", "application/pdf", "%PDF")])
        #expect(classify(billing).category != "system-mail")
        let human = MessageBuilder(subject: "Abwesenheitsnotiz", headers: [("Auto-Submitted", "no")])
        #expect(classify(human).rule != "auto-submitted")
    }

    @Test func noReplyNotification() {
        let mail = MessageBuilder(
            from: "GitHub <noreply@github.com>", subject: "[GitHub] A new SSH key was added to your account")
        let result = classify(mail)
        #expect(result.category == "system-mail")
        #expect(result.rule == "noreply-notification")
        let order = MessageBuilder(from: "Shop <no-reply@shop.de>", subject: "Ihre Bestellung 123-456 wurde versandt")
        #expect(classify(order).category == "business-letter")
    }

    // MARK: Applications and privacy requests

    @Test func applicationWithCV() {
        let mail = MessageBuilder(
            from: "Jonas Becker <jonas.becker@gmx.de>", subject: "Bewerbung als Systemadministrator (m/w/d)",
            body: "Sehr geehrte Damen und Herren,\r\n\r\nhiermit bewerbe ich mich ...\r\n",
            attachments: [
                ("Lebenslauf_Jonas_Becker.pdf", "application/pdf", "%PDF"),
                ("Zeugnisse.pdf", "application/pdf", "%PDF"),
            ])
        let result = classify(mail)
        #expect(result.category == "job-application")
        #expect(result.rule == "job-application")
        #expect(
            result.explanation.contains(
                "rule \"job-application\": subject \"Bewerbung als Systemadministrator (m/w/d)\" matches \"bewerbung*\""
            ))
        #expect(result.retainUntil == nil)
        // No decision on record: kept, up for review six months after it arrived.
        #expect(result.expiresOn == day("2019-09-06"))
        #expect(result.schedule.awaitingEvent == "application-decision")
        #expect(
            result.explanation.last
                == "category \"job-application\": 3 months from application-decision, which is not on record: kept, review from 2019-09-06"
        )

        let decided = classifier.classify(
            mail.message, context: context(events: ["application-decision": day("2019-04-30")]))
        #expect(decided.expiresOn == day("2019-07-31"))
        #expect(
            decided.explanation.last
                == "category \"job-application\": 3 months from application-decision on 2019-04-30, erase from 2019-07-31"
        )
    }

    @Test func applicationRecognisedByTheCVAlone() {
        let mail = MessageBuilder(
            from: "john.doe@outlook.com", subject: "Support Engineer – John Doe",
            attachments: [("CV_John_Doe_2019.pdf", "application/pdf", "%PDF")])
        let result = classify(mail)
        #expect(result.category == "job-application")
        #expect(
            result.explanation.contains("rule \"job-application\": attachment \"CV_John_Doe_2019.pdf\" matches \"cv\""))
    }

    @Test func accessRequestUnderArticle15() {
        let mail = MessageBuilder(
            from: "Max Mustermann <max.mustermann@web.de>", subject: "Auskunftsersuchen nach Art. 15 DSGVO",
            body: "Bitte teilen Sie mir mit, welche Daten Sie über mich speichern.\r\n")
        let result = classify(mail)
        #expect(result.category == "privacy-request")
        #expect(result.rule == "privacy-request")
        #expect(result.retainUntil == nil)
        #expect(result.expiresOn == day("2023-01-01"))
        let answer = MessageBuilder(
            from: "info@muster-hosting.de", to: "max.mustermann@web.de",
            subject: "AW: Auskunftsersuchen nach Art. 15 DSGVO")
        // A short answer in the thread that says nothing else is still its handling.
        let short = classify(answer, "Sent")
        #expect(short.category == "privacy-request")
        #expect(short.rule == "privacy-thread")
    }

    @Test func erasureRequestRecognisedByBody() {
        let mail = MessageBuilder(
            from: "erika@t-online.de", subject: "=?UTF-8?Q?Bitte_um_L=C3=B6schung?=",
            body: "Hiermit fordere ich Sie gemäß Art. 17 DSGVO auf, meine Daten zu löschen.\r\n")
        let result = classify(mail)
        #expect(result.category == "privacy-request")
        #expect(result.rule == "privacy-request-body")
        #expect(
            result.explanation.contains(
                "rule \"privacy-request-body\": subject \"Bitte um Löschung\" matches \"löschung*\""))
        #expect(
            result.explanation.contains {
                $0.hasPrefix("rule \"privacy-request-body\": own text \"") && $0.hasSuffix("matches \"art. 17\"")
            })
        let english = MessageBuilder(
            from: "jane@gmail.com", subject: "Subject Access Request",
            body: "Under the GDPR I request a copy of my data.")
        #expect(classify(english).category == "privacy-request")
    }

    @Test func dataProcessingAgreementIsNotARequest() {
        let mail = MessageBuilder(subject: "AVV nach Art. 28 DSGVO – Vertrag zur Auftragsverarbeitung")
        let result = classify(mail)
        #expect(result.category == "business-letter")
        #expect(result.rule == "business-transaction")
    }

    // MARK: Business correspondence, inquiries, private mail

    @Test func offerIsACommercialLetter() {
        let result = classify(MessageBuilder(subject: "Angebot Nr. 2019-17: Webhosting Business"))
        #expect(result.category == "business-letter")
        #expect(result.rule == "business-transaction")
        #expect(result.retainUntil == day("2025-12-31"))
    }

    @Test func inquiryFromAProspect() {
        let mail = MessageBuilder(
            from: "Sportverein Musterstadt <vorstand@sv-musterstadt.de>",
            subject: "Anfrage: Webhosting für unseren Verein")
        let result = classify(mail)
        #expect(result.category == "inquiry")
        #expect(result.rule == "inquiry")
        #expect(result.expiresOn == day("2021-03-06"))
    }

    @Test func sentMailToABusinessIsCorrespondence() {
        let mail = MessageBuilder(
            from: "Info <info@muster-hosting.de>", to: "Anna Schmidt <anna.schmidt@firma-schmidt.de>",
            subject: "Termin nächste Woche")
        let result = classify(mail, "Sent")
        #expect(result.category == "business-letter")
        #expect(result.rule == "business-correspondence")
        #expect(
            result.explanation.contains(
                "rule \"business-correspondence\": recipient \"anna.schmidt@firma-schmidt.de\" is a business (neither an own nor a private-mail domain)"
            ))
        #expect(result.explanation.contains("rule \"business-correspondence\": folder \"Sent\" holds sent mail"))
    }

    @Test func replyFromABusinessIsCorrespondence() {
        let result = classify(MessageBuilder(subject: "AW: Termin nächste Woche"))
        #expect(result.rule == "business-correspondence")
        #expect(result.explanation.contains("rule \"business-correspondence\": a reply: subject starts with \"AW:\""))
        let inReplyTo = MessageBuilder(subject: "Termin", headers: [("In-Reply-To", "<abc@muster-hosting.de>")])
        #expect(classify(inReplyTo).rule == "business-correspondence")
    }

    @Test func replyAmongPrivateAddressesIsNotBusiness() {
        let mail = MessageBuilder(from: "Oma <oma.erna@gmx.de>", subject: "Re: Sonntag")
        let result = classify(mail)
        #expect(result.category == "unclassified")
        #expect(result.rule == "fallback")
        #expect(result.explanation.first == "no rule matched: fallback category \"unclassified\"")
        #expect(result.retainUntil == nil)
        #expect(result.expiresOn == day("2026-01-01"))
        #expect(
            result.explanation.last == "category \"unclassified\": 6 years from the end of 2019, review from 2026-01-01"
        )
    }

    @Test func internalMailIsNotBusinessCorrespondence() {
        let mail = MessageBuilder(from: "chef@muster-hosting.de", to: "info@muster-hosting.de", subject: "Re: Serverumzug")
        #expect(classify(mail).rule == "fallback")
        // Own domains may also come from the context (a hosting customer's mailbox).
        let customer = MessageBuilder(from: "kollege@kunde-gmbh.de", to: "info@kunde-gmbh.de", subject: "Re: Serverumzug")
        let ctx = MessageContext(folder: "INBOX", ownDomains: ["KUNDE-GMBH.DE"], deliveryDate: testDelivery)
        #expect(classifier.classify(customer.message, context: ctx).rule == "fallback")
        #expect(classify(customer).rule == "business-correspondence")
    }

    @Test func requestForAQuoteIsAnInquiry() {
        let result = classify(MessageBuilder(subject: "Anfrage: Angebot für 3 Server mit 256 GB RAM"), "Sent")
        #expect(result.category == "inquiry")
        #expect(result.rule == "quote-request")
        #expect(classify(MessageBuilder(subject: "Angebotsanfrage Webhosting")).category == "inquiry")
        // Accepting an offer concludes a contract.
        #expect(classify(MessageBuilder(subject: "Annahme Ihres Angebots")).category == "business-letter")
    }

    @Test func aProspectsReplyInAnInquiryThreadIsKeptAsALetter() {
        let reply = classify(MessageBuilder(subject: "AW: Anfrage Webhosting Starter"))
        #expect(reply.category == "business-letter")
        #expect(reply.rule == "inquiry-thread-reply")
        let ourAnswer = MessageBuilder(
            from: "info@muster-hosting.de", to: "anna.schmidt@firma-schmidt.de", subject: "Re: Anfrage Webhosting Starter")
        // Our answer carries the offer: it prepares a transaction (HGB §257(1) Nr. 3).
        #expect(classify(ourAnswer, "Sent").category == "business-letter")
        #expect(classify(MessageBuilder(subject: "Anfrage Webhosting Starter")).category == "inquiry")
    }

    @Test func customerQuestionIsCorrespondenceNotAnInquiry() {
        let result = classify(MessageBuilder(subject: "Frage zu Einrichtung des VPN-Zugangs"))
        #expect(result.category == "business-letter")
        #expect(result.rule == "business-direct")
        #expect(
            result.explanation.contains(
                "rule \"business-direct\": sender \"anna.schmidt@firma-schmidt.de\" is a business (neither an own nor a private-mail domain)"
            ))
        // With a document attached it is a letter too (an invoice would be found by its name).
        let withPDF = MessageBuilder(subject: "Unterlagen", attachments: [("scan_0001.pdf", "application/pdf", "%PDF")])
        #expect(classify(withPDF).rule == "business-direct")
        // A private person's question is not known to be business.
        #expect(
            classify(MessageBuilder(from: "kunde@gmx.de", subject: "Frage zu Einrichtung des VPN-Zugangs")).rule == "fallback"
        )
    }

    @Test func ourOwnMailInAnArchiveLooksAtTheRecipients() {
        let mail = MessageBuilder(
            from: "Info <info@muster-hosting.de>", to: "Anna Schmidt <anna.schmidt@firma-schmidt.de>",
            subject: "Ihr Projekt: zusätzliche Postfächer")
        let result = classify(mail, "Archive.2019")
        #expect(result.rule == "business-direct")
        #expect(
            result.explanation.contains { $0.contains("recipient \"anna.schmidt@firma-schmidt.de\" is a business") })
    }

    @Test func privateLifeWithFriendsAndColleagues() {
        let friend = classify(MessageBuilder(from: "Tom <tom.berger@gmx.de>", subject: "Re: Karten für das Konzert"))
        #expect(friend.category == "personal")
        #expect(friend.rule == "private-life")
        #expect(friend.explanation.contains("rule \"private-life\": subject \"Re: Karten für das Konzert\" matches \"konzert*\""))
        let colleague = classify(
            MessageBuilder(
                from: "lukas@muster-hosting.de", to: "thomas@muster-hosting.de", subject: "Alles Gute zum Geburtstag!"))
        #expect(colleague.category == "personal")
        // A friend at her employer's domain: the domain does not decide, the text does.
        let move = MessageBuilder(
            from: "Ananya <ananya@iyer-design.de>", subject: "Umzug",
            body: "Hallo Aylin,\r\n\r\nwir ziehen am 15. um und könnten noch Hilfe gebrauchen.\r\n\r\nGruß\r\nAnanya\r\n")
        #expect(classify(move).category == "personal")
        // The same word from a business, about its business, is business: moving a website
        // is not moving house.
        let website = MessageBuilder(
            from: "Felix Huber <felix.huber@web.de>", subject: "Umzug",
            body: "Sehr geehrter Herr Muster,\r\n\r\nwann ziehen Sie unsere Website auf den neuen Server um?\r\n\r\nMit freundlichen Grüßen\r\nFelix Huber\r\n")
        let result = classify(website)
        #expect(result.category == "business-letter")
        #expect(result.rule == "formal-correspondence")
        #expect(classify(MessageBuilder(subject: "Umzug", body: "Der Umzug Ihrer Website ist am Dienstag.\r\n")).category == "business-letter")
    }

    @Test func privacyContactAddress() {
        let answer = MessageBuilder(
            from: "Datenschutz <datenschutz@muster-hosting.de>", to: "max@web.de", subject: "Re: Ihre Anfrage vom 3. März",
            body: "Sehr geehrter Herr Max,\n\nanbei die Auskunft über die zu Ihnen gespeicherten Daten.\n")
        let result = classify(answer, "Sent")
        #expect(result.category == "privacy-request")
        #expect(result.rule == "privacy-contact")
        // An order sent to the privacy address is a business letter: the longer legal duty wins.
        let order = MessageBuilder(
            from: "max@web.de", to: "Datenschutz <datenschutz@muster-hosting.de>", subject: "Bestellung vServer",
            body: "Hallo,\n\nbitte senden Sie mir auch eine Auskunft über meine gespeicherten Daten.\n")
        let ordered = explain(order)
        #expect(ordered.category == "business-letter")
        #expect(ordered.rule == "business-transaction")
        #expect(ordered.explanation.contains { $0.hasPrefix("also matched: rule \"privacy-contact\" (privacy-request, no duty") })
        #expect(ordered.explanation.contains("decided by the longest legal retention duty among the normal rules that matched"))
        let dpa = MessageBuilder(to: "datenschutz@muster-hosting.de", subject: "AVV zum Vertrag 2019-17")
        #expect(classify(dpa).category == "business-letter")
    }

    @Test func privacyRequestThroughAContactForm() {
        let form = MessageBuilder(
            from: "Website <noreply@muster-hosting.de>", to: "info@muster-hosting.de",
            subject: "Kontaktformular: Anfrage",
            body:
                "Name: Frank K.\r\nNachricht:\r\nBitte löschen Sie alle meine Daten und bestätigen Sie mir die Löschung.\r\n"
        )
        let result = classify(form)
        #expect(result.category == "privacy-request")
        #expect(
            result.explanation.contains {
                $0.contains("own text \"") && $0.hasSuffix("matches \"bitte löschen sie alle meine*\"")
            })
        // A reply about an offer that also answers a request stays the longer-kept letter.
        let letter = MessageBuilder(
            subject: "Re: Angebot Nr. 2019-17",
            body: "Sie haben uns um Auskunft über die zu Ihrer Person gespeicherten Daten gebeten.\r\n")
        #expect(classify(letter, "Sent").category == "business-letter")
        let reply = MessageBuilder(
            subject: "Re: Ihre Nachricht",
            body: "Sie haben uns um Auskunft über die zu Ihrer Person gespeicherten Daten gebeten.\r\n")
        #expect(classify(reply, "Sent").rule == "privacy-request-text")
        let request = MessageBuilder(
            subject: "Ihre Nachricht", body: "Bitte löschen Sie alle meine Daten.\r\n")
        #expect(classify(request).rule == "privacy-request-text")
    }

    @Test func paymentConfirmationsAndReceipts() {
        #expect(
            classify(MessageBuilder(from: "service@paypal.de", subject: "Sie haben eine Zahlung an Muster GmbH gesendet"))
                .category == "accounting-document")
        #expect(
            classify(MessageBuilder(from: "billing@example.com", subject: "Payment received - thank you")).category
                == "accounting-document")
        #expect(classify(MessageBuilder(subject: "WG: Taxiquittung 28.06.2023")).category == "accounting-document")
        #expect(classify(MessageBuilder(subject: "Rechnungsanschrift ändern")).category == "business-letter")
    }

    @Test func applicationAddresses() {
        let reply = MessageBuilder(
            from: "Bewerbung <bewerbung@muster-hosting.de>", to: "jane@gmail.com", subject: "Re: DevOps Engineer",
            body: "Hallo Jane,\n\nwir laden Sie gern zu einem Interview ein.\n")
        let result = classify(reply, "Sent")
        #expect(result.category == "job-application")
        #expect(
            result.explanation.contains(
                "rule \"application-address\": from \"bewerbung@muster-hosting.de\" matches \"bewerbung\""))
    }

    @Test func privateFolder() {
        let result = classify(MessageBuilder(subject: "Rechnung vom Zahnarzt"), "Privat")
        #expect(result.category == "personal")
        #expect(result.rule == "private-folder")
        #expect(result.retainUntil == nil)
        #expect(result.explanation.last?.hasSuffix("review from 2020-03-06") == true)
    }

    @Test func archiveFoldersAreClassifiedByContent() {
        #expect(classify(MessageBuilder(subject: "Rechnung 17"), "Archive.2019").category == "accounting-document")
        #expect(classify(MessageBuilder(subject: "Hallo"), "Archive.Junk").category == "spam")
    }

    // MARK: Unreadable messages and policy use

    @Test func unreadableMessageGoesToFallback() {
        let result = classifier.classifyUnreadable(context: context(), reason: "no header field")
        #expect(result.category == "unclassified")
        #expect(result.rule == "fallback")
        #expect(result.messageDay == day("2019-03-05"))
        #expect(
            result.explanation.first
                == "the message could not be read (no header field): fallback category \"unclassified\"")
    }

    @Test func customPolicyConditions() throws {
        let yaml = """
            own-domains: [muster-hosting.de]
            private-mail-domains: [gmx.de]
            categories:
              - {id: a, title: A, purpose: A, basis: f, start: message-date, period: 1 day, duty: false, at-end: erase}
              - {id: unclassified, title: U, purpose: U, basis: f, start: message-date, period: none, duty: false, at-end: review}
            rules:
              - id: to-billing
                category: a
                why: To billing.
                all:
                  - to: billing@
                  - sent: false
              - id: header-contains
                category: a
                why: Received through the backup MX.
                any:
                  - header: Received
                    contains: backup-mx
              - id: private-sender
                category: a
                why: From a private address, not a reply, in a dated archive.
                all:
                  - counterpart: private
                  - reply: false
                  - folder: "Archive.20*"
            """
        let policy = try RetentionPolicy(yaml: yaml, file: "custom.yaml")
        let classifier = Classifier(policy: policy)
        func rule(_ mail: MessageBuilder, _ folder: String = "INBOX") -> String {
            classifier.classify(mail.message, context: context(folder)).rule
        }
        #expect(rule(MessageBuilder(to: "Billing <billing@muster-hosting.de>")) == "to-billing")
        #expect(rule(MessageBuilder(to: "Billing <billing@muster-hosting.de>"), "Sent") == "fallback")
        #expect(rule(MessageBuilder(headers: [("Received", "from backup-mx.muster-hosting.de by mx1")])) == "header-contains")
        #expect(rule(MessageBuilder(from: "a@gmx.de", subject: "Hallo"), "Archive.2019") == "private-sender")
        #expect(rule(MessageBuilder(from: "a@gmx.de", subject: "Re: Hallo"), "Archive.2019") == "fallback")
        #expect(rule(MessageBuilder(from: "a@gmx.de", subject: "Hallo"), "Archive") == "fallback")
        let unlimited = classifier.classify(MessageBuilder().message, context: context())
        #expect(unlimited.expiresOn == nil)
        #expect(unlimited.explanation.last == "category \"unclassified\": none from the message day, no end set")
    }

    @Test func invoiceInAnHTMLOnlyBody() {
        var mail = MessageBuilder(
            from: "shop@kleiner-laden.de", subject: "Vielen Dank für Ihren Einkauf",
            body: "<p>Rechnungs&shy;nummer: 2019-0815</p><p>enthaltene MwSt. 19&nbsp;%: 7,82&nbsp;&euro;</p>")
        mail.contentType = "text/html; charset=utf-8"
        let result = classify(mail)
        #expect(result.rule == "invoice-body")
    }

}

@Suite struct DeliveredToTests {
    @Test func theDeliveryMailboxDomainIsOwnWithoutAnyPolicyEntry() throws {
        // No own-domains in the built-in policy: the Delivered-To domain makes the colleague internal.
        let mail = MessageBuilder(
            from: "Lukas <lukas@muster-hosting.de>", to: "Thomas <thomas@muster-hosting.de>", subject: "Mittagessen?",
            headers: [("Delivered-To", "thomas@muster-hosting.de")])
        let message = try MailMessage(bytes: mail.bytes)
        let result = Classifier(policy: .builtIn).classify(
            message, context: MessageContext(deliveryDate: Date(timeIntervalSince1970: 1_551_777_300)))
        #expect(result.rule != "business-direct")
        #expect(result.explanation.allSatisfy { !$0.contains("is a business") })
    }
}
