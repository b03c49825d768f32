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

    @Test func proseIsNoAttribution() {
        // Prose with "schrieb" and a colon goes on after the colon: not an attribution.
        #expect(own("Wie ich Ihnen am Montag schrieb: die Daten sind gelöscht.\n").contains("die daten sind gelöscht"))
        #expect(own("wie ich Ihnen bereits am 03.02.2025 schrieb: Ich verlange Auskunft.\n").contains("ich verlange auskunft"))
        #expect(own("Dear Max,\non 3 March 2025 you wrote: please erase my data. We have done so.\n").contains("we have done so"))
    }

    @Test func outlookSeparatorsAndHeaderBlocks() {
        let separator = own("Bitte ändern Sie die Anschrift.\n\n-----Ursprüngliche Nachricht-----\nVon: Max\nBetreff: Löschung meiner Daten\n")
        #expect(separator.hasPrefix("bitte ändern sie die anschrift."))
        #expect(!separator.contains("löschung"))
        let block = own("Please check the invoice.\n________________________________\nFrom: Max <max@example.org>\nSent: Saturday, August 22, 2015 1:37 PM\nSubject: Right to erasure request\nplease erase all personal data\n")
        #expect(!block.contains("erase"))
        #expect(block.contains("please check the invoice."))
        // web.de puts "Gesendet:" before "Von:".
        let webde = own("Termin passt.\nGesendet: Donnerstag, 01. September 2022 um 10:40 Uhr\nVon: \"Jens\" <jens@web.de>\nAn: Aylin\nBetreff: Löschung\n")
        #expect(webde == "termin passt.\n")
        // A letter pasted with its memo header, and labels inside other words, are the author's.
        #expect(own("Von: Max Muster\nAn: Datenschutz\nDatum: 3.3.2025\n\nIch verlange Auskunft.\n").contains("ich verlange auskunft"))
        #expect(own("Anbei mein CV.\nAvailable from: May 2025\nEarliest start date: June\nMy application\n").contains("my application"))
    }

    @Test func anHTMLAnswerBelowOrBetweenQuotesIsKept() {
        let html = "<div>Am 11.03.25 um 09:30 schrieb Support:</div><blockquote type=\"cite\">Wie können wir helfen?</blockquote><div>Bitte löschen Sie meine Daten.</div>"
        let lines = MessageFacts.textOfHTML(bytes: OwnText.removingBlockquotes(html: Array(html.utf8)), lineBreaks: true)
        let text = String(decoding: OwnText.of(body: WordList.fold(String(decoding: lines, as: UTF8.self)), subject: []), as: UTF8.self)
        #expect(text.contains("bitte löschen sie meine daten."))
        #expect(!text.contains("helfen"))
    }

    @Test func outlookHTMLInTheLinesAReaderSees() {
        let html = "<div>Bitte prüfen.</div><div><b>Von:</b> Max<br><b>Gesendet:</b> Freitag<br>Betreff: Löschung</div><p>Bitte löschen Sie meine Daten.</p>"
        let lines = MessageFacts.textOfHTML(bytes: Array(html.utf8), lineBreaks: true)
        let text = String(decoding: OwnText.of(body: WordList.fold(String(decoding: lines, as: UTF8.self)), subject: []), as: UTF8.self)
        #expect(text.contains("bitte prüfen."))
        #expect(!text.contains("löschen"))
        // Without line breaks, the same HTML is one line (how rules of the whole body read it).
        #expect(!MessageFacts.textOfHTML(bytes: Array(html.utf8)).contains(0x0A))
    }

    @Test func theSignatureGoes() {
        let text = own("Guten Tag,\nbitte prüfen Sie die Rechnung.\n\nMit freundlichen Grüßen\nMax Muster\nHinweise zum Datenschutz: Art. 13 DSGVO\n")
        #expect(text.contains("bitte prüfen sie die rechnung."))
        #expect(!text.contains("dsgvo"))
        #expect(!own("Passt.\n-- \nMax\nDatenschutz: https://example.org/dsgvo\n").contains("dsgvo"))
        // A closing before any text is no signature.
        #expect(own("Viele Grüße,\nich bitte um Löschung.\n").contains("löschung"))
        // Closings of two languages, and a postscript after the signature.
        #expect(!own("Passt.\nMit freundlichen Grüßen / Kind regards\nMax\nDSGVO-Hinweis\n").contains("dsgvo"))
        #expect(!own("Fine.\nThanks and regards,\nMax\nGDPR notice\n").contains("gdpr"))
        let postscript = own("Guten Tag,\ndanke.\nViele Grüße\nMax\nTel. 040 123\nPS: Bitte löschen Sie meine Daten.\n")
        #expect(postscript.contains("ps: bitte löschen sie meine daten."))
        #expect(!postscript.contains("tel."))
    }

    @Test func listsInTheAuthorsTextAreNoQuote() {
        // A call the author lists, with "Datum:" and "Von:" but no subject line.
        let calls = own("Guten Tag,\nich erhielt einen Werbeanruf:\nDatum: 03.02.2025\nVon: 040 555 123\nIch widerspreche der Verarbeitung meiner Daten.\n")
        #expect(calls.contains("ich widerspreche der verarbeitung"))
        // "am 3. Februar 2025 schrieb ich Ihnen Folgendes:" is the author speaking.
        let reminder = own("Guten Tag,\nam 3. Februar 2025 schrieb ich Ihnen Folgendes:\nIch verlange Auskunft nach Art. 15 DSGVO.\n")
        #expect(reminder.contains("ich verlange auskunft"))
    }

    @Test func anInlineAnswerBetweenQuotesIsKept() {
        let text = own("Am 11.03.25 um 09:30 schrieb Support:\n> Sehr geehrte Frau Roth,\n> wie können wir helfen?\n\nIch verlange Auskunft nach Art. 15 DSGVO.\n\n> Mit freundlichen Grüßen\n")
        #expect(text.contains("ich verlange auskunft nach art. 15 dsgvo."))
        #expect(!text.contains("schrieb"))
        #expect(!text.contains("helfen"))
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
        #expect(text == "<div>Neue Postfächer bitte.</div><br>&gt;<br><p>Gruß</p>")
        // An element left open runs to the end; a tag that only starts like one is kept.
        #expect(String(decoding: OwnText.removingBlockquotes(html: Array("a<blockquote>b".utf8)), as: UTF8.self) == "a<br>&gt;<br>")
        #expect(String(decoding: OwnText.removingBlockquotes(html: Array("a<blockquotes>b".utf8)), as: UTF8.self) == "a<blockquotes>b")
    }
}
