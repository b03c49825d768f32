import PrivacyEvents
import Testing

@testable import RetentionPolicy

/// The default policy says what the deletion concept promises.
@Suite struct BuiltInPolicyTests {
    let policy = RetentionPolicy.builtIn

    @Test func builtInPolicyLoads() throws {
        let reloaded = try RetentionPolicy(yaml: RetentionPolicy.builtInYAML, file: "builtin.yaml")
        #expect(reloaded.fingerprint == policy.fingerprint)
        #expect(policy.fallbackCategory == "unclassified")
        #expect(policy.ownDomains.isEmpty)
        #expect(policy.privateMailDomains.contains("gmx.de"))
    }

    @Test func categoriesInOrder() {
        #expect(
            policy.categories.map(\.id) == [
                "accounting-document", "business-letter", "annual-accounts", "job-application", "inquiry",
                "privacy-request", "newsletter", "system-mail", "spam", "personal", "unclassified",
            ])
    }

    struct Expected: Sendable, CustomTestStringConvertible {
        var id: String
        var period: RetentionPeriod
        var start: PeriodStart
        var duty: Bool
        var atEnd: EndAction
        var basis: LawfulBasis
        var lawMentions: [String]
        var backup: RetentionPeriod? = nil
        var testDescription: String { id }
    }

    @Test(arguments: [
        Expected(
            id: "accounting-document", period: .years(8), start: .endOfYear, duty: true, atEnd: .erase,
            basis: .legalObligation, lawMentions: ["AO §147(1) Nr. 4", "BEG IV", "HGB §257(1) Nr. 4", "UStG §14b"]),
        Expected(
            id: "business-letter", period: .years(6), start: .endOfYear, duty: true, atEnd: .erase,
            basis: .legalObligation, lawMentions: ["HGB §257(1) Nr. 2-3", "AO §147(1) Nr. 2-3"]),
        Expected(
            id: "annual-accounts", period: .years(10), start: .endOfYear, duty: true, atEnd: .erase,
            basis: .legalObligation, lawMentions: ["HGB §257(1) Nr. 1", "AO §147(1) Nr. 1"]),
        Expected(
            id: "job-application", period: .months(3), start: .event("application-decision"), duty: false,
            atEnd: .erase, basis: .contract, lawMentions: ["BDSG §26", "AGG §15(4)", "ArbGG §61b"]),
        Expected(
            id: "inquiry", period: .years(2), start: .messageDate, duty: false, atEnd: .erase, basis: .contract,
            lawMentions: ["6(1)(f)"]),
        Expected(
            id: "privacy-request", period: .years(3), start: .endOfYear, duty: false, atEnd: .erase,
            basis: .legitimateInterests, lawMentions: ["Art. 5(2)", "BGB §195"]),
        Expected(
            id: "newsletter", period: .years(1), start: .messageDate, duty: false, atEnd: .erase,
            basis: .legitimateInterests, lawMentions: []),
        Expected(
            id: "system-mail", period: .days(7), start: .messageDate, duty: false, atEnd: .erase,
            basis: .legitimateInterests, lawMentions: [], backup: .days(21)),
        Expected(
            id: "spam", period: .days(30), start: .messageDate, duty: false, atEnd: .erase,
            basis: .legitimateInterests, lawMentions: []),
        Expected(
            id: "personal", period: .years(1), start: .messageDate, duty: false, atEnd: .review,
            basis: .legitimateInterests, lawMentions: []),
        Expected(
            id: "unclassified", period: .years(6), start: .endOfYear, duty: false, atEnd: .review,
            basis: .legitimateInterests, lawMentions: []),
    ])
    func category(expected: Expected) throws {
        let category = try #require(policy.category(expected.id))
        #expect(category.period == expected.period)
        #expect(category.start == expected.start)
        #expect(category.duty == expected.duty)
        #expect(category.atEnd == expected.atEnd)
        #expect(category.legalBasis.lawfulBasis == expected.basis)
        #expect(category.backupPeriod == expected.backup)
        for mention in expected.lawMentions {
            #expect(category.legalBasis.retentionLaw?.contains(mention) == true, "\(mention)")
        }
        #expect(!category.title.isEmpty)
        #expect(!category.purpose.isEmpty)
    }

    @Test func rulesComeInTheDocumentedOrder() {
        let ids = policy.rules.map(\.id)
        func position(_ id: String) -> Int { ids.firstIndex(of: id) ?? .max }
        // Filters and people before programs, programs before lists, lists before content.
        #expect(position("spam-flag") < position("private-folder"))
        #expect(position("private-folder") < position("delivery-report"))
        #expect(position("auto-submitted") < position("mailing-list"))
        #expect(position("bulk-mail") < position("privacy-request"))
        #expect(position("privacy-request-body") < position("job-application"))
        #expect(position("job-application") < position("annual-accounts"))
        #expect(position("annual-accounts") < position("invoice-attachment"))
        #expect(position("invoice-body") < position("business-transaction"))
        #expect(position("noreply-notification") < position("business-correspondence"))
        #expect(position("business-correspondence") < position("business-direct"))
        #expect(position("business-direct") < position("formal-correspondence"))
        #expect(position("formal-correspondence") < position("service-correspondence"))
        #expect(position("service-correspondence") < position("service-address"))
        #expect(ids.last == "privacy-thread")
        for rule in policy.rules {
            #expect(policy.category(rule.category) != nil, "\(rule.id)")
            #expect(!rule.why.isEmpty, "\(rule.id)")
            #expect(rule.line != nil, "\(rule.id)")
        }
    }

    @Test func everyCategoryButTheFallbackHasARule() {
        let ruled = Set(policy.rules.map(\.category))
        for category in policy.categories where category.id != policy.fallbackCategory {
            #expect(ruled.contains(category.id), "\(category.id)")
        }
    }

    @Test func sourceIsPrintableAsAnExample() {
        let text = RetentionPolicy.builtInYAML
        #expect(text.hasPrefix("# privctl retention policy"))
        #expect(!text.contains("\t"))
    }
}
