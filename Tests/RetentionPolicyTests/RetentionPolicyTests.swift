import PrivacyEvents
import Testing

@testable import RetentionPolicy

/// The policy as a whole: its fingerprint and lookups.
@Suite struct RetentionPolicyTests {
    let base = """
        version: 1
        own-domains: [muster-hosting.de]
        categories:
          - id: invoice
            title: Invoices
            purpose: Bookkeeping
            basis: art6-1-c
            start: end-of-year
            period: 8 years
            duty: true
            at-end: erase
          - id: unclassified
            title: Unclassified
            purpose: Review
            basis: f
            start: message-date
            period: 6 years
            duty: false
            at-end: review
        rules:
          - id: invoice-subject
            category: invoice
            why: The subject names an invoice.
            any:
              - subject: [rechnung*, invoice*]

        """

    func fingerprint(_ yaml: String) throws -> String { try RetentionPolicy(yaml: yaml, file: "p.yaml").fingerprint }

    @Test func fnv1aTestVectors() {
        #expect(RetentionPolicy.fnv1a64Hex("") == "cbf29ce484222325")
        #expect(RetentionPolicy.fnv1a64Hex("a") == "af63dc4c8601ec8c")
        #expect(RetentionPolicy.fnv1a64Hex("foobar") == "85944171f73967e8")
    }

    @Test func fingerprintIgnoresCommentsLayoutAndKeyOrder() throws {
        let original = try fingerprint(base)
        #expect(original.count == 16)
        #expect(original.allSatisfy { $0.isHexDigit })
        let commented =
            "# my policy\n"
            + base.replacingOccurrences(of: "    period: 8 years", with: "    period: 8 years   # AO §147")
        #expect(try fingerprint(commented) == original)
        let flow = base.replacingOccurrences(
            of: "      - subject: [rechnung*, invoice*]",
            with: "      - subject:\n          - rechnung*\n          - invoice*")
        #expect(try fingerprint(flow) == original)
        let reordered = base.replacingOccurrences(
            of: "    start: end-of-year\n    period: 8 years", with: "    period: 8 years\n    start: end-of-year")
        #expect(try fingerprint(reordered) == original)
        // The same period spelt differently means the same.
        #expect(try fingerprint(base.replacingOccurrences(of: "8 years", with: "96 months")) == original)
        #expect(
            try fingerprint(base.replacingOccurrences(of: "basis: art6-1-c", with: "basis: \"Art. 6(1)(c)\""))
                == original)
    }

    @Test func fingerprintChangesWithMeaning() throws {
        let original = try fingerprint(base)
        let changes = [
            ("8 years", "10 years"),
            ("end-of-year", "message-date"),
            ("duty: true", "duty: false"),
            ("at-end: erase", "at-end: review"),
            ("rechnung*", "rechnung"),
            ("[rechnung*, invoice*]", "[invoice*, rechnung*]"),
            ("any:", "all:"),
            ("muster-hosting.de", "example.de"),
            ("Bookkeeping", "Book-keeping"),
            ("basis: art6-1-c", "basis: art6-1-b"),
        ]
        var seen: Set<String> = [original]
        for (old, new) in changes {
            let changed = try fingerprint(base.replacingOccurrences(of: old, with: new))
            #expect(!seen.contains(changed), "\(old) → \(new)")
            seen.insert(changed)
        }
    }

    @Test func builtInFingerprintIsStable() {
        // Changing the built-in policy changes this value on purpose: classifications recorded
        // under the old fingerprint are then known to be stale. Update it with the change.
        #expect(RetentionPolicy.builtIn.fingerprint.count == 16)
        #expect(RetentionPolicy.builtIn.fingerprint == (try? fingerprint(RetentionPolicy.builtInYAML)))
    }

    @Test func lookups() throws {
        let policy = try RetentionPolicy(yaml: base, file: "p.yaml")
        #expect(policy.category("invoice")?.title == "Invoices")
        #expect(policy.category("nope") == nil)
        #expect(policy.rule("invoice-subject")?.category == "invoice")
        #expect(policy.rule("nope") == nil)
        #expect(policy.ownDomains == ["muster-hosting.de"])
        #expect(policy.name == "retention policy")
    }
}
