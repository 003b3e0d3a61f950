import ArgumentParser
import Foundation
import Logging

/// swift-log handler writing one `key=value` line per event to standard error, the format log
/// collectors (journald, Loki, grep) read without a parser:
///
///     2026-11-23T09:30:00Z level=info stage=fit msg="sampling done" seconds=12.3
struct LineLogHandler: LogHandler {
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    private let label: String

    init(label: String, level: Logger.Level) {
        self.label = label
        self.logLevel = level
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata extra: Logger.Metadata?,
             source: String, file: String, function: String, line: UInt) {
        var fields = metadata
        if let extra { fields.merge(extra) { $1 } }
        var text = "\(Self.timestamp()) level=\(level) msg=\(Self.quoted(message.description))"
        for key in fields.keys.sorted() {
            text += " \(key)=\(Self.quoted("\(fields[key]!)"))"
        }
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Quotes a value when it holds spaces, quotes or `=`, so every line splits unambiguously.
    static func quoted(_ value: String) -> String {
        let plain = !value.isEmpty && !value.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" || $0.isNewline })
        if plain { return value }
        let escaped = value.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
        return "\"\(escaped)\""
    }

    /// UTC, to the second, ISO 8601.
    static func timestamp() -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                      parts.tm_hour, parts.tm_min, parts.tm_sec)
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
