import Foundation
import MailParsing
import PrivacyEvents
import TestSupport
import Testing

@testable import RetentionPolicy

/// When several rules match one message: decisive rules, then the longest legal duty among the
/// normal rules, then policy order, then weak rules (``RuleStrength``).
@Suite struct RuleConflictTests {
    let builtIn = Classifier(policy: operatorPolicy)

    /// Classifies (with every rule evaluated, for the explanation), checking that evaluating only
    /// the rules that could change the outcome decides the same.
    func classify(_ mail: MessageBuilder, _ classifier: Classifier? = nil, folder: String = "INBOX") -> Classification {
        (classifier ?? builtIn).classifyBothWays(mail, folder: folder).explained
    }

    // MARK: The built-in policy

    @Test func invoiceSentToTheJobsAddressIsAnAccountingDocument() {
        let invoice = MessageBuilder(
            from: "Jana Roth <jana.roth@gmx.de>", to: "Jobs <jobs@muster-hosting.de>",
            subject: "Ihre Unterlagen vom 05.03.2019",
            body: "Sehr geehrte Damen und Herren,\r\n\r\nanbei meine Rechnung für die Fotos Ihres Bewerbungsportals.\r\n",
            attachments: [("Rechnung_2019-0311.pdf", "application/pdf", "%PDF-1.4 fake")])
        let result = classify(invoice)
        #expect(result.category == "accounting-document")
        #expect(result.rule == "invoice-attachment")
        #expect(result.retainUntil == CalendarDay(year: 2027, month: 12, day: 31))
        #expect(result.explanation.contains { $0.hasPrefix("also matched: rule \"application-address\" (job-application") })
        #expect(result.explanation.contains("decided by the longest legal retention duty among the normal rules that matched"))
    }

    @Test func orderConfirmationWithAContractSentToThePrivacyAddressIsABusinessLetter() {
        let order = MessageBuilder(
            from: "Vertrieb <vertrieb@rechenzentrum-nord.de>", to: "datenschutz@muster-hosting.de",
            subject: "Auftragsbestätigung 2019-88",
            body: "Guten Tag,\r\n\r\nwir bestätigen Ihren Auftrag; der Vertrag liegt bei.\r\n",
            attachments: [("Vertrag_2019-88.pdf", "application/pdf", "%PDF-1.4 fake")])
        let result = classify(order)
        #expect(result.category == "business-letter")
        #expect(result.retainUntil == CalendarDay(year: 2025, month: 12, day: 31))
    }

    @Test func applicationSentToTheInvoiceAddressStaysAnApplication() {
        let application = MessageBuilder(
            from: "Jana Roth <jana.roth@gmx.de>", to: "rechnung@muster-hosting.de",
            subject: "Bewerbung als Fachkraft im Rechnungswesen",
            body: "Sehr geehrte Damen und Herren,\r\n\r\nanbei meine Unterlagen.\r\n",
            attachments: [("Lebenslauf_Roth.pdf", "application/pdf", "%PDF-1.4 fake")])
        let result = classify(application)
        #expect(result.category == "job-application")
        #expect(result.retainUntil == nil)
        // Nor does a job title that names a transaction make it a business letter.
        let other = MessageBuilder(from: "jana.roth@gmx.de", subject: "Bewerbung: Sachbearbeiterin Auftragsabwicklung")
        #expect(classify(other).category == "job-application")
    }

    @Test func decisiveRulesWinOverLongerDuties() {
        // A spam verdict decides, whatever the message says it is.
        let spam = MessageBuilder(
            subject: "Rechnung 2019-17", headers: [("X-Spam-Flag", "YES")],
            attachments: [("Rechnung.pdf", "application/pdf", "%PDF-1.4")])
        let result = classify(spam)
        #expect(result.category == "spam")
        #expect(result.rule == "spam-flag")
        #expect(result.explanation.contains { $0.hasPrefix("also matched: rule \"invoice-attachment\"") })
        #expect(result.explanation.contains("decided by a decisive rule, which wins over every other"))
    }

    @Test func weakRulesDecideOnlyWhenNothingElseMatches() {
        // From a business, without a document: the weak business-direct rule.
        let letter = MessageBuilder(from: "info@lieferant.de", subject: "Termin am Dienstag")
        #expect(classify(letter).rule == "business-direct")
        // An inquiry from a business is an inquiry, not six years of business letter.
        let inquiry = MessageBuilder(from: "info@lieferant.de", subject: "Anfrage zu Ihren Serverpreisen")
        let result = classify(inquiry)
        #expect(result.category == "inquiry")
        #expect(result.explanation.contains { $0.hasPrefix("also matched: rule \"business-direct\" (business-letter, weak") })
    }

    @Test func privateMailFromACompanyDomainIsPrivate() {
        // A friend writing from her employer's domain: business by domain, private by content.
        let barbecue = MessageBuilder(
            from: "Birgit Baumann <bbaumann@baumann-immobilien.de>", to: "aylin.demir@muster-hosting.de",
            subject: "Grillen am Sonntag",
            body: "Hi Aylin,\r\n\nwollen wir am Sonntag grillen? Bring gern die Kinder mit, wir haben Platz für euch alle.\r\n\r\nLiebe Grüße\r\nBirgit\r\n")
        let result = classify(barbecue)
        #expect(result.category == "personal")
        #expect(result.rule == "private-style")
        #expect(result.explanation.contains { $0.hasPrefix("also matched: rule \"business-direct\"") })
        // The subject names a private occasion too; neither private rule carries a duty.
        #expect(result.explanation.contains { $0.hasPrefix("also matched: rule \"private-life\"") })
        #expect(result.explanation.contains("decided by policy order: no normal rule that matched carries a legal duty"))
        // The same style about a transaction, or with the register data of a company signature,
        // stays business.
        let order = MessageBuilder(
            from: "bbaumann@baumann-immobilien.de", subject: "Kurze Frage",
            body: "Hi Aylin,\r\n\nkannst du mir die Bestellung von gestern noch einmal schicken?\r\n\r\nLG\r\nBirgit\r\n")
        #expect(classify(order).category == "business-letter")
        let signed = MessageBuilder(
            from: "bbaumann@baumann-immobilien.de", subject: "Kurze Frage",
            body: "Hi Aylin,\r\n\nhast du morgen Zeit?\r\n\r\nLG\r\nBirgit\r\n-- \r\nBaumann Immobilien GmbH, Amtsgericht Kiel HRB 1234\r\n")
        #expect(classify(signed).category == "business-letter")
        let document = MessageBuilder(
            from: "bbaumann@baumann-immobilien.de", subject: "Unterlagen",
            body: "Hi Aylin,\r\n\nanbei die Unterlagen für dich.\r\n\r\nLG\r\nBirgit\r\n",
            attachments: [("Unterlagen.pdf", "application/pdf", "%PDF-1.4 fake")])
        #expect(classify(document).category == "business-letter")
    }

    // MARK: Policies of one's own

    static let categories = """
        version: 1
        fallback: other
        categories:
          - id: invoice
            title: Invoices
            purpose: Bookkeeping
            basis: art6-1-c
            start: end-of-year
            period: 8 years
            duty: true
            at-end: erase
          - id: letter
            title: Letters
            purpose: Correspondence
            basis: art6-1-c
            start: end-of-year
            period: 6 years
            duty: true
            at-end: erase
          - id: short
            title: Short
            purpose: Kept briefly
            basis: art6-1-f
            start: message-date
            period: 30 days
            duty: false
            at-end: erase
          - id: other
            title: Other
            purpose: Other mail
            basis: art6-1-f
            start: message-date
            period: 1 year
            duty: false
            at-end: erase
        rules:

        """

    func classifier(_ rules: String) throws -> Classifier {
        Classifier(policy: try RetentionPolicy(yaml: Self.categories + rules, file: "policy.yaml"))
    }

    @Test func longestDutyWinsAndTiesGoToTheEarlierRule() throws {
        let policy = try classifier(
            """
              - id: letter-first
                category: letter
                why: A letter.
                any: [{subject: [letter*]}]
              - id: other-first
                category: other
                why: Other.
                any: [{subject: [letter*]}]
              - id: invoice-later
                category: invoice
                why: An invoice.
                any: [{subject: ["*invoice"]}]
              - id: letter-again
                category: letter
                why: A letter again.
                any: [{subject: [letter*]}]

            """)
        #expect(classify(MessageBuilder(subject: "Letter with invoice"), policy).rule == "invoice-later")
        let letter = classify(MessageBuilder(subject: "Letter"), policy)
        #expect(letter.rule == "letter-first")
        #expect(
            letter.explanation.last(where: { $0.hasPrefix("decided by") })
                == "decided by the longest legal retention duty among the normal rules that matched (a tie, so the earlier rule in the policy)")
    }

    @Test func withoutADutyTheFirstNormalRuleWins() throws {
        let policy = try classifier(
            """
              - id: weak-other
                category: other
                why: Weak.
                weak: true
                any: [{subject: [hello*]}]
              - id: short-first
                category: short
                why: Short.
                any: [{subject: [hello*]}]
              - id: other-later
                category: other
                why: Other.
                any: [{subject: [hello*]}]
              - id: decisive-short
                category: short
                why: A folder the user chose.
                decisive: true
                any: [{folder: [Short]}]
              - id: invoice
                category: invoice
                why: An invoice.
                any: [{subject: ["*invoice*"]}]

            """)
        #expect(classify(MessageBuilder(subject: "Hello"), policy).rule == "short-first")
        #expect(classify(MessageBuilder(subject: "Hello invoice"), policy).rule == "invoice")
        // A decisive rule later in the file still wins over an earlier longer duty.
        let decided = classify(MessageBuilder(subject: "Hello invoice"), policy, folder: "Short")
        #expect(decided.rule == "decisive-short")
        #expect(decided.expiresOn == CalendarDay(year: 2019, month: 4, day: 5))
    }

    @Test func theFirstWeakRuleDecidesWhenNoOtherMatches() throws {
        let policy = try classifier(
            """
              - id: weak-short
                category: short
                why: Weak.
                weak: true
                any: [{subject: [hello*]}]
              - id: weak-invoice
                category: invoice
                why: Weak too.
                weak: true
                any: [{subject: [hello*]}]
              - id: other
                category: other
                why: Other.
                any: [{subject: [bye*]}]

            """)
        let hello = classify(MessageBuilder(subject: "Hello"), policy)
        #expect(hello.rule == "weak-short")
        #expect(hello.explanation.contains("decided by the first weak rule: no decisive or normal rule matched"))
        #expect(classify(MessageBuilder(subject: "Bye"), policy).rule == "other")
        #expect(classify(MessageBuilder(subject: "Nothing"), policy).rule == Classification.fallbackRule)
    }

    @Test func aRuleIsNotBothDecisiveAndWeak() {
        let yaml =
            Self.categories + """
              - id: both
                category: short
                why: Both.
                decisive: true
                weak: true
                any: [{subject: [hello*]}]

            """
        do {
            _ = try RetentionPolicy(yaml: yaml, file: "policy.yaml")
            Issue.record("a rule both decisive and weak was accepted")
        } catch {
            let line = yaml.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("- id: both") }! + 1
            #expect(error.description.hasPrefix("policy.yaml:\(line): "))
            #expect(error.description.contains("is both \"decisive\" and \"weak\""))
        }
        let maybe = Self.categories + """
              - id: maybe
                category: short
                why: Maybe.
                decisive: maybe
                any: [{subject: [hello*]}]

            """
        #expect(throws: PolicyError.self) { try RetentionPolicy(yaml: maybe, file: "policy.yaml") }
    }

    @Test func aPolicyWithoutStrengthsKeepsItsFingerprint() throws {
        let rule = """
              - id: hello
                category: short
                why: Hello.
                any: [{subject: [hello*]}]

            """
        let plain = try RetentionPolicy(yaml: Self.categories + rule, file: "policy.yaml")
        let spelledOut = try RetentionPolicy(
            yaml: Self.categories + rule.replacingOccurrences(of: "    why: Hello.\n", with: "    why: Hello.\n    decisive: false\n"),
            file: "policy.yaml")
        let decisive = try RetentionPolicy(
            yaml: Self.categories + rule.replacingOccurrences(of: "    why: Hello.\n", with: "    why: Hello.\n    decisive: true\n"),
            file: "policy.yaml")
        #expect(plain.fingerprint == spelledOut.fingerprint)
        #expect(plain.fingerprint != decisive.fingerprint)
        #expect(decisive.rules[0].strength == .decisive)
    }
}
