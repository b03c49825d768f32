import Foundation
import GRDB
import PrivacyEvents

/// The numbers the subject index and the scan index give pseudonyms (table `subject`): each
/// pseudonym stored once, as bytes (``CompactValue/hex(_:)``), and named by its number.
struct SubjectNumbers {
    private let find: Statement
    private let insert: Statement
    private let db: Database
    private final class Known { var numbers: [String: Int64] = [:] }
    private let known = Known()

    init(_ db: Database) throws {
        self.db = db
        find = try db.makeStatement(sql: "SELECT id FROM subject WHERE pseudonym = ?")
        insert = try db.makeStatement(sql: "INSERT INTO subject (pseudonym) VALUES (?)")
    }

    /// The number of `subject`, given it now if it has none.
    func number(of subject: Pseudonym) throws -> Int64 {
        if let number = known.numbers[subject.rawValue] { return number }
        let stored = CompactValue.hex(subject.rawValue)
        let number: Int64
        if let found = try Int64.fetchOne(find, arguments: [stored]) {
            number = found
        } else {
            try insert.execute(arguments: [stored])
            number = db.lastInsertedRowID
        }
        known.numbers[subject.rawValue] = number
        return number
    }

    /// The numbers of a list's pseudonyms, as the scan index keeps them (LEB128 each); nil when
    /// one is not a pseudonym privctl makes (the row then keeps the list as it is).
    func packed(_ list: PseudonymList) throws -> DatabaseValue? {
        var out: [UInt8] = []
        for subject in list.pseudonyms {
            guard case .blob = CompactValue.hex(subject.rawValue).storage, subject.rawValue.utf8.count == 64 else { return nil }
            LEB128.append(UInt64(bitPattern: try number(of: subject)), to: &out)
        }
        return Data(out).databaseValue
    }

    /// The numbers ``packed(_:)`` wrote; those after a damaged byte are left out.
    static func numbers(in data: Data) -> [Int64] {
        data.withUnsafeBytes { bytes in
            var numbers: [Int64] = []
            var index = 0
            while index < bytes.count, let value = LEB128.read(bytes, at: &index) { numbers.append(Int64(bitPattern: value)) }
            return numbers
        }
    }
}
