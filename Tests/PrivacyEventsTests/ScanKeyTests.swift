import Testing

@testable import SQLiteLedger

/// `ScanKey` works on the keys' UTF-8 bytes through pointers; these tests hold it to what it
/// stored before (the forms are in ledgers already) and to reading back what it stores.
@Suite struct ScanKeyTests {
    static let keys = [
        "maildir:/srv/vmail/anna/Maildir:1794128400.M1P1.mx",
        "maildir:/srv/vmail/anna/Maildir:1794128400.M1P1.mx/copy.cur",
        "maildir:/srv/vmail/anna/Maildir:1794128400.M1P1.mx/copy2/x:y",
        "maildir:/srv/vmail/anna/Maildir/.Ablage/copy:1.M2P3.host",
        "mbox:/var/mail/anna:5f0c:0", "no-slash-or-colon", "", "/", ":", "/copy", "a/copy/b:c",
        "maildir:/srv/mail/Jürgen/Maildir:1794128400.M1P1.mx", "maildir:/srv/mail/Ju\u{308}rgen/Maildir:1794128400.M1P1.mx",
        "maildir:/m/📨/Maildir:1.M1P1.h,S=12,W=14", "maildir:/m/Maildir:é",
    ]
    static let items = [
        "cur/1794128400.M1P1.mx:2,S", "new/1794128400.M1P1.mx", "cur/1794128400.M1P1.mx", "tmp/1794128400.M1P1.mx:2,",
        "cur/other:2,S", "\u{1}c:2,S", "\u{1}", "", "cur/", "new/1.M1P1.h,S=12,W=14:2,RS", "cur/é:2,S", "cur/e\u{301}:2,S",
        "cur/1.M2P3.host:2,T", "cur/5f0c", "Cur/1794128400.M1P1.mx:2,S",
    ]

    @Test func splitsAtTheLastSlashBeforeTheFirstCopy() {
        #expect(ScanKey.split("maildir:/srv/vmail/anna/Maildir:1794128400.M1P1.mx") == ("maildir:/srv/vmail/anna/", "Maildir:1794128400.M1P1.mx"))
        #expect(ScanKey.split("maildir:/a/Maildir:1.M1P1.mx/copy.cur") == ("maildir:/a/", "Maildir:1.M1P1.mx/copy.cur"))
        #expect(ScanKey.split("a/copy/b") == ("", "a/copy/b"))
        #expect(ScanKey.split("plain") == ("", "plain"))
        for key in Self.keys {
            let (start, rest) = ScanKey.split(key)
            #expect(Array(start.utf8) + Array(rest.utf8) == Array(key.utf8), "\(key)")
        }
    }

    @Test func storesAMaildirItemByItsFolderAndFlagsOnly() {
        let key = "maildir:/srv/vmail/anna/Maildir:1794128400.M1P1.mx"
        #expect(ScanKey.uniqueName(in: key) == "1794128400.M1P1.mx")
        #expect(ScanKey.uniqueName(in: key + "/copy.cur") == "1794128400.M1P1.mx")
        #expect(ScanKey.storedItem("cur/1794128400.M1P1.mx:2,S", key: key) == "\u{1}c:2,S")
        #expect(ScanKey.storedItem("new/1794128400.M1P1.mx", key: key) == "\u{1}n")
        #expect(ScanKey.storedItem("cur/1794128400.M1P1.mx:2,S", key: key + "/copy.cur") == "\u{1}c:2,S")
        #expect(ScanKey.storedItem("\u{1}c", key: key) == "\u{1}=\u{1}c")
        #expect(ScanKey.storedItem("cur/other:2,S", key: key) == "cur/other:2,S")
    }

    /// Every stored item reads back as the item, byte for byte, for every key: NFC and NFD
    /// names, items that begin with the byte the stored form begins with, keys without a name.
    @Test func everyStoredItemReadsBack() {
        for key in Self.keys {
            for item in Self.items {
                let stored = ScanKey.storedItem(item, key: key)
                #expect(Array(ScanKey.item(stored: stored, key: key).utf8) == Array(item.utf8), "\(key) \(item)")
            }
        }
    }
}
