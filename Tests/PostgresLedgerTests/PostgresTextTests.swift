@testable import PostgresLedger
import PrivacyEvents
import Testing

/// The text format of the arrays that carry a batch to the server and subjects back from it.
struct PostgresTextTests {
    static let awkward = ["plain", "", "a,b", "{braced}", #"quote "q""#, #"back\slash"#, "NULL", "with space", "e\u{301}\"\u{301}", "😀"]

    @Test func arraysRoundTrip() throws {
        #expect(try PostgresText.array(parsing: PostgresText.array(Self.awkward)) == Self.awkward)
        #expect(try PostgresText.array(parsing: PostgresText.array([String]())) == [])
        #expect(PostgresText.array([1, -2, Int64.max]) == "{1,-2,9223372036854775807}")
    }

    /// As the server prints them: unquoted where nothing needs quoting.
    @Test func readsTheServersFormat() throws {
        #expect(try PostgresText.array(parsing: "{}") == [])
        #expect(try PostgresText.array(parsing: "{a,b}") == ["a", "b"])
        #expect(try PostgresText.array(parsing: #"{"a b","c\"d","e\\f","",NULLS}"#) == ["a b", "c\"d", "e\\f", "", "NULLS"])
    }

    @Test(arguments: ["", "{", "a,b", "{a,NULL}", "{\"a}", "{a,}", "{\"a\"b}"])
    func refusesMalformedArrays(_ text: String) {
        #expect(throws: LedgerError.self) { try PostgresText.array(parsing: text) }
    }
}
