import Foundation
import PrivacyEvents
import Testing

@testable import RetentionPolicy

/// Every problem the loader reports, with the file and line it names.
@Suite struct PolicyLoaderTests {
    /// A small valid policy; tests replace single lines (numbers in the comments) to break it.
    static let lines: [String] = [
        "version: 1",  // 1
        "categories:",  // 2
        "  - id: invoice",  // 3
        "    title: Invoices",  // 4
        "    purpose: Bookkeeping",  // 5
        "    basis: art6-1-c",  // 6
        "    start: end-of-year",  // 7
        "    period: 8 years",  // 8
        "    duty: true",  // 9
        "    at-end: erase",  // 10
        "  - id: unclassified",  // 11
        "    title: Unclassified",  // 12
        "    purpose: Review",  // 13
        "    basis: f",  // 14
        "    start: message-date",  // 15
        "    period: 6 years",  // 16
        "    duty: false",  // 17
        "    at-end: review",  // 18
        "rules:",  // 19
        "  - id: invoice-subject",  // 20
        "    category: invoice",  // 21
        "    why: The subject names an invoice.",  // 22
        "    any:",  // 23
        "      - subject: [rechnung*, invoice*]",  // 24
    ]

    /// The base policy with some lines replaced (1-based line number → new text; "" removes the
    /// line's content but keeps the line so later numbers stay valid).
    func policy(replacing changes: [Int: String] = [:], appending extra: [String] = []) -> String {
        var lines = Self.lines
        for (number, text) in changes { lines[number - 1] = text }
        return (lines + extra).joined(separator: "\n") + "\n"
    }

    /// The error message the loader gives for a text.
    func failure(_ yaml: String, file: String = "policy.yaml") -> String {
        do {
            _ = try RetentionPolicy(yaml: yaml, file: file)
            return "no error"
        } catch {
            return error.description
        }
    }

    func failureKind(_ yaml: String) -> PolicyError.Kind? {
        do {
            _ = try RetentionPolicy(yaml: yaml, file: "policy.yaml")
            return nil
        } catch {
            return error.kind
        }
    }

    @Test func reviewWithoutEventBelongsToEventStarts() {
        #expect(failure(policy(appending: []).replacingOccurrences(of: "    at-end: erase\n", with: "    at-end: erase\n    review-without-event: 6 months\n"))
            .contains("has \"review-without-event\" but starts at \"end-of-year\""))
        let event = policy(replacing: [7: "    start: event:contract-end"])
        let ok = try? RetentionPolicy(yaml: event.replacingOccurrences(of: "    at-end: erase\n", with: "    at-end: erase\n    review-without-event: 1 year\n"), file: "policy.yaml")
        #expect(ok?.category("invoice")?.reviewWithoutEvent == .years(1))
        #expect(failure(event.replacingOccurrences(of: "    at-end: erase\n", with: "    at-end: erase\n    review-without-event: none\n"))
            .contains("give a period"))
    }

    @Test func basePolicyLoads() throws {
        let policy = try RetentionPolicy(yaml: policy(), file: "policy.yaml")
        #expect(policy.categories.map(\.id) == ["invoice", "unclassified"])
        let invoice = try #require(policy.category("invoice"))
        #expect(invoice.period == .years(8))
        #expect(invoice.start == .endOfYear)
        #expect(invoice.duty)
        #expect(invoice.atEnd == .erase)
        #expect(invoice.legalBasis == LegalBasis(.legalObligation))
        #expect(policy.category("unclassified")?.legalBasis.lawfulBasis == .legitimateInterests)
        #expect(policy.rules.map(\.id) == ["invoice-subject"])
        #expect(policy.rules[0].line == 20)
        #expect(policy.rules[0].any == [.subject(try WordList(["rechnung*", "invoice*"]))])
        #expect(policy.fallbackCategory == "unclassified")
    }

    // MARK: Unknown keys

    @Test func unknownCategoryKeySuggestsTheKnownOne() {
        #expect(
            failure(policy(replacing: [8: "    perod: 8 years"]))
                == "policy.yaml:8: category \"invoice\" has unknown key \"perod\" (did you mean \"period\"?)")
    }

    @Test func unknownKeyWithoutSuggestion() {
        #expect(
            failure(policy(replacing: [5: "    colour: blue"]))
                == "policy.yaml:5: category \"invoice\" has unknown key \"colour\"")
    }

    @Test func unknownTopLevelKey() {
        #expect(
            failure(policy(replacing: [19: "rule:"]))
                == "policy.yaml:19: the policy has unknown key \"rule\" (did you mean \"rules\"?)")
    }

    @Test func unknownRuleKey() {
        #expect(
            failure(policy(replacing: [21: "    cateogry: invoice"]))
                == "policy.yaml:21: rule \"invoice-subject\" has unknown key \"cateogry\" (did you mean \"category\"?)")
    }

    @Test func unknownConditionKey() {
        #expect(
            failure(policy(replacing: [24: "      - subjekt: [rechnung*]"]))
                == "policy.yaml:24: rule \"invoice-subject\" has unknown condition \"subjekt\" (did you mean \"subject\"?)"
        )
        #expect(failureKind(policy(replacing: [24: "      - subjekt: [rechnung*]"])) == .unknownCondition)
    }

    // MARK: References and ids

    @Test func ruleNamesUnknownCategory() {
        #expect(
            failure(policy(replacing: [21: "    category: invoce"]))
                == "policy.yaml:21: rule \"invoice-subject\" refers to unknown category \"invoce\" (did you mean \"invoice\"?)"
        )
        #expect(failureKind(policy(replacing: [21: "    category: invoce"])) == .unknownCategory)
    }

    @Test func duplicateCategoryID() {
        #expect(
            failure(policy(replacing: [11: "  - id: invoice"]))
                == "policy.yaml:11: category id \"invoice\" is already used on line 3")
    }

    @Test func duplicateRuleID() {
        let extra = [
            "  - id: invoice-subject", "    category: invoice", "    why: Again.", "    any:", "      - body: rechnung",
        ]
        #expect(
            failure(policy(appending: extra))
                == "policy.yaml:25: rule id \"invoice-subject\" is already used on line 20")
        #expect(failureKind(policy(appending: extra)) == .duplicateID)
    }

    @Test func categoryIDNotKebabCase() {
        #expect(
            failure(policy(replacing: [3: "  - id: Invoice_Docs"]))
                == "policy.yaml:3: category id \"Invoice_Docs\" is not kebab-case (lower-case letters and digits joined by single hyphens, for example \"invoice-docs\")"
        )
        #expect(failureKind(policy(replacing: [3: "  - id: Invoice_Docs"])) == .invalidID)
    }

    @Test func ruleIDNotKebabCase() {
        #expect(
            failure(policy(replacing: [20: "  - id: invoiceSubject"]))
                == "policy.yaml:20: rule id \"invoiceSubject\" is not kebab-case (lower-case letters and digits joined by single hyphens, for example \"invoice-subject\")"
        )
        for bad in ["-invoice", "invoice-", "in--voice", "1invoice", "rechnung ä"] {
            #expect(failureKind(policy(replacing: [20: "  - id: \"\(bad)\""])) == .invalidID, "\(bad)")
        }
    }

    @Test func fallbackCategoryUnknown() {
        #expect(
            failure(policy(appending: ["fallback: unclasified"]))
                == "policy.yaml:25: the fallback category \"unclasified\" is not defined (did you mean \"unclassified\"?)"
        )
    }

    @Test func defaultFallbackMissing() {
        #expect(
            failure(policy(replacing: [11: "  - id: other"]))
                == "policy.yaml:1: the fallback category \"unclassified\" is not defined; define it or name another with \"fallback:\""
        )
    }

    // MARK: Values of categories

    @Test func badDurationUnit() {
        #expect(
            failure(policy(replacing: [8: "    period: 8 yers"]))
                == "policy.yaml:8: category \"invoice\" has period \"8 yers\" with unknown unit \"yers\" (did you mean \"years\"?); use days, weeks, months or years"
        )
    }

    @Test func badDurationShape() {
        #expect(
            failure(policy(replacing: [8: "    period: eight years"]))
                == "policy.yaml:8: category \"invoice\" has period \"eight years\", which is not \"none\" or a number with a unit, for example \"8 years\""
        )
    }

    @Test func badBackupPeriod() {
        let text = policy(replacing: [18: "    at-end: review\n    backup-period: soon"])
        #expect(
            failure(text)
                == "policy.yaml:19: category \"unclassified\" has backup-period \"soon\", which is not \"none\" or a number with a unit, for example \"8 years\""
        )
    }

    @Test func unknownStart() {
        #expect(
            failure(policy(replacing: [7: "    start: end-of-yaer"]))
                == "policy.yaml:7: category \"invoice\" has unknown start \"end-of-yaer\" (did you mean \"end-of-year\"?); use message-date, end-of-year or event:NAME"
        )
        #expect(
            failure(policy(replacing: [7: "    start: tomorrow"]))
                == "policy.yaml:7: category \"invoice\" has unknown start \"tomorrow\"; use message-date, end-of-year or event:NAME"
        )
    }

    @Test func eventStart() throws {
        let loaded = try RetentionPolicy(yaml: policy(replacing: [7: "    start: event:contract-end"]), file: "p.yaml")
        #expect(loaded.category("invoice")?.start == .event("contract-end"))
        #expect(
            failure(policy(replacing: [7: "    start: \"event:Contract End\""]))
                == "policy.yaml:7: category \"invoice\" has start \"event:Contract End\" whose event name is not kebab-case, for example \"event:application-decision\""
        )
    }

    @Test func unknownAction() {
        #expect(
            failure(policy(replacing: [10: "    at-end: delete"]))
                == "policy.yaml:10: category \"invoice\" has unknown at-end action \"delete\"; use erase or review")
        #expect(
            failure(policy(replacing: [10: "    at-end: erse"]))
                == "policy.yaml:10: category \"invoice\" has unknown at-end action \"erse\" (did you mean \"erase\"?); use erase or review"
        )
    }

    @Test func unknownLegalBasis() {
        let expected =
            "policy.yaml:6: category \"invoice\" has unknown legal basis \"art6-1-g\"; use a GDPR Art. 6(1) letter a to f, for example \"art6-1-c\" or \"Art. 6(1)(c)\""
        #expect(failure(policy(replacing: [6: "    basis: art6-1-g"])) == expected)
        // LawfulBasis(loose:) would read "banana" as (a); the policy loader does not.
        #expect(failureKind(policy(replacing: [6: "    basis: banana"])) == .unknownBasis)
        #expect(failureKind(policy(replacing: [6: "    basis: art7-1-c"])) == .unknownBasis)
    }

    @Test(arguments: [
        ("art6-1-c", LawfulBasis.legalObligation),
        ("\"Art. 6(1)(c)\"", .legalObligation),
        ("Art. 6 Abs. 1 lit. b DSGVO", .contract),
        ("\"GDPR Art. 6(1)(f)\"", .legitimateInterests),
        ("\"6(1)(a)\"", .consent),
        ("e", .publicTask),
        ("D", .vitalInterests),
    ])
    func legalBasisSpellings(text: String, expected: LawfulBasis) throws {
        let loaded = try RetentionPolicy(yaml: policy(replacing: [6: "    basis: \(text)"]), file: "p.yaml")
        #expect(loaded.category("invoice")?.legalBasis.lawfulBasis == expected)
    }

    @Test func lawIsTheRetentionLaw() throws {
        let text = policy(replacing: [5: "    purpose: Bookkeeping\n    law: \"AO §147(1) Nr. 4\""])
        let loaded = try RetentionPolicy(yaml: text, file: "p.yaml")
        #expect(loaded.category("invoice")?.legalBasis.citation == "GDPR Art. 6(1)(c); AO §147(1) Nr. 4")
    }

    @Test func missingCategoryKey() {
        #expect(failure(policy(replacing: [5: ""])) == "policy.yaml:3: category \"invoice\" has no \"purpose\"")
        #expect(failureKind(policy(replacing: [5: ""])) == .missingKey)
        #expect(failure(policy(replacing: [3: "  - title2: x"])) == "policy.yaml:3: a category has no \"id\"")
    }

    @Test func dutyNeedsAPeriod() {
        #expect(
            failure(policy(replacing: [8: "    period: none"]))
                == "policy.yaml:9: category \"invoice\" has a retention duty but period none; a duty needs a period")
    }

    @Test func dutyMustBeBoolean() {
        #expect(
            failure(policy(replacing: [9: "    duty: maybe"]))
                == "policy.yaml:9: \"duty\" of category \"invoice\" must be true or false, not \"maybe\"")
    }

    @Test func valueMustBeScalar() {
        #expect(
            failure(policy(replacing: [4: "    title: [a, b]"]))
                == "policy.yaml:4: \"title\" of category \"invoice\" must be a single value, not a list or mapping")
    }

    // MARK: Rules and conditions

    @Test func ruleWithoutConditions() {
        #expect(
            failure(policy(replacing: [23: "", 24: ""]))
                == "policy.yaml:20: rule \"invoice-subject\" has no conditions; give \"all\" or \"any\"")
    }

    @Test func ruleWithoutWhy() {
        #expect(failure(policy(replacing: [22: ""])) == "policy.yaml:20: rule \"invoice-subject\" has no \"why\"")
    }

    @Test func conditionsMustBeAList() {
        #expect(
            failure(policy(replacing: [23: "    any: {subject: rechnung}", 24: ""]))
                == "policy.yaml:23: \"any\" of rule \"invoice-subject\" must be a non-empty list of conditions")
    }

    @Test func conditionWithTwoTests() {
        #expect(
            failure(policy(replacing: [24: "      - {subject: rechnung, body: rechnung}"]))
                == "policy.yaml:24: rule \"invoice-subject\" has a condition with two tests, \"subject\" and \"body\"; write each as its own list item"
        )
    }

    @Test func headerTestWithoutHeader() {
        #expect(
            failure(policy(replacing: [24: "      - is: bulk"]))
                == "policy.yaml:24: rule \"invoice-subject\" has \"is\" without \"header\"")
        #expect(
            failure(policy(replacing: [24: "      - {subject: rechnung, is: bulk}"]))
                == "policy.yaml:24: rule \"invoice-subject\" has \"is\" without \"header\"")
    }

    @Test func headerWithTwoTests() {
        #expect(
            failure(policy(replacing: [24: "      - {header: Precedence, is: bulk, contains: list}"]))
                == "policy.yaml:24: rule \"invoice-subject\" has a header test with both \"is\" and \"contains\"; use one per condition"
        )
    }

    @Test func headerNameMustBeAFieldName() {
        #expect(
            failure(policy(replacing: [24: "      - header: List Id"]))
                == "policy.yaml:24: rule \"invoice-subject\" has header \"List Id\", which is not a header field name")
    }

    @Test func mediaTypeMustHaveASlash() {
        #expect(
            failure(policy(replacing: [24: "      - attachment-type: [application/pdf, pdf]"]))
                == "policy.yaml:24: rule \"invoice-subject\" has attachment-type \"pdf\", which is not a media type such as \"application/pdf\" or \"image/*\""
        )
    }

    @Test func wordPatternsMustHaveLetters() {
        #expect(
            failure(policy(replacing: [24: "      - subject: [rechnung, \"*\"]"]))
                == "policy.yaml:24: rule \"invoice-subject\" has subject pattern \"*\", which has no letters")
        #expect(
            failure(policy(replacing: [24: "      - body: \"rech*nung\""]))
                == "policy.yaml:24: rule \"invoice-subject\" has body pattern \"rech*nung\", which may have `*` only at its start or end"
        )
    }

    @Test func emptyListIsAnError() {
        #expect(
            failure(policy(replacing: [24: "      - attachment: []"]))
                == "policy.yaml:24: \"attachment\" of rule \"invoice-subject\" must not be an empty list")
    }

    @Test func unknownCounterpart() {
        #expect(
            failure(policy(replacing: [24: "      - counterpart: company"]))
                == "policy.yaml:24: rule \"invoice-subject\" has counterpart \"company\"; use business, private or internal"
        )
        #expect(
            failure(policy(replacing: [24: "      - counterpart: busines"]))
                == "policy.yaml:24: rule \"invoice-subject\" has counterpart \"busines\" (did you mean \"business\"?); use business, private or internal"
        )
    }

    @Test func sentMustBeBoolean() {
        #expect(
            failure(policy(replacing: [24: "      - sent: sometimes"]))
                == "policy.yaml:24: \"sent\" of rule \"invoice-subject\" must be true or false, not \"sometimes\"")
    }

    @Test func everyConditionKindLoads() throws {
        let conditions = [
            "      - header: List-Id",
            "      - {header: Precedence, is: [bulk, list]}",
            "      - {header: Auto-Submitted, is-not: \"no\"}",
            "      - {header: X-Spam-Status, starts-with: \"Yes\"}",
            "      - {header: Received, contains: example}",
            "      - from: [root@, \"@example.com\", \"*noreply*\"]",
            "      - to: billing@muster-hosting.de",
            "      - body: rechnungsnummer",
            "      - own-text: [auskunft*, löschung]",
            "      - attachment: lebenslauf*",
            "      - attachment-type: [multipart/report, \"image/*\"]",
            "      - folder: [Junk, \"Archive.20*\"]",
            "      - sent: true",
            "      - reply: no",
            "      - counterpart: private",
        ]
        let loaded = try RetentionPolicy(yaml: policy(appending: conditions), file: "p.yaml")
        let any = loaded.rules[0].any
        #expect(
            any.map(\.key) == [
                "subject", "header", "header", "header", "header", "header", "from", "to", "body", "own-text",
                "attachment", "attachment-type", "folder", "sent", "reply", "counterpart",
            ])
        #expect(any[9] == .ownText(try WordList(["auskunft*", "löschung"])))
        #expect(any[9].needsBody)
        #expect(any[9].description == "own-text [\"auskunft*\", \"löschung\"]")
        #expect(any[2] == .header(name: "Precedence", test: .isOneOf(["bulk", "list"])))
        #expect(any[3] == .header(name: "Auto-Submitted", test: .isNoneOf(["no"])))
        #expect(any[4] == .header(name: "X-Spam-Status", test: .startsWith(["yes"])))
        #expect(any[14] == .reply(false))
        #expect(any[15] == .counterpart(.private))
    }

    @Test(arguments: [
        (20, "  - name: invoice-subject", "policy.yaml:20: a rule has no \"id\""),
        (21, "    kategorie: invoice", "policy.yaml:21: rule \"invoice-subject\" has unknown key \"kategorie\""),
        (21, "", "policy.yaml:20: rule \"invoice-subject\" has no \"category\""),
        (24, "      - rechnung", "policy.yaml:24: rule \"invoice-subject\" has a condition that is not a mapping such as \"subject: [rechnung*]\""),
        (24, "      - from: \"  \"", "policy.yaml:24: rule \"invoice-subject\" has from pattern \"  \", which is not an address pattern"),
        (24, "      - folder: [Junk, \"\"]", "policy.yaml:24: rule \"invoice-subject\" has an empty folder pattern \"\""),
        (24, "      - subject: [[a, b]]", "policy.yaml:24: \"subject\" of rule \"invoice-subject\" must be a list of single values"),
        (24, "      - subject: {a: b}", "policy.yaml:24: \"subject\" of rule \"invoice-subject\" must be a value or a list of values, not a mapping"),
        (4, "    title: {de: Rechnungen}", "policy.yaml:4: \"title\" of category \"invoice\" must be a single value, not a list or mapping"),
    ])
    func moreShapeProblems(line: Int, text: String, expected: String) {
        #expect(failure(policy(replacing: [line: text])) == expected)
    }

    @Test func listItemsMustBeMappings() {
        let rules = Self.lines.prefix(19).joined(separator: "\n") + "\n  - just-a-name\n"
        #expect(
            failure(rules)
                == "policy.yaml:20: each rule must be a mapping with \"id\", \"category\", \"why\" and conditions")
        #expect(
            failure("categories:\n  - just-a-name\nrules: []\n")
                == "policy.yaml:2: each category must be a mapping with \"id\", \"title\", \"period\" and so on")
        let notAList = Self.lines.prefix(18).joined(separator: "\n") + "\nrules: none\n"
        #expect(failure(notAList) == "policy.yaml:19: \"rules\" must be a list of rules")
    }

    @Test func policyWithoutRules() {
        let text = Self.lines.prefix(18).joined(separator: "\n") + "\n"
        #expect(failure(text) == "policy.yaml:1: the policy has no \"rules\"")
    }

    // MARK: File-level problems

    @Test func unsupportedVersion() {
        #expect(
            failure(policy(replacing: [1: "version: 2"]))
                == "policy.yaml:1: policy version 2 is not supported; this privctl reads version 1")
    }

    @Test func yamlSyntaxError() {
        let message = failure(policy(replacing: [24: "      - subject: [rechnung*, invoice*"]))
        #expect(message.hasPrefix("policy.yaml:25: YAML syntax error: "), "\(message)")
        #expect(failureKind(policy(replacing: [24: "      - subject: [rechnung*, invoice*"])) == .syntax)
    }

    @Test func duplicateYAMLKey() {
        #expect(
            failure(policy(replacing: [7: "    period: 9 years"]))
                == "policy.yaml:7: key \"period\" is given twice in the same mapping")
    }

    @Test func emptyFile() {
        #expect(failure("") == "policy.yaml: the policy file is empty")
        #expect(failure("# only a comment\n") == "policy.yaml: the policy file is empty")
    }

    @Test func topLevelMustBeAMapping() {
        #expect(
            failure("- a\n- b\n")
                == "policy.yaml:1: the policy must be a mapping with the keys \"categories\" and \"rules\"")
    }

    @Test func categoriesMustBeAList() {
        #expect(
            failure("categories: invoice\nrules: []\n")
                == "policy.yaml:1: \"categories\" must be a non-empty list of categories")
        #expect(failure("rules: []\n") == "policy.yaml:1: the policy has no \"categories\"")
    }

    @Test func ownDomainsMustBeDomains() {
        #expect(
            failure(policy(appending: ["own-domains: [muster-hosting.de, info@muster-hosting.de]"]))
                == "policy.yaml:25: \"own-domains\" has \"info@muster-hosting.de\", which is not a domain such as \"example.de\""
        )
        #expect(
            (try? RetentionPolicy(yaml: policy(appending: ["own-domains: Muster-Hosting.DE"]), file: "p"))?.ownDomains
                == ["muster-hosting.de"])
    }

    @Test func vocabularyAnchorsCanBeReused() throws {
        let text = policy(
            replacing: [24: "      - subject: *words"],
            appending: ["vocabulary:", "  words: &words [rechnung*, invoice*]"])
        // An alias must follow its anchor: put the vocabulary first.
        let reordered =
            "vocabulary:\n  words: &words [rechnung*, invoice*]\n" + policy(replacing: [24: "      - subject: *words"])
        #expect(failureKind(text) == .syntax)
        let loaded = try RetentionPolicy(yaml: reordered, file: "p.yaml")
        #expect(loaded.rules[0].any == [.subject(try WordList(["rechnung*", "invoice*"]))])
        #expect(
            failure("vocabulary: [a]\n" + policy())
                == "policy.yaml:1: \"vocabulary\" must be a mapping of named word lists")
    }

    @Test func loadsFromFileAndNamesItInErrors() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("policy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = directory.appendingPathComponent("good.yaml")
        try policy().write(to: good, atomically: true, encoding: .utf8)
        #expect(try RetentionPolicy(contentsOf: good).categories.count == 2)

        let bad = directory.appendingPathComponent("bad.yaml")
        try policy(replacing: [8: "    perod: 8 years"]).write(to: bad, atomically: true, encoding: .utf8)
        #expect(throws: PolicyError.self) { try RetentionPolicy(contentsOf: bad) }
        do {
            _ = try RetentionPolicy(contentsOf: bad)
        } catch {
            #expect(error.description.hasPrefix(bad.path + ":8: category \"invoice\" has unknown key \"perod\""))
        }
        do {
            _ = try RetentionPolicy(contentsOf: directory.appendingPathComponent("missing.yaml"))
            Issue.record("a missing file loaded")
        } catch {
            #expect(error.kind == .unreadable)
            #expect(error.line == nil)
            #expect(
                error.description.hasPrefix(
                    directory.appendingPathComponent("missing.yaml").path + ": cannot read the policy file"))
        }
    }

    @Test func programmaticPolicyIsChecked() {
        let category = RetentionCategory(
            id: "a", title: "A", purpose: "A", legalBasis: LegalBasis(.consent), period: .years(1), start: .messageDate,
            duty: false, atEnd: .erase)
        #expect(throws: PolicyError.self) {
            try RetentionPolicy(name: "x", categories: [category], rules: [], fallbackCategory: "b")
        }
        #expect(throws: PolicyError.self) {
            try RetentionPolicy(name: "x", categories: [category, category], rules: [], fallbackCategory: "a")
        }
        #expect(throws: PolicyError.self) {
            try RetentionPolicy(
                name: "x", categories: [category],
                rules: [RetentionRule(id: "r", category: "zzz", why: "", any: [.sent(true)])], fallbackCategory: "a")
        }
        #expect((try? RetentionPolicy(name: "x", categories: [category], rules: [], fallbackCategory: "a")) != nil)
    }
}
