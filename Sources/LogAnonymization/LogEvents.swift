import Foundation
import PrivacyEvents

/// The ledger events for server logs.
///
/// Anonymizing a log and removing an expired one both take personal data out of the world, so
/// both are **erase** events of data category `server-log`: `details.action` says which
/// (`anonymize` with how many addresses, logins and IP addresses were removed, or `expire`).
/// Logs are kept for the operator's legitimate interest in running and securing the services
/// (GDPR Art. 6(1)(f)). Events name no data subjects: a log holds thousands of people, and
/// pseudonyms of everyone in it would turn the ledger into a new index of the log.
public enum LogEvents {
    public static let dataCategory = "server-log"
    public static let purpose = "Operating and securing the mail and web services (server logs of connections, logins and deliveries)."
    public static let legalBasis = LegalBasis(.legitimateInterests)

    /// The erase event for a log anonymized in place.
    public static func anonymized(
        _ report: LogAnonymizationReport, options: AnonymizationOptions, host: String, time: Date = Date()
    ) -> PrivacyEvent {
        var details = [
            "action": "anonymize",
            "addresses": String(report.addresses),
            "logins": String(report.logins),
            "ips": String(report.ips),
            "lines": String(report.lines),
            "changedLines": String(report.changedLines),
            "ipv4Prefix": String(options.ipv4Prefix),
            "ipv6Prefix": String(options.ipv6Prefix),
            "reason": "addresses and logins replaced, IP addresses truncated to /\(options.ipv4Prefix) and /\(options.ipv6Prefix)",
        ]
        if report.unparsedLines > 0 { details["unparsedLines"] = String(report.unparsedLines) }
        return PrivacyEvent(
            time: time, host: host, kind: .erase, subjects: [], dataCategory: dataCategory, purpose: purpose,
            legalBasis: legalBasis, location: DataLocation(store: absolute(report.path)), details: details)
    }

    /// The erase event for an expired log removed.
    public static func expired(_ log: RotatedLog, days: Int, host: String, time: Date = Date()) -> PrivacyEvent {
        PrivacyEvent(
            time: time, host: host, kind: .erase, subjects: [], dataCategory: dataCategory, purpose: purpose,
            legalBasis: legalBasis, location: DataLocation(store: absolute(log.path)),
            details: [
                "action": "expire",
                "size": String(log.size),
                "lastModified": EventChain.timestamp(log.modified),
                "dataUntil": EventChain.timestamp(log.dataUntil),
                "retentionDays": String(days),
                "reason": "past the log retention of \(days) day\(days == 1 ? "" : "s")",
            ])
    }

    static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }
}
