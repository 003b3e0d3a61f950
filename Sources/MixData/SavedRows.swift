extension MixPlanConfig.DataSection {
    /// Points the data section at rows MixPlan saved into a model folder (`data.csv`, a geo
    /// model's panel): ISO dates, comma-separated, a decimal point and no digit grouping — the one
    /// dialect MixPlan writes (`CSVFormat.number`) — with the saved target, channels and controls.
    /// The national and the geo model folder read their rows back through this.
    public mutating func readSavedRows(file: String, target: String, channels: [String], controls: [String]) {
        self.file = file
        dateFormat = .iso
        delimiter = .comma
        decimalMark = .point
        thousandsSeparator = MixPlanConfig.ThousandsSeparator.none
        self.target = target
        self.channels = channels
        self.controls = controls
    }
}
