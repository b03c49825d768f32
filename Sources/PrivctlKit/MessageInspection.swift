import FileSystem
import Foundation
import MailParsing
import MailStores
import PrivacyEvents
import RetentionPolicy

/// `privctl inspect`: how privctl reads one message, and (with a policy) why it lands in its
/// category, as text or as one JSON object.
public struct MessageInspection: Sendable {
    /// The message as classify names it: the file, or `MBOX#N`.
    public var path: String
    let message: MailMessage
    let classification: Classification?

    /// What inspecting the FILE arguments met, in order.
    public enum Outcome: Sendable {
        case inspected(MessageInspection)
        /// A message that could not be parsed, or a file that could not be read: one line.
        case failed(String)
    }

    /// Inspects every message of `files` (message files, mbox files, or `MBOX#N`), classifying
    /// them when `explain` is set (the policy is loaded first).
    public static func inspect(_ files: [String], explain: Bool, context: PrivctlContext, _ body: (Outcome) -> Void) throws {
        let policy = explain ? try context.policy() : nil
        let classifier = policy.map(Classifier.init(policy:))
        for file in files {
            do {
                for stored in try messages(in: file) {
                    let raw = try stored.readBytes()
                    let message: MailMessage
                    do {
                        message = try MailMessage(bytes: stored.parseableBytes(raw))
                    } catch {
                        body(.failed("\(stored.displayPath): cannot parse: \(error.reason)"))
                        continue
                    }
                    var classification: Classification?
                    if let classifier, let policy {
                        let context = MessageContext(
                            folder: stored.container.folder, ownDomains: policy.ownDomains,
                            deliveryDate: stored.deliveredAt ?? Date(timeIntervalSince1970: 0))
                        classification = classifier.classify(message, context: context, explaining: true)
                    }
                    body(.inspected(MessageInspection(path: stored.displayPath, message: message, classification: classification)))
                }
            } catch let error as PrivctlError {
                body(.failed(error.description))
            }
        }
    }

    /// The messages a FILE argument names: a file, `MBOX#N`, or `ARCHIVE!MEMBER[#N]` as
    /// receipts and classify print them.
    private static func messages(in file: String) throws -> [StoredMessage] {
        var path = file
        var wanted: String?
        if !FileManager.default.fileExists(atPath: file) {
            // The longest existing file before a "!" or "#": the archive or mbox that holds it.
            var cut = file.endIndex
            while let mark = file[..<cut].lastIndex(where: { $0 == "!" || $0 == "#" }) {
                if FileManager.default.fileExists(atPath: String(file[..<mark])) {
                    path = String(file[..<mark])
                    wanted = String(file[mark...])
                    break
                }
                cut = mark
            }
        }
        let containers = try MailStoreFormats.scan([path]).containers
        var found: [StoredMessage] = []
        for container in containers {
            try container.forEachBatch { batch in
                found += batch.filter { wanted == nil || String($0.displayPath.dropFirst(container.path.count)) == wanted }
            }
        }
        if let wanted, found.isEmpty {
            throw PrivctlError(.notFound, path: path, problem: "has no message \(escapingControls(wanted))")
        }
        return found
    }

    /// One JSON object: the message summary and its `path` (as classify and receipts name it),
    /// and with a classification its category, rule, explanation and dates.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let summary = MessageSummary(message: message)
        let text = String(decoding: (try? encoder.encode(summary)) ?? Data("{}".utf8), as: UTF8.self)
        var extra = JSONLine()
        extra.add("path", path)
        if let classification {
            extra.add("category", classification.category)
            extra.add("rule", classification.rule)
            extra.add("explanation", classification.explanation)
            extra.add("retainUntil", classification.retainUntil?.description)
            extra.add("expiresOn", classification.expiresOn?.description)
        }
        return String(text.dropLast()) + "," + String(extra.string.dropFirst())
    }

    /// The header fields, every address, the MIME tree, defects and the classification.
    public func text() -> String {
        let e = escapingControls  // what the message's author chose is printed inert
        var out = "== \(e(path))\n"
        out += "Message-ID: \(e(message.messageID ?? "(none)"))\n"
        out += "Date:       \(message.date.map(MessageSummary.iso8601) ?? "(none or unreadable)")\n"
        out += "Subject:    \(e(message.subject ?? "(none)"))\n"
        for field in AddressField.allCases {
            let list = message.addresses(field)
            if list.isEmpty { continue }
            let shown = list.map { e($0.name.isEmpty ? "<\($0.address)>" : "\($0.name) <\($0.address)>") }
            out += pad(field.rawValue + ":", 12) + shown.joined(separator: ", ") + "\n"
        }
        out += "MIME:\n"
        func walk(_ entity: MIMEEntity, depth: Int) {
            var line = String(repeating: "  ", count: depth + 1) + entity.contentType.essence
            if let name = entity.filename { line += "  \"\(e(name))\"" }
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
            for line in classification.explanation { out += "  " + e(line) + "\n" }
        }
        return out + "\n"
    }
}
