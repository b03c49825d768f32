import Foundation
import Testing

@testable import RetentionPolicy

@Suite struct WordListTests {
    func matched(_ patterns: [String], _ text: String) throws -> String? {
        try WordList(patterns).firstMatch(in: text)?.pattern
    }

    @Test func wholeWordByDefault() throws {
        #expect(try matched(["rechnung"], "Ihre Rechnung 2021-0042") == "rechnung")
        #expect(try matched(["rechnung"], "Rechnungsnr. 17") == nil)
        #expect(try matched(["rechnung"], "Berechnung der Kosten") == nil)
        #expect(try matched(["invoice"], "INVOICE") == "invoice")
    }

    @Test func prefixSuffixAndInfix() throws {
        #expect(try matched(["rechnung*"], "Rechnungsnr. 17") == "rechnung*")
        #expect(try matched(["rechnung*"], "Rechnungen für März") == "rechnung*")
        #expect(try matched(["rechnung*"], "Stromrechnung") == nil)
        #expect(try matched(["*rechnung"], "Ihre Stromrechnung") == "*rechnung")
        #expect(try matched(["*rechnung"], "Rechnung") == "*rechnung")
        #expect(try matched(["*rechnung"], "Rechnungsnr") == nil)
        #expect(try matched(["*rechnung*"], "Stromrechnungen") == "*rechnung*")
    }

    @Test func separatorsBetweenWords() throws {
        // Digits, underscores, hyphens, dots and brackets separate words.
        #expect(try matched(["rechnung"], "Rechnung_2021-0042.pdf") == "rechnung")
        #expect(try matched(["rechnung"], "RE-2021/Rechnung.pdf") == "rechnung")
        #expect(try matched(["invoice"], "invoice2021.pdf") == "invoice")
        #expect(try matched(["cv"], "CV_Anna_Schmidt.pdf") == "cv")
        #expect(try matched(["cv"], "cvs.pdf") == nil)
        #expect(try matched(["rechnung"], "[Rechnung]") == "rechnung")
    }

    @Test func umlautsAreLetters() throws {
        // "ü" is a letter, so "prüfung" does not contain the word "fung"; "Lösch" words match as written.
        #expect(try matched(["fung"], "Prüfung") == nil)
        #expect(try matched(["löschung*"], "LÖSCHUNG meiner Daten") == "löschung*")
        #expect(try matched(["löschung*"], "Antrag auf Löschung") == "löschung*")
        #expect(try matched(["bestätigung"], "Auftragsbestätigung") == nil)
        #expect(try matched(["*bestätigung"], "Auftragsbestätigung") == "*bestätigung")
        #expect(try matched(["straße"], "Hauptstraße") == nil)
    }

    @Test func transliterationsMatchUmlautPatterns() throws {
        #expect(try matched(["löschung*"], "Loeschung meiner Daten") == "löschung*")
        #expect(try matched(["kündigung*"], "KUENDIGUNG zum 31.12.") == "kündigung*")
        #expect(try matched(["straße"], "Musterstrasse 1, Strasse") == "straße")
    }

    @Test func decomposedUmlautsAreComposed() throws {
        let decomposed = "Lo\u{308}schung"  // o + combining diaeresis, as some Mac clients write
        #expect(try matched(["löschung"], decomposed) == "löschung")
    }

    @Test func phrasesTakeAnyRunOfSeparators() throws {
        #expect(try matched(["credit note*"], "Your credit  note no. 5") == "credit note*")
        #expect(try matched(["credit note*"], "credit-note_5.pdf") == "credit note*")
        #expect(try matched(["credit note*"], "credit\r\n note") == "credit note*")
        #expect(try matched(["credit note*"], "credit\u{A0}note") == "credit note*")
        #expect(try matched(["credit note*"], "creditnote") == nil)
        #expect(try matched(["art. 15"], "Auskunft nach Art. 15 DSGVO") == "art. 15")
        #expect(try matched(["art. 15"], "Art. 150") == "art. 15")  // digits are not letters: no boundary check
        #expect(try matched(["cron <"], "Cron <root@host> /usr/bin/backup") == "cron <")
    }

    @Test func firstPatternInTextOrderWins() throws {
        let words = try WordList(["invoice*", "rechnung*"])
        let match = try #require(words.firstMatch(in: "Rechnung / Invoice 42"))
        #expect(match.pattern == "rechnung*")
        let folded = WordList.fold("Rechnung / Invoice 42")
        #expect(String(decoding: folded[match.range], as: UTF8.self) == "rechnung")
    }

    @Test func matchRangeCoversWholeWords() throws {
        let text = "Die Rechnungsnummer lautet"
        let match = try #require(try WordList(["rechnung*"]).firstMatch(in: text))
        #expect(String(decoding: WordList.fold(text)[match.range], as: UTF8.self) == "rechnungsnummer")
        let inner = try #require(try WordList(["*rechnung*"]).firstMatch(in: "Stromrechnungen"))
        #expect(inner.range == 0..<15)
    }

    @Test func foldLowerCasesLikeUnicode() {
        for text in ["RECHNUNG", "ÄÖÜ äöü ß", "ÀÉÎÕÛ Þ ×", "ΣΊΣΥΦΟΣ", "ẞ", "Łódź", "İstanbul", "Ж", "emoji 🚀 OK", ""] {
            #expect(WordList.fold(text) == Array(text.lowercased().utf8), "\(text)")
        }
        #expect(WordList.fold("LO\u{308}SCHUNG") == Array("löschung".utf8))
    }

    @Test func rejectsEmptyAndInnerStars() {
        #expect(throws: WordPatternError.self) { try WordList(["*"]) }
        #expect(throws: WordPatternError.self) { try WordList(["**"]) }
        #expect(throws: WordPatternError.self) { try WordList(["  "]) }
        #expect(throws: WordPatternError.self) { try WordList(["re*ch"]) }
    }

    @Test func emptyTextAndEdges() throws {
        #expect(try matched(["a"], "") == nil)
        #expect(try matched(["ab"], "a") == nil)
        #expect(try matched(["é"], "é") == "é")
        #expect(try matched(["rechnung"], "rechnung") == "rechnung")
    }

    /// Texts where words of the lists below meet separators, umlauts, boundaries and ends.
    static let setTexts: [String] = [
        "", "a", "Ihre Rechnung 2021-0042", "Berechnung der Kosten", "Stromrechnungen", "Rechnungsnr. 17",
        "Re: Angebot für Sie", "Sonderangebot!", "LÖSCHUNG meiner Daten", "loeschung meiner daten",
        "Auskunft nach Art. 15 DSGVO", "auskunft\u{A0}nach art. 15", "auskunft-nach_art 15", "cv", "CV_Anna.pdf",
        "Prüfung", "total", "Total:", "xtotal", "invoice #42", "invoice#42", "zahlung   erhalten", "e", "é",
        "ÄÖÜ äöü ß", "Gewinn- und Verlustrechnung", "Mwst. 19 %", "USt-IdNr", "ende mit rechnung",
    ]

    static let setLists: [[String]] = [
        ["rechnung*", "*rechnung", "invoice*", "invoice #"], ["angebot", "*angebot"], ["löschung*", "löschen"],
        ["auskunft nach art*", "art. 15"], ["cv", "curriculum vitae"], ["total", "mwst*", "ust*"],
        ["zahlung erhalten"], ["e"], ["é"], ["gewinn- und verlustrechnung"], ["fung"],
    ]

    @Test func setFindsWhatEachListFinds() throws {
        let lists = try WordListTests.setLists.map { try WordList($0) }
        let set = WordListSet(lists)
        for text in WordListTests.setTexts {
            let folded = WordList.fold(text)
            let matches = set.matches(inFolded: folded)
            for (index, list) in lists.enumerated() {
                #expect(matches.contains(index) == (list.firstMatch(inFolded: folded) != nil), "\(text) \(list.patterns)")
            }
        }
    }

    @Test func setOfManyLists() throws {
        // More than 64 lists: the matches no longer fit one word.
        let lists = try (0..<70).map { try WordList(["w\($0)x"]) }
        let matches = WordListSet(lists).matches(inFolded: WordList.fold("a w3x b w66x"))
        #expect((0..<70).filter { matches.contains($0) } == [3, 66])
    }

    @Test func foldOfBytesIsFoldOfTheString() {
        for text in WordListTests.setTexts + ["LO\u{308}SCHUNG", "ΣΊΣΥΦΟΣ", "İstanbul", "Ж 🚀 ẞ", "Àß×Þ"] {
            var out: [UInt8] = [0x41]
            Array(text.utf8).withUnsafeBufferPointer { WordList.fold(utf8: $0, appendingTo: &out) }
            #expect(out == [0x41] + Array(text.lowercased().precomposedStringWithCanonicalMapping.utf8), "\(text)")
        }
    }
}
