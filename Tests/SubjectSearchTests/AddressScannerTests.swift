import Testing

@testable import SubjectSearch

@Suite struct AddressScannerTests {
    let bob = AddressScanner("bob@example.org")!

    @Test(arguments: [
        "bob@example.org",
        "Mail: bob@example.org.",
        "<BOB@Example.ORG>",
        "\"Bob\" <bob@example.org>, jim@example.org",
        "schreib an 'bob@example.org' oder",
        "https://x.example/?mail=bob@example.org&x=1",
        "mailto:bob@example.org",
        "(bob@example.org)",
        "bob@example.org\r\n",
        "Kontakt:bob@example.org;",
        // Her subaddresses reach her mailbox (issue 15).
        "bob+tag@example.org",
        "<Bob+News-2026@Example.org>",
        // The @ written as HTML and in URLs.
        "<a href=\"mailto:bob&#64;example.org\">",
        "bob&#x40;example.org",
        "bob&#0064;example.org",
        "bob&#x0040;example.org",
        "BOB&#X40;EXAMPLE.ORG",
        "bob&commat;example.org",
        "https://x.example/unsubscribe?mail=bob%40example.org&list=7",
        "mailto:bob%2540example.org",
        "mailto:bob+tag%40example.org",
        "bob%2Bnews%40example.org",
        "https://x.example/r?u%3Dbob%40example.org",
        "path%2Fbob%40example.org",
        "u%253Dbob%2540example.org",
        // Non-ASCII punctuation and spaces around it (a hostile review of issue 16).
        "\u{201C}bob@example.org\u{201D}",
        "\u{AB}bob@example.org\u{BB}",
        "an\u{A0}bob@example.org\u{A0}schreiben",
        "\u{FF08}bob@example.org\u{FF09}",
        "\u{2026}bob@example.org\u{3002}",
        "\u{9023}\u{7D61}\u{5148}bob@example.org",
    ])
    func findsTheAddress(text: String) {
        #expect(bob.occurs(in: text), "\(text)")
    }

    @Test(arguments: [
        "jimbob@example.org",
        "bob@example.org.evil",
        "bob@example.org.evil.com",
        "bob@example.organic.com",
        "bob@example.org-shop.de",
        "bob@sub.example.org",
        "jim.bob@example.org",
        "jim_bob@example.org",
        "jim-bob@example.org",
        "jimbob+tag@example.org",
        "bob+@example.org",
        "x+bob@example.org",
        "jimbob%40example.org",
        "bob%40example.org.evil",
        "bob&#64;example.organic",
        "bob%4",
        "bob%40example.org%2Eevil.com",
        "bob&#64;example.org&#46;evil.com",
        "bob@example.org%2devil.com",
        "jim%2Bbob%40example.org",
        "x%2Ebob%40example.org",
        "bob%41x%40example.org",
        "bob@example.orgx",
        "bob @example.org",
        // A non-ASCII letter continues the address.
        "\u{FC}bob@example.org",
        "bob@example.org\u{E9}",
        "",
        "bob",
    ])
    func doesNotOverReach(text: String) {
        #expect(!bob.occurs(in: text), "\(text)")
    }

    /// Text searched as its bytes in Latin-1 or Windows-1252: a byte that is not UTF-8 is read
    /// as one of their characters, a letter continuing the address, punctuation not.
    @Test func latin1BytesAroundTheAddress() {
        let address = Array("bob@example.org".utf8)
        #expect(bob.occurs(in: [0xAB] + address + [0xBB]))  // « »
        #expect(bob.occurs(in: [0x93] + address + [0x94]))  // “ ” in Windows-1252
        #expect(bob.occurs(in: [0xA0] + address + [0x2E]))  // no-break space
        #expect(!bob.occurs(in: [0x6A, 0xFC] + address))  // "jübob@"
        #expect(!bob.occurs(in: address + [0xE9]))  // "example.orgé"
    }

    /// `--exact-address`: her subaddresses are someone else's then; encoded forms stay hers.
    @Test func exactAddressesLeaveSubaddressesOut() throws {
        let exact = try #require(AddressScanner("bob@example.org", subaddresses: false))
        for text in ["bob+tag@example.org", "<Bob+News-2026@Example.org>", "mailto:bob+tag%40example.org", "bob%2Bnews%40example.org"] {
            #expect(!exact.occurs(in: text), "\(text)")
            #expect(!bob.exactly.occurs(in: text), "\(text)")
            #expect(bob.occurs(in: text), "\(text)")
        }
        for text in ["<BOB@Example.ORG>", "bob&#64;example.org", "mailto:bob%40example.org", "bob+tag@example.org, bob@example.org"] {
            #expect(exact.occurs(in: text), "\(text)")
        }
        #expect(!exact.findsSubaddresses && bob.findsSubaddresses)
    }

    @Test func findsOccurrencesAfterANearMiss() {
        #expect(bob.occurs(in: "jimbob@example.org and bob@example.org"))
        #expect(bob.occurs(in: "bob@example.org.evil, bob@example.org"))
    }

    @Test func rejectsWhatIsNotAnAddress() {
        for text in ["bob", "bob@", "@example.org", "bob@localhost", "bob smith@example.org", "<bob@example.org>", "a@x..org", "a@-x.org", "a@x-.org"] {
            #expect(AddressScanner(text) == nil, "\(text)")
        }
        #expect(AddressScanner("Bob@Example.ORG")?.address == "bob@example.org")
    }

    @Test func skipsBase64AtMemorySpeedButFindsTheAddressAtTheEnd() {
        var bytes = [UInt8](repeating: UInt8(ascii: "Q"), count: 1_000_000)
        bytes += Array(" bob@example.org".utf8)
        #expect(bob.occurs(in: bytes))
    }
}

@Suite struct NameMatcherTests {
    @Test func matchesCaseWhiteSpaceAndUmlautTransliteration() throws {
        let name = try #require(NameMatcher("Jürgen Müller"))
        #expect(name.occurs(in: "Mit freundlichen Grüßen\nJürgen  Müller"))
        #expect(name.occurs(in: "JUERGEN MUELLER, Geschäftsführer"))
        #expect(name.occurs(in: "jürgen\r\n müller"))
        #expect(!name.occurs(in: "Jürgen Müllermann"))
        #expect(!name.occurs(in: "HansJürgen Müller"))
        #expect(!name.occurs(in: "Müller, Jürgen"))
    }

    @Test func aNameWithoutLettersIsNoName() {
        #expect(NameMatcher("   ") == nil)
        #expect(NameMatcher("") == nil)
    }
}

@Suite struct AddressExtractorTests {
    @Test func findsEveryAddressOnceLowerCased() {
        let text = "Von: Bob <BOB@Example.org>, cc jim.bob+x@sub.example.net; mail me at bob@example.org. Not: @foo, a@b, x@localhost"
        #expect(AddressExtractor.addresses(in: text) == ["bob@example.org", "jim.bob+x@sub.example.net"])
    }

    @Test func trailingPunctuationIsNotPartOfTheDomain() {
        #expect(AddressExtractor.addresses(in: "write to alice@example.org.\n") == ["alice@example.org"])
        #expect(AddressExtractor.addresses(in: "(alice@example.org)") == ["alice@example.org"])
    }
}

/// One grammar for the local part (``AddressGrammar``): searching and extracting agree on
/// `o'brien@…`, and quotes and URL syntax around an address are not part of it.
@Suite struct AddressGrammarTests {
    @Test func anApostropheBetweenLettersIsPartOfTheAddress() {
        #expect(AddressExtractor.addresses(in: "Mail: o'brien@example.ie") == ["o'brien@example.ie"])
        #expect(AddressScanner("o'brien@example.ie")!.occurs(in: "To: Sean O'Brien <O'Brien@Example.IE>"))
        // Her neighbour brien@ is someone else: not found inside o'brien@.
        #expect(!AddressScanner("brien@example.ie")!.occurs(in: "Mail: o'brien@example.ie"))
    }

    @Test(arguments: [
        "'bob@example.org'", "mailto=bob@example.org", "{bob@example.org}", "`bob@example.org`", "?mail=bob@example.org&x=1",
        "\"bob@example.org\"", "<bob@example.org>", "(bob@example.org)",
    ])
    func quotesAndSyntaxAroundAnAddressAreNotPartOfIt(_ text: String) {
        #expect(AddressExtractor.addresses(in: text) == ["bob@example.org"])
        #expect(AddressScanner("bob@example.org")!.occurs(in: text))
    }
}

@Suite struct EnvelopeFormTests {
    @Test func findsTheAddressSplitAsIMAPEnvelopesHoldIt() {
        let scanner = AddressScanner("Alice@Example.org")!
        let cache = Array("((\"Alice Example\" NIL \"alice\" \"example.org\")) NIL".utf8)
        #expect(scanner.occursInEnvelope(cache))
        #expect(!scanner.occurs(in: cache))
        #expect(!scanner.occursInEnvelope(Array("(\"x\" NIL \"malice\" \"example.org\")".utf8)))
        #expect(!scanner.occursInEnvelope(Array("(\"x\" NIL \"alice\" \"example.org.evil\")".utf8)))
    }
}
