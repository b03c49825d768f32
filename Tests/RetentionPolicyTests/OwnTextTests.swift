import Testing

@testable import RetentionPolicy

/// What a reply's author wrote, without the message it answers: the ways mail programs quote.
@Suite struct OwnTextTests {
    func own(_ body: String, subject: String = "Re: Auskunftsersuchen") -> String {
        String(decoding: OwnText.of(body: WordList.fold(body), subject: WordList.fold(subject)), as: UTF8.self)
    }

    @Test func thunderbirdAttributionInGerman() {
        let text = own("Guten Tag,\nbitte prüfen Sie die Rechnung.\n\nAm 15.02.19 um 10:35 schrieb Max Muster:\n> Bitte löschen Sie alle meine Daten.\n")
        #expect(text.contains("bitte prüfen sie die rechnung."))
        #expect(!text.contains("löschen"))
        #expect(!text.contains("schrieb"))
    }

    @Test func gmailAttributionWrappedOverTwoLines() {
        let german = own("Danke.\n\nAm Mo., 21. Apr. 2014 um 07:30 Uhr schrieb Jan Becker\n<jan@example.de>:\n\nhiermit verlange ich Auskunft nach Art. 15 DSGVO\n")
        #expect(german == "danke.\n\n")
        let english = own("Thanks.\n\nOn Tue, Mar 10, 2025 at 4:01 PM Sanne Jansen <\nsanne@example.org> wrote:\nunder Article 15 GDPR I request access\n")
        #expect(english.hasPrefix("thanks."))
        #expect(!english.contains("article 15"))
        // "Jan Becker <jan@example.de> schrieb am 12. März 2020 10:00:" (K-9, Apple Mail).
        let k9 = own("Ok.\nJan Becker <jan@example.de> schrieb am 12. März 2020 10:00:\nBitte löschen Sie meine Daten.\n")
        #expect(k9 == "ok.\n")
    }

    @Test func anAttributionNeedsADate() {
        // Prose with "schrieb" and a colon is the author's own text.
        let text = own("Wie ich Ihnen am Montag schrieb: die Daten sind gelöscht.\n")
        #expect(text.contains("die daten sind gelöscht"))
    }

    @Test func outlookSeparatorsAndHeaderBlocks() {
        let separator = own("Bitte ändern Sie die Anschrift.\n\n-----Ursprüngliche Nachricht-----\nVon: Max\nBetreff: Löschung meiner Daten\n")
        #expect(separator.hasPrefix("bitte ändern sie die anschrift."))
        #expect(!separator.contains("löschung"))
        let block = own("Please check the invoice.\n________________________________\nFrom: Max <max@example.org>\nSent: Saturday, August 22, 2015 1:37 PM\nSubject: Right to erasure request\nplease erase all personal data\n")
        #expect(!block.contains("erase"))
        #expect(block.contains("please check the invoice."))
        // web.de puts "Gesendet:" before "Von:".
        let webde = own("Termin passt.\nGesendet: Donnerstag, 01. September 2022 um 10:40 Uhr\nVon: \"Jens\" <jens@web.de>\nAn: Aylin\nBetreff: Datenschutz\nDatenschutzgründe\n")
        #expect(webde == "termin passt.\n")
        // On one line, as HTML mail reduced to text gives it.
        let html = own("bitte prüfen. von: max <max@example.org> gesendet: freitag betreff: löschung")
        #expect(!html.contains("löschung"))
        #expect(html.contains("bitte prüfen."))
    }

    @Test func quotedLinesAreLeftOutInlineAnswersKept() {
        let text = own("> Können Sie meine Daten löschen?\nJa, erledigt.\n  > Und die Backups?\nAuch die.\n")
        #expect(text == "ja, erledigt.\nauch die.\n")
    }

    @Test func aForwardKeepsWhatItForwards() {
        let body = "zur Info.\n\n-----Original Message-----\nFrom: Max\nSent: today\nPlease erase my personal data.\n"
        #expect(own(body, subject: "WG: Löschung").contains("please erase my personal data"))
        #expect(own(body, subject: "Fwd: erasure").contains("please erase my personal data"))
        #expect(!own(body, subject: "AW: WG: Löschung").contains("please erase"))
    }

    @Test func htmlBlockquotesAreRemoved() {
        let html = Array("<div>Neue Postfächer bitte.</div><BLOCKQUOTE type=\"cite\"><div>Löschen Sie <blockquote>alte</blockquote> meine Daten</div></blockquote><p>Gruß</p>".utf8)
        let text = String(decoding: OwnText.removingBlockquotes(html: html), as: UTF8.self)
        #expect(text == "<div>Neue Postfächer bitte.</div><p>Gruß</p>")
        // An element left open runs to the end; a tag that only starts like one is kept.
        #expect(String(decoding: OwnText.removingBlockquotes(html: Array("a<blockquote>b".utf8)), as: UTF8.self) == "a")
        #expect(String(decoding: OwnText.removingBlockquotes(html: Array("a<blockquotes>b".utf8)), as: UTF8.self) == "a<blockquotes>b")
    }
}
