import ArgumentParser
import FileSystem
import Foundation
import MailParsing
import MailStores
import PrivctlKit
import PrivacyEvents
import RetentionPolicy

/// `privctl inspect`: how privctl reads a message, and (with --explain) why it lands in its
/// category.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show how privctl reads messages: headers, addresses, date, MIME tree, category.",
        discussion: """
            Use it to understand a decision: privctl inspect --explain shows the rule that put \
            the message into its category and the evidence it found. An mbox file shows each of \
            its messages; name one with FILE#N (N from 0).

            With --json, one object per message with the keys messageId, date (ISO 8601, UTC), \
            from, to, cc, replyTo (lists of {name, address}), subject (decoded) and parts (leaf \
            MIME parts as {contentType, filename, size}, size after transfer decoding); with \
            --explain also category, rule and explanation.

            Inspect reads only; it records nothing.
            """
    )

    @Argument(help: ArgumentHelp("Message files, mbox files, or MBOX#N.", valueName: "file"))
    var files: [String]

    @Flag(help: "Print one JSON object per message.")
    var json = false

    @Flag(help: "Classify the message and show which rule decided and why.")
    var explain = false

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let policy = explain ? try global.loadPolicy() : nil
        let classifier = policy.map(Classifier.init(policy:))
        let out = TextOutput.standardOutput
        var failures = 0
        for file in files {
            do {
                for stored in try messages(in: file) {
                    let raw = try stored.readBytes()
                    let bytes = stored.parseableBytes(raw)
                    let message: MailMessage
                    do {
                        message = try MailMessage(bytes: bytes)
                    } catch {
                        warn("\(stored.displayPath): cannot parse: \(error.reason)")
                        failures += 1
                        continue
                    }
                    var classification: Classification?
                    if let classifier, let policy {
                        let context = MessageContext(
                            folder: stored.container.folder, ownDomains: policy.ownDomains,
                            deliveryDate: stored.deliveredAt ?? Date(timeIntervalSince1970: 0))
                        classification = classifier.classify(message, context: context)
                    }
                    if json {
                        out.line(jsonObject(message, classification))
                    } else {
                        out.write(text(stored.displayPath, message, classification))
                    }
                }
            } catch let error as PrivctlError {
                warn(error.description)
                failures += 1
            }
        }
        out.flush()
        if failures > 0 { throw ExitCode(1) }
    }

    /// The messages a FILE argument names.
    private func messages(in file: String) throws -> [StoredMessage] {
        var path = file
        var wanted: Int?
        if !FileManager.default.fileExists(atPath: file), let hash = file.lastIndex(of: "#"),
            let n = Int(file[file.index(after: hash)...])
        {
            path = String(file[..<hash])
            wanted = n
        }
        let containers = try MailStoreFormats.scan([path]).containers
        var found: [StoredMessage] = []
        for container in containers {
            try container.forEachBatch { batch in
                found += batch.filter { wanted == nil || $0.item == "#\(wanted!)" }
            }
        }
        if let wanted, found.isEmpty { throw PrivctlError(.notFound, path: path, problem: "has no message #\(wanted)") }
        return found
    }

    private func jsonObject(_ message: MailMessage, _ classification: Classification?) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let summary = MessageSummary(message: message)
        var text = String(decoding: (try? encoder.encode(summary)) ?? Data("{}".utf8), as: UTF8.self)
        if let classification {
            var extra = JSONLine()
            extra.add("category", classification.category)
            extra.add("rule", classification.rule)
            extra.add("explanation", classification.explanation)
            extra.add("retainUntil", classification.retainUntil?.description)
            extra.add("expiresOn", classification.expiresOn?.description)
            text = String(text.dropLast()) + "," + String(extra.string.dropFirst())
        }
        return text
    }

    private func text(_ path: String, _ message: MailMessage, _ classification: Classification?) -> String {
        var out = "== \(path)\n"
        out += "Message-ID: \(message.messageID ?? "(none)")\n"
        out += "Date:       \(message.date.map(MessageSummary.iso8601) ?? "(none or unreadable)")\n"
        out += "Subject:    \(message.subject ?? "(none)")\n"
        for field in AddressField.allCases {
            let list = message.addresses(field)
            if list.isEmpty { continue }
            let shown = list.map { $0.name.isEmpty ? "<\($0.address)>" : "\($0.name) <\($0.address)>" }
            out += pad(field.rawValue + ":", 12) + shown.joined(separator: ", ") + "\n"
        }
        out += "MIME:\n"
        func walk(_ entity: MIMEEntity, depth: Int) {
            var line = String(repeating: "  ", count: depth + 1) + entity.contentType.essence
            if let name = entity.filename { line += "  \"\(name)\"" }
            if entity.children.isEmpty {
                line += "  \(formatBytes(message.decodedBody(of: entity).count)) (\(entity.transferEncoding.rawValue))"
            }
            out += line + "\n"
            for child in entity.children { walk(child, depth: depth + 1) }
        }
        walk(message.root, depth: 0)
        if !message.defects.isEmpty {
            out += "Defects:    " + Set(message.defects.map(\.kind)).sorted().joined(separator: ", ") + "\n"
        }
        if let classification {
            out += "Category:   \(classification.category) (rule \(classification.rule))\n"
            for line in classification.explanation { out += "  " + line + "\n" }
        }
        return out + "\n"
    }
}
