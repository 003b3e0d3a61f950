import Foundation

extension Dataset {
    /// Each channel's mean spend per period over the `periods` rows that end before row `end`
    /// (the last row by default; all rows there are when fewer): "current spend", written once for
    /// the national model (`FittedModel.currentSpend`, ending before a holdout) and for every geo of
    /// a panel (`GeoPanel.meanSpend`). With `periods` = `periodCount` it is the historical mean.
    public func meanSpend(lastPeriods periods: Int, endingAt end: Int? = nil) -> [Double] {
        let end = end ?? periodCount
        let start = max(0, end - periods)
        return spend.map { series in series[start..<end].reduce(0, +) / Double(end - start) }
    }
}

extension GeoPanel {
    /// `Dataset.meanSpend` of every geo, geo-major (`[geo][channel]`): the same definition along
    /// the panel axis, so a geo cell's current spend is what the national model's would be on
    /// that geo's series.
    public func meanSpend(lastPeriods periods: Int) -> [[Double]] {
        geos.map { $0.meanSpend(lastPeriods: periods) }
    }
}
