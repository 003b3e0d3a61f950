import Foundation
import MixModel

/// One geo × channel cell: the unit the geo optimiser allocates to.
public struct GeoCell: Codable, Hashable, Sendable {
    public var geo: String
    public var channel: String

    public init(geo: String, channel: String) {
        self.geo = geo
        self.channel = channel
    }

    /// Separates geo from channel in a cell's name (`north/tv`), as the optimiser's channel names
    /// and the `--bounds`/`--spend` flags write it.
    public static let separator = "/"

    /// `geo/channel`.
    public var name: String { geo + Self.separator + channel }
}

/// What a geo fit leaves for planning (DESIGN.md §9): every live geo × channel cell's response
/// curve per posterior draw, in original units, with its current spend — enough to optimise and
/// run what-ifs without the data or the sampler's coordinates.
///
/// Cell (g, c) of `GeoStructure` contributes, in a period with adstocked scaled spend a,
/// u_g·R[g,c]·X[g,c]·h_c(a)/H[g,c] target units, where h_c is the channel's saturation with β = 1
/// (its shape shared by every geo), H[g,c] = Σ_t h_c(a[g,t,c]) over the training rows, u_g the geo's
/// target unit and a = spend / v[g,c] with v[g,c] = n_g·k_c. So a cell is a channel of the national
/// optimiser with β = R·X/H (per draw), `targetScale` u_g and `spendScale` v[g,c]: the evaluator,
/// objectives, certificate and frontier apply to cells unchanged.
///
/// The channel's shape and carryover per draw are stored once (`curves`) and the cells keep only
/// their β per draw, so the saved file grows with cells × draws, like `draws.csv`.
/// Cells where a channel never spent have no modelled effect and are left out: the plan never
/// moves money into them.
public struct GeoResponseDraws: Codable, Sendable {
    /// One live cell: β per draw and the scales that turn it into currency and target units.
    public struct Cell: Codable, Sendable {
        public var geo: String
        public var channel: String
        /// R·X/H per draw, in the geo's scaled target units (see the type's comment).
        public var beta: [Double]
        /// v[g,c]: spend per period that maps to a = 1.
        public var spendScale: Double
        /// u_g: target units per scaled target unit.
        public var targetScale: Double
        /// Mean spend per period over the config's current-spend window.
        public var currentSpend: Double
        /// Mean spend per period over every training row (the split used when a channel is dark
        /// in the current window everywhere).
        public var historicalSpend: Double

        public init(geo: String, channel: String, beta: [Double], spendScale: Double, targetScale: Double,
                    currentSpend: Double, historicalSpend: Double) {
            self.geo = geo
            self.channel = channel
            self.beta = beta
            self.spendScale = spendScale
            self.targetScale = targetScale
            self.currentSpend = currentSpend
            self.historicalSpend = historicalSpend
        }

        public var id: GeoCell { GeoCell(geo: geo, channel: channel) }
    }

    /// Name of the file a geo fit writes into its model folder.
    public static let fileName = "response-draws.json"

    public var geoNames: [String]
    public var channelNames: [String]
    /// Per channel: saturation family, shape per draw and adstock weights per draw, shared by every
    /// geo (β, and the scales, are the cells'; the stored β is empty).
    public var curves: [ChannelDraws]
    /// Live cells, geo-major in `geoNames` × `channelNames` order.
    public var cells: [Cell]
    /// The fitted config's optimizer section (horizon, budget, relative bound, fixed channels,
    /// objective), so planning needs no config file.
    public var optimizer: MixPlanConfig.OptimizerSection
    /// "the last 4 weeks": the current-spend window in words.
    public var currentWindowText: String
    /// The fit's config path (for messages naming `optimizer.*` keys).
    public var configPath: String
    /// Whether the fit passed the convergence checks (plans from a fit that did not say so).
    public var converged: Bool

    public init(geoNames: [String], channelNames: [String], curves: [ChannelDraws], cells: [Cell],
                optimizer: MixPlanConfig.OptimizerSection, currentWindowText: String, configPath: String, converged: Bool) {
        self.geoNames = geoNames
        self.channelNames = channelNames
        self.curves = curves
        self.cells = cells
        self.optimizer = optimizer
        self.currentWindowText = currentWindowText
        self.configPath = configPath
        self.converged = converged
    }

    /// The planning view of a geo fit: per draw, H[g,c] from the training spend by
    /// `GeoPosterior.saturated`, and current spend the mean over the config's current-spend window.
    public init(posterior: GeoPosterior, panel: GeoPanel, config: MixPlanConfig, converged: Bool) {
        let s = posterior.structure, G = s.geoCount, C = s.channels.count, T = s.periodCount
        let draws = posterior.draws
        let frequency = panel.geos[0].frequency
        let window = min(T, config.optimizer.currentWindowPeriods(frequency))
        let current = panel.meanSpend(lastPeriods: window), historical = panel.meanSpend(lastPeriods: T)
        var curves: [ChannelDraws] = []
        var cells: [Cell] = []
        for ch in s.channels {
            let shapes = draws.map { Array($0[ch.shapeOffset..<(ch.shapeOffset + ch.shapeCount)]) }
            let weights = draws.map { ch.adstock.weights(Array($0[(ch.adstockOffset)..<(ch.adstockOffset + ch.adstockCount)])) }
            // β is a placeholder here: each cell replaces it with its own (`cellDraws`).
            curves.append(ChannelDraws(name: ch.name, family: ch.saturation, beta: [Double](repeating: 1, count: draws.count),
                                       shapes: (0..<ch.shapeCount).map { k in shapes.map { $0[k] } },
                                       carryover: weights, spendScale: 1, targetScale: 1))
        }
        for g in 0..<G {
            for c in 0..<C where s.active[g * C + c] {
                let cell = g * C + c
                let beta = draws.map { x in
                    exp(s.logROAS(x, geo: g, channel: c)) * s.spendInTargetUnits[cell] / posterior.saturated(x, geo: g, channel: c).H
                }
                cells.append(Cell(geo: s.geoNames[g], channel: s.channelNames[c], beta: beta,
                                  spendScale: s.geoSize[g] * s.spendFactor[c], targetScale: s.targetUnit(g),
                                  currentSpend: current[g][c], historicalSpend: historical[g][c]))
            }
        }
        self.init(geoNames: s.geoNames, channelNames: s.channelNames, curves: curves, cells: cells,
                  optimizer: config.optimizer, currentWindowText: config.optimizer.currentWindowText(frequency),
                  configPath: config.path, converged: converged)
    }

    /// The cells as channels of the national optimiser, named `geo/channel`, in `cells` order.
    public func cellDraws() -> ParametricResponseDraws {
        let index = Dictionary(uniqueKeysWithValues: channelNames.enumerated().map { ($1, $0) })
        return ParametricResponseDraws(channels: cells.map { cell in
            var curve = curves[index[cell.channel]!].replacingBeta(cell.beta)
            curve.name = cell.id.name
            curve.spendScale = cell.spendScale
            curve.targetScale = cell.targetScale
            return curve
        })
    }

    public var cellIDs: [GeoCell] { cells.map(\.id) }
    public var currentSpend: [Double] { cells.map(\.currentSpend) }

    /// Compact JSON (the file is large: numbers at full precision, no indentation).
    public func json() throws -> Data {
        try MixJSON.encoder(pretty: false).encode(self)
    }

    /// Reads `response-draws.json` from a geo model folder.
    public static func load(modelFolder: URL) throws -> GeoResponseDraws {
        let file = modelFolder.appendingPathComponent(fileName)
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw InputError(InputLocation(file: file.path), "is missing: the geo model was fitted before geo planning existed.",
                             hint: "Fit it again with this version of mixplan (mixplan fit --config … --out \(modelFolder.path)).")
        }
        do {
            return try MixJSON.decoder().decode(GeoResponseDraws.self, from: data)
        } catch {
            throw InputError(InputLocation(file: file.path), "is not a geo model's response draws (\(error.localizedDescription)).",
                             hint: "Fit the model again; do not edit files in a model folder.")
        }
    }
}
