import MailParsing
import PrivacyEvents

extension PseudonymKey {
    /// The pseudonyms of everyone a message's header names (From, Sender, Reply-To, To, Cc,
    /// Bcc: the people its events are about), and of its From addresses alone.
    func headerPseudonyms(of message: MailMessage) -> (everyone: Set<Pseudonym>, senders: Set<Pseudonym>) {
        var everyone = Set<Pseudonym>()
        var senders = Set<Pseudonym>()
        for field in [AddressField.from, .sender, .replyTo, .to, .cc, .bcc] {
            for address in message.addresses(field) where Self.hasAtSign(address.address) {
                let pseudonym = pseudonym(for: address.address)
                everyone.insert(pseudonym)
                if field == .from { senders.insert(pseudonym) }
            }
        }
        return (everyone, senders)
    }

    /// Whether `address` has an `@` of its own (not one a combining mark after it makes part of
    /// another character). An ASCII address is looked at byte by byte: there, every `@` is
    /// one; through Foundation's text search, that cost more per address than the parse.
    static func hasAtSign(_ address: String) -> Bool {
        if address.utf8.allSatisfy({ $0 < 0x80 }) { return address.utf8.contains(UInt8(ascii: "@")) }
        return address.contains("@")
    }
}
