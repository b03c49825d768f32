import ArgumentParser
import PrivctlKit

/// Who or what to look for: options shared by erase, block, unblock and hold.
struct SubjectOptions: ParsableArguments {
    @Option(name: .customLong("subject"), help: ArgumentHelp(
        "The person's e-mail address; repeatable. Matched case-insensitively as a whole address (and her subaddresses, LOCAL+TAG@DOMAIN, unless --exact-address) in every header and in decoded text.",
        valueName: "address"))
    var addresses: [String] = []

    @Flag(name: .customLong("exact-address"), help: "Do not count subaddresses (alice+news@…) as the --subject address.")
    var exactAddresses = false
    @Option(name: .customLong("name"), help: ArgumentHelp(
        "The person's name (\"Vorname Nachname\"), also matched in headers and text; repeatable.", valueName: "name"))
    var names: [String] = []

    @Flag(name: .customLong("name-allow-single"), help: "Accept a --name of one word (it finds everyone called that).")
    var allowSingleWordNames = false

    @Option(name: .customLong("message-id"), help: ArgumentHelp("A single message by Message-ID; repeatable.", valueName: "id"))
    var messageIDs: [String] = []

    @Option(name: .customLong("sha256"), help: ArgumentHelp(
        "A single message by the SHA-256 of its stored bytes (as receipts list it); repeatable.", valueName: "hash"))
    var hashes: [String] = []

    /// Whether anything is named.
    var isEmpty: Bool { addresses.isEmpty && names.isEmpty && messageIDs.isEmpty && hashes.isEmpty }

    /// The selection, or a one-line usage error.
    func selection() throws -> SubjectSelection {
        do {
            return try SubjectSelection(
                addresses: addresses, names: names, messageIDs: messageIDs, contentHashes: hashes,
                allowSingleWordNames: allowSingleWordNames, exactAddresses: exactAddresses)
        } catch {
            throw ValidationError("\(error)")
        }
    }
}
