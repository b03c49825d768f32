// What a program that embeds privctl, and the command layer, work with besides PrivctlKit's own
// types: the event model and the ledger protocol, retention policies, and the log
// anonymization types the log runs report with. The modules below them (stores, parsing,
// erasure, archives, the ledger backends) are reached through PrivctlKit's runs and jobs.
@_exported import LogAnonymization
@_exported import PrivacyEvents
@_exported import RetentionPolicy
