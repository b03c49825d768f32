import Foundation
import MailParsing
import Testing

@testable import RetentionPolicy

/// The tables the classifier compiles a policy into, and the byte-level shortcuts it takes.
@Suite struct CompiledPolicyTests {
    @Test func conditionsAreTriedCheapestFirst() throws {
        let compiled = CompiledPolicy(.builtIn)
        for rule in compiled.rules {
            let costs = rule.steps.map(\.cost)
            #expect(costs == costs.sorted(), "\(rule.rule.id)")
        }
        let invoiceBody = try #require(compiled.rules.first { $0.rule.id == "invoice-body" })
        #expect(invoiceBody.steps.count == 2)
    }

    @Test func equalWordListsAreSearchedOnce() {
        // "auftragsverarbeitung* …" is written three times in the built-in policy.
        let compiled = CompiledPolicy(.builtIn)
        let subjectLists = RetentionPolicy.builtIn.rules.flatMap { $0.all + $0.any + $0.none }.compactMap {
            if case .subject(let words) = $0 { return words } else { return nil }
        }
        #expect(compiled.subjectLists.count == Set(subjectLists).count)
        #expect(compiled.subjectLists.count < subjectLists.count)
    }

    @Test func folderFactsAreKeptPerName() {
        let compiled = CompiledPolicy(.builtIn)
        let junk = compiled.folder("Archive.Junk")
        #expect(compiled.folder("Archive.Junk") === junk)
        #expect(junk.levels == [Array("archive".utf8), Array("junk".utf8)])
        #expect(junk.holds.contains(true))
        #expect(!compiled.folder("INBOX").holds.contains(true))
    }

    @Test func replyPrefixOnBytesAgreesWithTheStrings() {
        let subjects = [
            "Re: x", "RE: x", "AW: x", "Re[2]: x", "Re(3): x", "  re: x", "\tRe: x", "Re\t: x", "Re : x", "Re[]: x",
            "Re[a]: x", "Re(2]: x", "Rechnung: x", "WG: x", "Re x", "", ":", "R: x", "Antwort: x", "Réponse: x",
            "Re\u{301}: x", "Re:\u{301} x", "\u{A0}Re: x", "Re\u{A0}: x", "0123456789AB: x", "Re",
        ]
        for subject in subjects {
            #expect(MessageFacts.hasReplyPrefix(subject) == (MessageFacts.replyPrefix(of: subject) != nil), "\(subject)")
        }
    }

    @Test func headerValuesOnBytesAgreeWithTheStrings() throws {
        let yaml = """
            version: 1
            name: header tests
            categories:
              - {id: a, title: A, purpose: a, basis: c, start: message-date, period: 1 year, duty: false, at-end: erase}
            fallback: a
            rules:
              - {id: is, category: a, why: is, all: [{header: X-Test, is: ["yes", "<>"]}]}
              - {id: starts, category: a, why: starts, all: [{header: X-Test, starts-with: ["yes,"]}]}
              - {id: contains, category: a, why: contains, all: [{header: X-Test, contains: ["score=7"]}]}
              - {id: is-not, category: a, why: is-not, all: [{header: X-Test, is-not: ["no"]}]}
            """
        let policy = try RetentionPolicy(yaml: yaml, file: "test.yaml")
        let classifier = Classifier(policy: policy)
        let values = [
            "yes", " YES ", "Yes; x=1", "yes ;", "<>", "no", "No ; reason", "Yes, score=7.2", "yes,\r\n score=7.2",
            "maybe", "nö", "yes\u{A0}", "", " \t ", "x score=7", "NO; score=7",
        ]
        for value in values {
            let message = try MailMessage(bytes: Array("From: a@b.de\r\nX-Test: \(value)\r\n\r\nbody\r\n".utf8))
            let result = classifier.classify(message, context: context())
            // The rules in the strings' own words.
            let unfolded = value.replacingOccurrences(of: "\r\n", with: "").trimmingCharacters(in: .whitespaces)
                .lowercased()
            let head = unfolded.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first
                .map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            let expected =
                ["yes", "<>"].contains(head)
                ? "is"
                : unfolded.hasPrefix("yes,")
                    ? "starts" : unfolded.contains("score=7") ? "contains" : head != "no" ? "is-not" : "fallback"
            #expect(result.rule == expected, "\(value)")
        }
    }
}
