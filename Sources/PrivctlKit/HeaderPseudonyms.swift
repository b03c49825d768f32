import MailParsing
import PrivacyEvents

extension PseudonymKey {
    /// The pseudonyms of everyone a message's header names (From, Sender, Reply-To, To, Cc,
    /// Bcc: the people its events are about), and of its From addresses alone.
    func headerPseudonyms(of message: MailMessage) -> (everyone: Set<Pseudonym>, senders: Set<Pseudonym>) {
        var everyone = Set<Pseudonym>()
        var senders = Set<Pseudonym>()
        for field in [AddressField.from, .sender, .replyTo, .to, .cc, .bcc] {
            for address in message.addresses(field) where address.address.contains("@") {
                let pseudonym = pseudonym(for: address.address)
                everyone.insert(pseudonym)
                if field == .from { senders.insert(pseudonym) }
            }
        }
        return (everyone, senders)
    }
}
