import Archives
import FileSystem
import MailStores

/// The store formats privctl knows, in the order the locator asks them: a directory is a
/// Maildir if it looks like one; a file is an archive by its name, a message file by `.eml`
/// (or, named on the command line, by its first line), an mbox by its first line.
///
/// Adding a format (MH, Dovecot's sdbox) is one conformance to `MailStoreFormat` and one entry
/// here.
public enum MailStoreFormats {
    /// Every built-in format.
    public static let builtIn: [any MailStoreFormat] = [
        MaildirFormat(), ArchiveFormat(), MessageFileFormat(), MboxFormat(),
    ]

    /// The locator over the built-in formats.
    public static let locator = StoreLocator(formats: builtIn)

    /// The containers under `paths` and the places that could not be searched.
    public static func scan(_ paths: [String]) throws(PrivctlError) -> StoreScan {
        try locator.scan(paths)
    }
}
