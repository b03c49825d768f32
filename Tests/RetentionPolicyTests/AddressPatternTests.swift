import Testing

@testable import RetentionPolicy

@Suite struct AddressPatternTests {
    @Test func addressPatterns() throws {
        func match(_ pattern: String, _ address: String) throws -> Bool {
            try #require(AddressPattern(pattern)).matches(address)
        }
        #expect(try match("root@", "root@server1.muster-hosting.de"))
        #expect(try match("root", "root@server1.muster-hosting.de"))
        #expect(try !match("root", "rooter@example.com"))
        #expect(try match("mailer-daemon", "MAILER-DAEMON"))
        #expect(try match("MAILER-DAEMON", "mailer-daemon@mx.example.org"))
        #expect(try match("*noreply*", "shop-noreply@example.com"))
        #expect(try !match("*noreply*", "info@noreply.example.com"))
        #expect(try match("@example.com", "a@example.com"))
        #expect(try match("@example.com", "a@mail.example.com"))
        #expect(try !match("@example.com", "a@badexample.com"))
        #expect(try match("billing@example.com", "Billing@Example.com"))
        #expect(try match("*@newsletter.*", "info@newsletter.shop.de"))
        #expect(AddressPattern("") == nil)
        #expect(AddressPattern("@") == nil)
    }
}
