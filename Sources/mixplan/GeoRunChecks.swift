import Foundation
import MixData

/// What `fit` and `weekly` do with flags the geo path does not support yet, in one place, so
/// none is silently ignored.
enum GeoRunChecks {
    /// The geo model has no backtest yet. An explicit number of periods is refused (exit 2,
    /// before any work); the default `auto` is skipped with the returned note, which the caller
    /// prints or logs and the report lists; `off` needs no note.
    static func backtestNote(_ spec: String) throws -> String? {
        switch spec.lowercased() {
        case "off", "0": return nil
        case "auto": return "no backtest: refitting without the last periods is not implemented for geo panels yet, so out-of-sample accuracy is not measured (--backtest off silences this note)."
        default:
            throw InputError(InputLocation(file: "--backtest"), "a backtest (\(spec) periods) is not supported for geo panels yet.",
                             hint: "Use --backtest off (or leave the default auto, which skips it with a note), or fit the national series.")
        }
    }

    /// --holdout is refused for geo panels.
    static func refuseHoldout(_ holdout: Int, config: String) throws {
        guard holdout == 0 else {
            throw InputError(InputLocation(file: config, key: "holdout"), "--holdout is not supported for geo panels yet.",
                             hint: "Drop --holdout, or fit the national series.")
        }
    }
}
