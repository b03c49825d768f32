import ArgumentParser
import Foundation
import PrivctlKit

/// `privctl key`: the pseudonym key, the same on every host of a fleet.
struct KeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "Show, export and import the pseudonym key that turns addresses into pseudonyms.",
        discussion: """
            The ledger names people only by a keyed hash of their address. Every host that \
            writes to one fleet ledger must use the same key, or one person becomes a different \
            pseudonym on each host and a request made on one host finds nothing on another. \
            Make the key on one host, then carry it to the others over a channel you trust:

              mx1$ privctl key export /root/privctl.key   (mode 0600)
              mx2$ privctl key import /root/privctl.key
              mx2$ privctl key show               (the same fingerprint on both)

            A key file that group or others can read is refused.
            """,
        subcommands: [KeyShowCommand.self, KeyExportCommand.self, KeyImportCommand.self]
    )
}

/// `privctl key show`.
struct KeyShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Print the key's fingerprint (not the key) and where it is.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let key = try global.context().key()
        let path = try global.environment.keyURL.path
        TextOutput.standardOutput.line(global.json ? key.json(path: path) : "\(key.fingerprint)  \(path)")
        TextOutput.standardOutput.flush()
    }
}

/// `privctl key export FILE`.
struct KeyExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write this host's pseudonym key to FILE (mode 0600), for `privctl key import` on another host.",
        discussion: "An existing FILE holding another key is not overwritten.")

    @Argument(help: ArgumentHelp("Where to write the key.", valueName: "file"))
    var file: String

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let key = try global.context().key()
        try PseudonymKey.copyKeyFile(from: global.environment.keyURL, to: URL(fileURLWithPath: file))
        printKeyResult(json: global.json, key: key, path: file, changed: true, text: "exported pseudonym key \(key.fingerprint) to \(file)")
    }
}

/// `privctl key import FILE`.
struct KeyImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Make the key in FILE this host's pseudonym key.",
        discussion: """
            FILE must be readable by its owner only (chmod 600). Importing the key this host \
            already has changes nothing. A host that already has another key keeps it unless \
            --force is given (the old key is then kept beside it as pseudonym.key.FINGERPRINT.replaced); \
            its ledger then refuses the new key, because the pseudonyms it \
            recorded were made with the old one (use a fresh ledger, or import before the first run).
            """)

    @Argument(help: ArgumentHelp("The key file written by `privctl key export`.", valueName: "file"))
    var file: String

    @Flag(help: "Replace another key this host already has.")
    var force = false

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let result = try PseudonymKey.copyKeyFile(from: URL(fileURLWithPath: file), to: global.environment.keyURL, replacing: force)
        let path = try global.environment.keyURL.path
        printKeyResult(
            json: global.json, key: result.key, path: path, changed: result.changed,
            text: result.changed
                ? "imported pseudonym key \(result.key.fingerprint) into \(path)"
                : "\(path) already is pseudonym key \(result.key.fingerprint); nothing changed")
    }
}

/// What `key export` and `key import` did: a sentence on stderr, or with --json one object
/// (fingerprint, path, changed) on stdout.
private func printKeyResult(json: Bool, key: PseudonymKey, path: String, changed: Bool, text: String) {
    guard json else { return summarize(text) }
    TextOutput.standardOutput.line(key.json(path: path, changed: changed))
    TextOutput.standardOutput.flush()
}
