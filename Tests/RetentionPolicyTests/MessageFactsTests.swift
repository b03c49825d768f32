import Testing

@testable import RetentionPolicy

/// What the classifier reads from a message: reply markers and the text of HTML bodies.
@Suite struct MessageFactsTests {
    @Test func replyPrefixes() {
        for subject in ["Re: x", "RE: x", "AW: x", "Aw: x", "Antw: x", "SV: x", "Re[2]: x", "Re(3): x", "  re: x"] {
            #expect(MessageFacts.replyPrefix(of: subject) != nil, "\(subject)")
        }
        for subject in ["Rechnung: x", "WG: x", "Fwd: x", "Re x", "x Re: y", "Re[a]: x", ""] {
            #expect(MessageFacts.replyPrefix(of: subject) == nil, "\(subject)")
        }
    }

    @Test func htmlText() {
        let html =
            "<html><head><style>p { total: 0 }</style><script>var x = '<b>';</script></head>"
            + "<body><p>Ihre Rechnungs&shy;nummer: <b>4711</b> &ndash; L&ouml;schung &#228;&#xFC;&nbsp;&amp;</p></body></html>"
        let text = MessageFacts.textOfHTML(html)
        #expect(!text.contains("total"))
        #expect(!text.contains("var x"))
        #expect(text.contains("Ihre Rechnungsnummer:  4711  – Löschung äü &"))
        #expect(MessageFacts.textOfHTML("a &unknown; b &#99999999; <unclosed") == "a &unknown; b &#99999999; ")
    }
}
