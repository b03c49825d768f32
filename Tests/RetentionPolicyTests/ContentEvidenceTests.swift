import Foundation
import MailParsing
import PrivacyEvents
import TestSupport
import Testing

@testable import RetentionPolicy

/// The built-in rules that read what a message says and how, not only who sent it: an
/// unauthenticated sender, a text that orders or cancels, formal correspondence with a private
/// address, replies in an inquiry thread, applications by their text, and business mail that
/// reaches the application address.
@Suite struct ContentEvidenceTests {
    let builtIn = Classifier(policy: operatorPolicy)

    func classify(_ mail: MessageBuilder) -> Classification {
        builtIn.classifyBothWays(mail, folder: "INBOX").explained
    }

    // MARK: Unauthenticated senders

    static let failedSPF = (
        "Authentication-Results",
        "mx02.muster-hosting.de; dkim=none; spf=softfail (mailfrom) smtp.mailfrom=ebvwuejb-info.net")

    @Test func aSenderTheServerCouldNotAuthenticateIsSpam() {
        let forged = MessageBuilder(
            from: "Hansebank Sicherheit <service@ocqkdmgxggh-info.de>", subject: "Ihr Konto wurde gesperrt",
            headers: [Self.failedSPF], body: "Sehr geehrter Kunde,\r\n\r\nbitte bestätigen Sie Ihre Daten.\r\n")
        let result = classify(forged)
        #expect(result.category == "spam")
        #expect(result.rule == "unauthenticated-sender")
        #expect(result.explanation.contains { $0.contains("header Authentication-Results") && $0.contains("spf=softfail") })
        // Without the header, the same mail from a business domain is presumed correspondence.
        var signed = forged
        signed.headers.removeAll { $0.name == "Authentication-Results" }
        #expect(classify(signed).category == "business-letter")
        // A DKIM signature that verified makes a failed SPF check (a forwarder) no verdict.
        signed.headers.append(("Authentication-Results", "mx02.muster-hosting.de; dkim=pass header.d=example.com; spf=fail"))
        #expect(classify(signed).category == "business-letter")
        // Received-SPF says the same in another field.
        var received = forged
        received.headers.removeAll { $0.name == "Authentication-Results" }
        received.headers.append(("Received-SPF", "Fail (mailfrom) identity=mailfrom; client-ip=192.0.2.7"))
        #expect(classify(received).category == "spam")
    }

    @Test func anInvoiceFromASenderWithABrokenSPFRecordStaysAnInvoice() {
        let invoice = MessageBuilder(
            from: "Buchhaltung <buchhaltung@kleiner-lieferant.de>", subject: "Ihre Unterlagen",
            headers: [Self.failedSPF], body: "Guten Tag,\r\n\r\nanbei die Rechnung.\r\n",
            attachments: [("Rechnung_2019-0042.pdf", "application/pdf", "%PDF-1.4 fake")])
        let result = classify(invoice)
        #expect(result.category == "accounting-document")
        #expect(result.explanation.contains { $0.hasPrefix("also matched: rule \"unauthenticated-sender\" (spam") })
        #expect(result.explanation.contains("decided by the longest legal retention duty among the normal rules that matched"))
    }

    // MARK: The text places or ends a contract

    @Test func anOrderInAnInquiryThreadIsABusinessLetter() {
        let order = MessageBuilder(
            from: "Maren Sommer <msommer@gmail.com>", subject: "Re: Anfrage Webhosting",
            body: "Guten Tag,\r\n\r\nhiermit bestellen wir verbindlich 5x E-Mail-Paket Office gemäß Ihrem Angebot.\r\n\r\nMfG\r\nMaren Sommer\r\n")
        let result = classify(order)
        #expect(result.category == "business-letter")
        #expect(result.retainUntil == CalendarDay(year: 2025, month: 12, day: 31))
        #expect(result.explanation.contains { $0.hasPrefix("also matched: rule \"inquiry\" (inquiry") })
    }

    @Test func aCancellationUnderAPrivacySubjectIsABusinessLetter() {
        let cancellation = MessageBuilder(
            from: "Laura Böhm <l.boehm@zahnarztpraxis-kuhn.net>", subject: "Re: Widerspruch gegen Werbung (Art. 21 DSGVO)",
            body: "Guten Tag,\r\n\r\nhiermit kündige ich den Vertrag über Webhosting Starter fristgerecht.\r\n")
        let result = classify(cancellation)
        #expect(result.category == "business-letter")
        #expect(result.rule == "transaction-text")
        // The reply's own text is not about the request: no rule of requests but the weak
        // presumption of its thread matches.
        #expect(!result.explanation.contains { $0.contains("(privacy-request, no duty") })
        #expect(result.explanation.contains { $0.hasPrefix("also matched: rule \"privacy-thread\" (privacy-request, weak") })
        // An attached order decides the same way.
        let attached = MessageBuilder(
            from: "tim_wolf@t-online.de", subject: "Managed Server L", body: "Anbei.\r\n",
            attachments: [("Bestellung_3681.pdf", "application/pdf", "%PDF-1.4 fake")])
        #expect(classify(attached).rule == "transaction-text")
    }

    // MARK: Inquiries and their threads

    @Test func aReplyInAQuoteThreadIsNotAnInquiry() {
        let first = MessageBuilder(
            from: "Kerstin Schulz <kerstin.schulz@autohaus-meier.de>", subject: "Angebotsanfrage",
            body: "Guten Tag,\r\n\r\nbitte senden Sie uns ein Angebot für fünf Postfächer.\r\n")
        #expect(classify(first).category == "inquiry")
        var reply = first
        reply.headers = reply.headers.map { $0.name == "Subject" ? ("Subject", "AW: Angebotsanfrage") : $0 }
        let result = classify(reply)
        #expect(result.category == "business-letter")
        #expect(result.rule == "inquiry-thread-reply")
        // From a prospect at a private address as well.
        let privateReply = MessageBuilder(
            from: "Anja Huber <anja.huber61@gmail.com>", subject: "Re: Frage zu Ihren Hosting-Paketen",
            body: "Hallo Frau Demir,\r\n\r\ndanke, das klingt gut.\r\n")
        #expect(classify(privateReply).rule == "inquiry-thread-reply")
        // Our own answer in the thread too; but not the privacy officer's answer to a request
        // ("Anfrage" is a request of a data subject as well).
        let ours = MessageBuilder(
            from: "Aylin Demir <aylin.demir@muster-hosting.de>", to: "anja.huber61@gmail.com",
            subject: "Re: Frage zu Ihren Hosting-Paketen", body: "Hallo Frau Huber,\r\n\r\ngern.\r\n")
        #expect(builtIn.classifyBothWays(ours, folder: "Sent").explained.rule == "inquiry-thread-reply")
        let privacyAnswer = MessageBuilder(
            from: "Datenschutz <datenschutz@muster-hosting.de>", to: "anja.huber61@gmail.com",
            subject: "Re: Ihre Anfrage vom 3. März", body: "Guten Tag,\r\n\r\nanbei die Auskunft.\r\n")
        #expect(builtIn.classifyBothWays(privacyAnswer, folder: "Sent").explained.category == "privacy-request")
    }

    @Test func aFirstMessageThatAsksAboutTheOfferIsAnInquiryUnderAnySubject() {
        let question = MessageBuilder(
            from: "Hannah Walsh <walsh.hannah@gmail.com>", subject: "Question about VPS Pro 16",
            body: "Hi,\r\n\r\nwe are interested in your VPS Pro 16. Could you send us a quote?\r\n\r\nBest regards,\r\nHannah\r\n")
        let result = classify(question)
        #expect(result.category == "inquiry")
        #expect(result.rule == "inquiry-text")
        // A reply that quotes it is left to the rules of correspondence.
        var reply = question
        reply.headers = reply.headers.map { $0.name == "Subject" ? ("Subject", "Re: VPS Pro 16") : $0 }
        #expect(classify(reply).rule != "inquiry-text")
    }

    @Test func aSignedDataProcessingAgreementIsAContractButAskingForOneIsNot() {
        let signed = MessageBuilder(
            from: "hannah.guenther@optik-lang.net", subject: "Re: Antrag auf Auskunft gemäß Art. 15 DS-GVO",
            body: "Guten Tag Frau Demir,\r\n\r\nanbei unser unterschriebenes Exemplar.\r\n",
            attachments: [("AVV_unterschrieben.pdf", "application/pdf", "%PDF-1.4 fake")])
        #expect(classify(signed).category == "business-letter")
        let asking = MessageBuilder(
            from: "walsh.hannah@gmail.com", subject: "Hosting in Germany",
            body: "Hi,\r\n\r\nwe are interested in your hosting. Do you offer a data processing agreement?\r\n")
        #expect(classify(asking).category == "inquiry")
    }

    // MARK: Formal correspondence with private addresses

    @Test func formalMailFromAPrivateAddressIsCorrespondence() {
        let complaint = MessageBuilder(
            from: "Annika Scholz <annika.s62@gmx.de>", to: "Thomas Muster <thomas.muster@muster-hosting.de>",
            subject: "E-Mails kommen nicht an!",
            body: "Sehr geehrter Herr Muster,\r\n\r\nseit heute morgen kommen keine E-Mails mehr an.\r\n\r\nViele Grüße\r\nAnnika Scholz\r\n")
        let result = classify(complaint)
        #expect(result.category == "business-letter")
        #expect(result.rule == "formal-correspondence")
        #expect(result.explanation.contains { $0.contains("body text") && $0.contains("sehr geehrte") })
        // Without the formal style it is not recognised: the fallback, for a person to review.
        let plain = MessageBuilder(
            from: "Annika Scholz <annika.s62@gmx.de>", subject: "Kurze Frage", body: "Hallo,\r\n\r\nwie geht's?\r\n")
        #expect(classify(plain).category == "unclassified")
    }

    @Test func familiarVerbsMakePrivateStyleUnlessTheTextIsAboutTheService() {
        let friend = MessageBuilder(
            from: "Uwe Weiß <uwe@weiss.de>", subject: "AW: Samstag",
            body: "Hallo Aylin,\r\n\r\nna klar, ich helfe gern. Sag mir einfach, wann ich da sein soll. Kannst du Getränke mitbringen?\r\n\r\nUwe\r\n")
        #expect(classify(friend).category == "personal")
        #expect(classify(friend).rule == "private-style")
        let customer = MessageBuilder(
            from: "Uwe Weiß <uwe@weiss.de>", subject: "AW: Samstag",
            body: "Hallo Aylin,\r\n\r\nkannst du bis Samstag den Server neu starten? Das Postfach ist voll.\r\n\r\nUwe\r\n")
        #expect(classify(customer).category == "business-letter")
    }

    // MARK: Applications

    @Test func anApplicationIsRecognisedByItsText() {
        let application = MessageBuilder(
            from: "Sarah Davies <sarah.davies@icloud.com>", subject: "DevOps Engineer - Sarah Davies",
            body: "Dear team,\r\n\r\nI am writing to apply for the position of DevOps engineer advertised on your website.\r\n\r\nBest regards,\r\nSarah Davies\r\n")
        let result = classify(application)
        #expect(result.category == "job-application")
        #expect(result.rule == "job-application")
        let german = MessageBuilder(
            from: "jana.roth@gmx.de", subject: "Fachinformatikerin",
            body: "Sehr geehrte Damen und Herren,\r\n\r\nhiermit bewerbe ich mich um die Stelle.\r\n")
        #expect(classify(german).category == "job-application")
    }

    @Test func businessMailToTheApplicationAddressIsNotAnApplication() {
        let customer = MessageBuilder(
            from: "José García <j.garcia@fahrschule-peters.de>", to: "jobs@muster-hosting.de",
            subject: "Emails are not being delivered!",
            body: "Dear Sir or Madam,\r\n\r\nour website was down for four hours yesterday.\r\n")
        let result = classify(customer)
        #expect(result.category == "business-letter")
        #expect(!result.explanation.contains { $0.contains("application-address") })
        // A person at a private address writing there about a job is an applicant; the
        // address alone is no verdict (the message is left for review).
        let applicant = MessageBuilder(
            from: "Jana Roth <jana.roth@gmx.de>", to: "jobs@muster-hosting.de", subject: "Unterlagen",
            body: "Hallo,\r\n\r\nanbei meine Zeugnisse.\r\n")
        #expect(classify(applicant).rule == "application-address")
        var silent = applicant
        silent.body = "Hallo,\r\n\r\nviele Grüße\r\n"
        #expect(classify(silent).rule == "fallback")
    }

    // MARK: Documents with a duty that other rules used to take (a hostile review)

    @Test func aFilterThatSaidNoIsNotOverruledByTheStarsOfItsScore() {
        let invoice = MessageBuilder(
            from: "Buchhaltung <buchhaltung@lieferant.de>", subject: "Ihre Rechnung 2026-0815",
            headers: [("X-Spam-Flag", "NO"), ("X-Spam-Status", "No, score=5.4 required=6.0"), ("X-Spam-Level", "*****")],
            body: "Guten Tag,\r\n\r\nanbei die Rechnung.\r\n")
        #expect(classify(invoice).category == "accounting-document")
    }

    @Test func invoicesSentByProgramsAndAsBulkMailStayInvoices() {
        let receipt = MessageBuilder(
            from: "Shop <noreply@shop.example>", subject: "Vielen Dank für Ihren Einkauf",
            headers: [("Auto-Submitted", "auto-generated")],
            body: "Rechnungsnummer: R-4711\r\nGesamtbetrag: 119,00 EUR inkl. 19 % MwSt\r\n")
        #expect(classify(receipt).category == "accounting-document")
        let billing = MessageBuilder(
            from: "Acme Cloud <billing@acme.example>", subject: "Acme Cloud: invoice INV-2026-0042 is available",
            headers: [("List-Unsubscribe", "<mailto:unsubscribe@acme.example>")], body: "Your invoice is attached.\r\n",
            attachments: [("INV-2026-0042.pdf", "application/pdf", "%PDF-1.4 fake")])
        #expect(classify(billing).category == "accounting-document")
    }

    @Test func aJobAdvertsInvoiceOrATenderIsNotAnApplication() {
        let advert = MessageBuilder(
            from: "Jobbörse <rechnung@jobboerse.example>", subject: "Ihre Rechnung zur Stellenanzeige Fachinformatiker",
            body: "Guten Tag,\r\n\r\nanbei die Rechnung.\r\n")
        #expect(classify(advert).category == "accounting-document")
        let tender = MessageBuilder(
            from: "Vergabestelle <vergabe@stadt.example>", subject: "Ihre Bewerbung im Vergabeverfahren 2026-17 – Zuschlag",
            body: "Sehr geehrte Damen und Herren,\r\n\r\nanbei der Vertrag.\r\n",
            attachments: [("Vertrag_2026-17.pdf", "application/pdf", "%PDF-1.4 fake")])
        #expect(classify(tender).category == "business-letter")
        // An applicant's own subject still keeps a job title from being a document.
        let applicant = MessageBuilder(from: "jana.roth@gmx.de", subject: "Bewerbung als Fachkraft im Rechnungswesen")
        #expect(classify(applicant).category == "job-application")
    }

    @Test func ordersAndCancellationsInGermanWordOrder() {
        for text in [
            "wir interessieren uns für Ihr Paket M und bestellen es hiermit verbindlich.",
            "Hiermit nehmen wir Ihr Angebot vom 3. November an.",
            "ich kündige hiermit meinen Webhosting-Vertrag zum nächstmöglichen Termin.",
        ] {
            let mail = MessageBuilder(from: "Kunde <kunde@gmx.de>", subject: "Anfrage Angebot Webhosting", body: text + "\r\n")
            #expect(classify(mail).category == "business-letter", "\(text)")
        }
    }

    @Test func familiarBusinessMailWithPricesIsNotPrivate() {
        let order = MessageBuilder(
            from: "Chris <chris@feinkost-catering.example>", subject: "Essen am 18.12.",
            body: "Hi Jonas,\r\n\r\nwir bringen das Buffet für 25 Personen, 35 € pro Person. Sag mir bis Freitag Bescheid.\r\n")
        #expect(classify(order).category == "business-letter")
        // A friend's price is not a business's.
        let tickets = MessageBuilder(
            from: "Thomas <thomas@freunde.example>", subject: "Konzert",
            body: "Hallo,\r\n\r\nich habe zwei Karten übrig, hast du Interesse? Sie kosten 45 Euro pro Stück.\r\n")
        #expect(classify(tickets).category == "personal")
    }

    @Test func aPassOfTheReceivingServerWinsOverAnotherHopsFail() {
        let letter = MessageBuilder(
            from: "Server-Teile GmbH <info@server-teile.example>", subject: "Neue Bankverbindung",
            headers: [
                ("Authentication-Results", "mx01.muster-hosting.de; spf=pass smtp.mailfrom=server-teile.example"),
                ("Authentication-Results", "relay.example; spf=softfail smtp.mailfrom=server-teile.example"),
            ],
            body: "Sehr geehrte Damen und Herren,\r\n\r\nab Januar gilt unsere neue Bankverbindung.\r\n")
        #expect(classify(letter).category == "business-letter")
    }

    // MARK: Replies judged by their own text, role addresses as evidence, phishing files

    static let quotedRequest =
        "\r\n\r\nAm 10.03.25 um 16:01 schrieb Jan Becker:\r\n> hiermit verlange ich gemäß Art. 15 DSGVO Auskunft\r\n> über meine personenbezogenen Daten.\r\n"

    @Test func aReplyUnderARequestsSubjectAboutSomethingElseIsJudgedByItsText() {
        let complaint = MessageBuilder(
            from: "Jan Becker <jan.becker@druckerei-ludwig.de>", subject: "Re: Auskunftsersuchen nach Art. 15 DSGVO",
            headers: [("In-Reply-To", "<request@druckerei-ludwig.de>")],
            body: "Sehr geehrte Damen und Herren,\r\n\r\nich erwarte eine Gutschrift für den Ausfall unseres Servers."
                + Self.quotedRequest)
        let result = classify(complaint)
        #expect(result.category == "business-letter")
        #expect(!result.explanation.contains { $0.contains("\"privacy-request") })
        // The same reply that speaks of the request is its handling.
        var answer = complaint
        answer.body = "Sehr geehrte Damen und Herren,\r\n\r\nwann erhalte ich die Auskunft?" + Self.quotedRequest
        let handled = classify(answer)
        #expect(handled.category == "privacy-request")
        #expect(handled.rule == "privacy-request-reply")
        #expect(handled.explanation.contains { $0.hasPrefix("rule \"privacy-request-reply\": own text \"") })
        // Our answer under a contact form's subject, which quotes the request: its own text speaks of it.
        let ours = MessageBuilder(
            from: "Aylin Demir <aylin.demir@muster-hosting.de>", to: "jan.becker@web.de",
            subject: "Re: Neue Nachricht über das Kontaktformular",
            body: "Sehr geehrter Herr Becker,\r\n\r\nwir haben Ihre Daten gelöscht.\r\n\r\nAm 15.02.19 um 10:35 schrieb Jan Becker:\r\n> Bitte löschen Sie alle meine Daten.\r\n")
        #expect(classify(ours).category == "privacy-request")
        // The customer's later reply in that thread about an invoice is a letter, not an inquiry.
        let later = MessageBuilder(
            from: "Jan Becker <jan.becker@druckerei-ludwig.de>", subject: "Re: Neue Nachricht über das Kontaktformular",
            body: "Guten Tag,\r\n\r\nwir benötigen die Rechnungen künftig mit unserer Bestellnummer.\r\n\r\nAm 15.02.19 um 10:35 schrieb Jan Becker:\r\n> Bitte löschen Sie alle meine Daten.\r\n")
        let laterResult = classify(later)
        #expect(laterResult.category == "business-letter")
        #expect(laterResult.rule == "inquiry-thread-reply")
    }

    @Test func aReplyInHTMLIsJudgedWithoutItsBlockquote() {
        var reply = MessageBuilder(
            from: "Andrea Keller <a.keller@web.de>", to: "thomas.muster@muster-hosting.de", subject: "Aw: Bitte alle Daten löschen",
            headers: [("In-Reply-To", "<request@web.de>")],
            body: "<html><body><div>Guten Tag Herr Muster,</div><div>bitte richten Sie zusätzliche Postfächer ein.</div>"
                + "<blockquote type=\"cite\"><div>ich fordere Sie auf, sämtliche personenbezogenen Daten gemäß Art. 17 DSGVO zu löschen.</div></blockquote></body></html>\r\n")
        reply.contentType = "text/html; charset=utf-8"
        let result = classify(reply)
        #expect(result.category == "business-letter")
        #expect(result.rule == "formal-correspondence")
    }

    @Test func roleAddressesAreEvidenceNotVerdicts() {
        let appointment = "Guten Tag,\r\n\r\nwie besprochen schlage ich als Termin Freitag, den 20.03. um 15:00 Uhr vor.\r\nPasst Ihnen das?\r\n\r\nViele Grüße\r\nInes Dietrich\r\n"
        for role in ["jobs@muster-hosting.de", "datenschutz@muster-hosting.de", "support@muster-hosting.de"] {
            let result = classify(MessageBuilder(from: "ines.dietrich76@freenet.de", to: role, subject: "Termin am 20.03.", body: appointment))
            #expect(result.category == "business-letter", "\(role): \(result.rule)")
        }
        // With words of its own matter, the role address decides.
        let applicant = MessageBuilder(
            from: "ines.dietrich76@freenet.de", to: "jobs@muster-hosting.de", subject: "Termin am 20.03.",
            body: "Guten Tag,\r\n\r\nfür das Vorstellungsgespräch schlage ich Freitag, den 20.03. vor.\r\n")
        #expect(classify(applicant).rule == "application-address")
        let request = MessageBuilder(
            from: "ines.dietrich76@freenet.de", to: "datenschutz@muster-hosting.de", subject: "Frage",
            body: "Guten Tag,\r\n\r\nwelche Daten haben Sie über mich gespeichert? Bitte um Auskunft.\r\n")
        #expect(classify(request).rule == "privacy-contact")
    }

    @Test func aCustomerAtAPrivateAddressWritingAboutTheServiceIsCorrespondence() {
        let meeting = MessageBuilder(
            from: "Åsa Nilsson <aasa.n72@outlook.com>", to: "thomas.muster@muster-hosting.de", subject: "Meeting next week?",
            body: "Hello Thomas,\r\nhow about Wednesday at 14:00?\r\nFrom our side everything is ready for the migration next week.\r\nBest regards,\r\nÅsa\r\n")
        let result = classify(meeting)
        #expect(result.category == "business-letter")
        #expect(result.rule == "service-correspondence")
        // A friend who writes about it in the familiar style is private.
        let friend = MessageBuilder(
            from: "lena.k@gmx.de", to: "thomas.muster@muster-hosting.de", subject: "Samstag",
            body: "Hi Thomas,\r\nkannst du mir am Samstag beim Umzug helfen? Ich bringe Kuchen mit.\r\nLiebe Grüße\r\nLena\r\n")
        #expect(classify(friend).category == "personal")
    }

    @Test func documentsKeepTheirDutyWhateverTheirFilesAreCalled() {
        // macOS "Compress" names archives "….pdf.zip"; certificates carry "ISO" in their name.
        for name in ["Rechnungen_Februar_2025.pdf.zip", "Rechnung_2019-70418.pdf", "Beleg.jpg"] {
            let mail = MessageBuilder(subject: "Ihre Rechnung 2019-70418", attachments: [(name, "application/octet-stream", "x")])
            #expect(classify(mail).category == "accounting-document", "\(name)")
        }
        let contract = MessageBuilder(
            subject: "Rahmenvertrag 2025", body: "Guten Tag,\r\n\r\nanbei der unterschriebene Vertrag.\r\n",
            attachments: [("Zertifikat_DIN_EN.ISO_27001.pdf", "application/pdf", "x"), ("Vertrag.pdf", "application/pdf", "x")])
        #expect(classify(contract).category == "business-letter")
    }

    @Test func documentsFromSystemsAndQuestionsAboutThemKeepTheirDuty() {
        // A question about an invoice is no request for a quote.
        let question = MessageBuilder(subject: "Frage zur Rechnung RE-2025-0042 (Angebot AN-2025-117)")
        #expect(classify(question).category == "accounting-document")
        // A shop's order confirmation sent as bulk mail, a supplier portal's by a program.
        let shop = MessageBuilder(
            from: "Büroshop24 <shop@bueroshop24.de>", subject: "Ihre Bestellung 304-8812 bei Büroshop24",
            headers: [("List-Unsubscribe", "<mailto:unsubscribe@bueroshop24.de>")])
        #expect(classify(shop).category == "business-letter")
        let portal = MessageBuilder(
            from: "Lieferant Portal <portal@it-distribution.de>", subject: "Vielen Dank für Ihren Einkauf – Vorgang 77120",
            headers: [("Auto-Submitted", "auto-generated")],
            body: "Sehr geehrte Damen und Herren,\r\n\r\nhiermit bestätigen wir Ihren Auftrag vom 05.03.2025.\r\n")
        #expect(classify(portal).category == "business-letter")
    }

    @Test func aCustomerQuotingOurPrivacyFooterIsNoRequest() {
        let reply = MessageBuilder(
            from: "Jana Roth <jana.roth@gmx.de>", subject: "Re: Ihr Paketwechsel",
            headers: [("In-Reply-To", "<offer@muster-hosting.de>")],
            body: "Guten Tag,\r\n\r\neinverstanden, bitte löschen Sie zusätzlich das Postfach info@.\r\n\r\n"
                + "Am 03.03.25 um 10:00 schrieb Muster Hosting:\r\n> Hinweise zu den zu Ihrer Person gespeicherten Daten: muster-hosting.de/datenschutz\r\n")
        #expect(classify(reply).category == "business-letter")
        // "Löschantrag" for a domain is the registry's word, not a request of a data subject.
        let domain = MessageBuilder(subject: "Löschantrag Domain muster-kunde.de", body: "Guten Tag,\r\n\r\nbitte zum Monatsende.\r\n")
        #expect(classify(domain).category != "privacy-request")
    }

    @Test func lettersAHostileReviewWroteStayLetters() {
        // An acceptance in an inquiry thread, with a privacy notice in the signature.
        let acceptance = MessageBuilder(
            from: "Jana Roth <jana.roth@gmx.de>", subject: "AW: Anfrage Webhosting für unseren Verein",
            body: "Guten Tag,\r\n\r\nvielen Dank für die schnelle Auskunft. Bitte richten Sie es zum 1. April ein.\r\n\r\n"
                + "Mit freundlichen Grüßen\r\nJana Roth\r\nHinweise zum Datenschutz: Art. 13 DSGVO\r\n")
        #expect(classify(acceptance).rule == "inquiry-thread-reply")
        // An order with a macro order form.
        let order = MessageBuilder(
            subject: "Bestellung", body: "Guten Tag,\r\n\r\nhiermit bestellen wir gemäß Ihrem Angebot.\r\n",
            attachments: [("Bestellformular_2025.xlsm", "application/vnd.ms-excel.sheet.macroEnabled.12", "x")])
        #expect(classify(order).category == "business-letter")
        // Objections and deletions that are about the contract, not a person's data.
        let objection = MessageBuilder(
            subject: "Preiserhöhung", body: "Guten Tag,\r\n\r\nich widerspreche hiermit der angekündigten Erhöhung.\r\n")
        #expect(classify(objection).category == "business-letter")
        let mailboxes = MessageBuilder(
            subject: "Postfächer", body: "Guten Tag,\r\n\r\nbitte löschen Sie alle Postfächer außer info@.\r\n")
        #expect(classify(mailboxes).category == "business-letter")
        // A termination in the thread of an old request.
        let termination = MessageBuilder(
            subject: "Re: Auskunftsersuchen nach Art. 15 DSGVO",
            body: "Guten Tag,\r\n\r\nich kündige meinen Vertrag zum 30.06.2025.\r\n")
        #expect(classify(termination).rule == "transaction-text")
        // An administrator applying to jobs@ names servers and backups.
        let applicant = MessageBuilder(
            from: "Tim Wolf <tim_wolf@t-online.de>", to: "jobs@muster-hosting.de", subject: "Linux-Administrator",
            body: "Guten Tag,\r\n\r\nauf Ihre Stellenausschreibung hin: ich betreue Server, Backups und DNS seit zehn Jahren.\r\n")
        #expect(classify(applicant).category == "job-application")
    }
}
