import MailParsing
import PrivacyEvents

extension PseudonymKey {
    /// The pseudonyms of everyone a message's header names (From, Sender, Reply-To, To, Cc,
    /// Bcc: the people its events are about), and of its From addresses alone.
    func headerPseudonyms(of message: MailMessage) -> (everyone: Set<Pseudonym>, senders: Set<Pseudonym>) {
        var everyone = Set<Pseudonym>()
        var senders = Set<Pseudonym>()
        for field in [AddressField.from, .sender, .replyTo, .to, .cc, .bcc] {
            // (An `@` byte, looked for as a byte: through Foundation, the search cost more per
            // address than the parse that found it.)
            for address in message.addresses(field) where address.address.utf8.contains(UInt8(ascii: "@")) {
                let pseudonym = pseudonym(for: address.address)
                everyone.insert(pseudonym)
                if field == .from { senders.insert(pseudonym) }
            }
        }
        return (everyone, senders)
    }
}
