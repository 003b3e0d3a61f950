import Foundation

extension ConfigPriorEditor {
    /// `text` with one channel's elicitation written in, as `mixplan elicit --write` does: the
    /// shape priors in `priors` (under `model.channels.<channel>.priors`), the channel's
    /// `lift_roi_prior` block (replacing one already there), and every *other* prior an earlier
    /// run wrote for the channel removed — a marked `saturation_beta` (the incremental-ROI prior
    /// replaces β's prior) or a shape prior the new tests no longer pin. Priors without the
    /// marker (set by hand) are left alone. Each written item gets the marker comment above it.
    public static func applyElicitation(channel: String, priors: [Entry], liftROIPrior: MixPlanConfig.LiftROIPrior,
                                        comment: String, to text: String, file: String) throws -> String {
        let note = marker + " " + comment.replacingOccurrences(of: "\n", with: " ")
        var document = Document(text: text, file: file)
        let model = try document.ensureMapping("model", under: nil)
        let channels = try document.ensureMapping("channels", under: model)
        var line = try document.ensureMapping(channel, under: channels)
        if let block = document.child("priors", under: line) {
            let written = Set(priors.map(\.key))
            document.removeMarkedChildren(under: block) { !written.contains($0) }
        }
        if let old = document.child("lift_roi_prior", under: line) { document.removeBlock(old) }
        line = try document.ensureMapping(channel, under: channels)
        let pad = String(repeating: " ", count: document.childIndent(line) ?? document.indent(line) + document.unit)
        let inner = pad + String(repeating: " ", count: document.unit)
        let at = document.insertionPoint(under: line)
        document.lines.insert(contentsOf: [
            pad + note,
            pad + "lift_roi_prior:",
            inner + "spend: \(liftROIPrior.spend)",
            inner + "spend_change: \(liftROIPrior.spendChange)",
            inner + "prior: \(liftROIPrior.prior)",
        ], at: at)
        var updated = document.text
        if !priors.isEmpty { updated = try apply(priors, comment: comment, to: updated, file: file) }
        return updated
    }
}

extension ConfigPriorEditor.Document {
    /// Removes line `i`'s whole block (the line, its children, and a marker comment right above).
    mutating func removeBlock(_ i: Int) {
        let end = blockEnd(i)
        let start = i > 0 && isMarker(i - 1) ? i - 1 : i
        lines.removeSubrange(start..<end)
    }

    /// Removes every child of `parent` whose key passes `remove` and that has a marker above it.
    mutating func removeMarkedChildren(under parent: Int, where remove: (String) -> Bool) {
        guard let n = childIndent(parent) else { return }
        var i = blockEnd(parent) - 1
        while i > parent {
            if isContent(i), indent(i) == n, let k = key(i), remove(k), isMarker(i - 1) { removeBlock(i) }
            i -= 1
        }
    }
}
