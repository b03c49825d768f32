import TestSupport
import Testing

@testable import RetentionPolicy

/// Folder names: sent folders, levels, IMAP's modified UTF-7.
@Suite struct MessageContextTests {
    @Test func sentFolderNames() {
        for folder in ["Sent", "INBOX.Sent", "Sent Items", "Gesendete Objekte", "Gesendet", "sent-mail"] {
            #expect(MessageContext.isSentFolder(folder), "\(folder)")
        }
        #expect(MessageContext.isSentFolder("Sent.mbox"))
        #expect(MessageContext.folderLevels("Archive.2019.mbox") == ["archive", "2019"])
        #expect(MessageContext.folderLevels("mbox") == ["mbox"])
        for folder in ["INBOX", "Sent.Old", "Archive.2019", "Drafts", "INBOX.mbox"] {
            #expect(!MessageContext.isSentFolder(folder), "\(folder)")
        }
        #expect(MessageContext(folder: "Ausgang", isSent: true, deliveryDate: testDelivery).isSent)
    }

    @Test func imapFolderNames() {
        #expect(MessageContext.decodedFolderName("Gel&APY-schte Elemente") == "Gelöschte Elemente")
        #expect(MessageContext.decodedFolderName("Pers&APY-nlich") == "Persönlich")
        #expect(MessageContext.decodedFolderName("A&-B") == "A&B")
        #expect(MessageContext.decodedFolderName("&U,BTFw-") == "\u{53F0}\u{5317}")
        #expect(MessageContext.decodedFolderName("broken&") == "broken&")
        #expect(MessageContext.decodedFolderName("INBOX") == "INBOX")
        let result = Classifier(policy: .builtIn).classify(
            MessageBuilder(subject: "Rechnung").message, context: context("INBOX.Pers&APY-nlich"))
        #expect(result.category == "personal")
        #expect(
            result.explanation.contains("rule \"private-folder\": folder \"INBOX.Persönlich\" matches \"Persönlich\""))
    }
}
