import Foundation
import TestSupport
import Testing

@testable import PrivacyEvents

@Suite struct PseudonymKeyTests {
    @Test func sameAddressSamePseudonymRegardlessOfCase() {
        let key = PseudonymKey(bytes: Array(repeating: 7, count: 32))
        #expect(key.pseudonym(for: "Alice@Example.ORG") == key.pseudonym(for: " <alice@example.org> "))
        #expect(key.pseudonym(for: "alice@example.org") != key.pseudonym(for: "bob@example.org"))
        #expect(key.pseudonym(for: "alice@example.org").rawValue.count == 64)
        #expect(!key.pseudonym(for: "alice@example.org").rawValue.contains("alice"))
    }

    /// The ledger's form of a Message-ID: keyed, normalised like an address, kept apart from an
    /// address written the same way.
    @Test func messageIDHashes() {
        let key = PseudonymKey(bytes: Array(repeating: 0x0b, count: 32))
        // HMAC-SHA-256(key = 32 x 0x0b, "message-id:abc.123@example.org"), from Python's hmac module.
        #expect(key.messageIDHash(for: "<ABC.123@example.org>") == "0a0180150cb4eac65d5ed84814567bccf493810f109b5437da14b994bac200f0")
        #expect(key.messageIDHash(for: " abc.123@example.org ") == key.messageIDHash(for: "<abc.123@example.org>"))
        #expect(key.messageIDHash(for: "<abc.123@example.org>") != key.pseudonym(for: "abc.123@example.org").rawValue)
        // Printable ASCII takes a path of its own over bytes; it normalises as the general one.
        for (id, form) in [("<Ab.1@X.Example>", "ab.1@x.example"), ("<>", ""), ("<a@b", "<a@b"), ("a@b>", "a@b>"), ("<<a@b>>", "<a@b>")] {
            #expect(PseudonymKey.normalise(id) == form, "\(id)")
            #expect(PseudonymKey.normalise(" \(id)\n") == form, "\(id) with white space")
        }
    }

    /// What local state seals (the scan index's Message-IDs) opens with the same key only.
    @Test func sealedTextOpensWithTheSameKeyOnly() {
        let key = PseudonymKey(bytes: Array(repeating: 7, count: 32))
        let sealed = key.seal("<rechnung-4711@lieferant.example>")
        #expect(sealed.hasPrefix("sealed:") && !sealed.contains("lieferant"))
        #expect(sealed != key.seal("<rechnung-4711@lieferant.example>"), "a fresh nonce each time")
        #expect(key.unseal(sealed) == "<rechnung-4711@lieferant.example>")
        #expect(PseudonymKey(bytes: Array(repeating: 8, count: 32)).unseal(sealed) == nil)
        #expect(key.unseal("sealed:AAAA") == nil)
        // Written before sealing: returned as it is.
        #expect(key.unseal("<old@example.org>") == "<old@example.org>")
    }

    @Test func differentKeysGiveDifferentPseudonyms() {
        let a = PseudonymKey(bytes: Array(repeating: 1, count: 32))
        let b = PseudonymKey(bytes: Array(repeating: 2, count: 32))
        #expect(a.pseudonym(for: "alice@example.org") != b.pseudonym(for: "alice@example.org"))
        #expect(a.fingerprint != b.fingerprint)
    }

    @Test func knownHMACValue() {
        // HMAC-SHA-256(key = 32 x 0x0b, "alice@example.org"), computed with Python's hmac module.
        let key = PseudonymKey(bytes: Array(repeating: 0x0b, count: 32))
        #expect(key.pseudonym(for: "alice@example.org").rawValue == KnownValues.aliceHMAC)
        #expect(key.pseudonym(for: "  <Alice@Example.org>").rawValue == KnownValues.aliceHMAC)
        let long = PseudonymKey(bytes: (0..<100).map { UInt8($0) })
        #expect(long.pseudonym(for: "alice@example.org").rawValue == KnownValues.aliceHMACLongKey)
    }

    @Test func createdOnFirstUseWithMode600AndReloaded() throws {
        let dir = try TemporaryDirectory()
        let url = dir.url.appendingPathComponent("state/pseudonym.key")
        let created = try PseudonymKey.loadOrCreate(at: url)
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let loaded = try PseudonymKey.loadOrCreate(at: url)
        #expect(created.pseudonym(for: "x@y.z") == loaded.pseudonym(for: "x@y.z"))
        #expect(created.fingerprint == loaded.fingerprint)
    }

    @Test func refusesAKeyOthersCanRead() throws {
        let dir = try TemporaryDirectory()
        let url = dir.url.appendingPathComponent("pseudonym.key")
        _ = try PseudonymKey.loadOrCreate(at: url)
        chmod(url.path, 0o644)
        #expect(throws: PseudonymKeyError.self) { try PseudonymKey.load(at: url) }
    }

    @Test func refusesAFileThatIsNotAKey() throws {
        let dir = try TemporaryDirectory()
        let url = try dir.write("pseudonym.key", "not hex at all\n")
        chmod(url.path, 0o600)
        do {
            _ = try PseudonymKey.load(at: url)
            Issue.record("accepted a bad key")
        } catch {
            #expect(error.description.contains("is not 64 hexadecimal digits"))
        }
    }
}
