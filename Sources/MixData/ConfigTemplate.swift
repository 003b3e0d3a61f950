import Foundation

/// The commented `mixplan.yaml` template that `mixplan init` fills in.
///
/// The text is a copy of `Templates/mixplan.yaml` compiled in, so the executable needs no
/// resource files; a test asserts the two are identical and that the filled template parses
/// to exactly `MixPlanConfig()`'s defaults, so the documentation cannot drift from the code.
public enum ConfigTemplate {
    /// What `init` fills in: the data section. Defaults equal `MixPlanConfig().data`.
    public struct Values: Sendable, Equatable {
        public var file: String
        public var dateColumn: String
        public var dateFormat: MixPlanConfig.DateFormat
        public var target: String
        public var channels: [String]
        /// Channels measured in exposures (`data.channels` items written as mappings).
        public var exposures: [String: MixPlanConfig.ExposureChannel]
        public var controls: [String]
        public var delimiter: MixPlanConfig.Delimiter
        public var decimalMark: MixPlanConfig.DecimalMark
        public var thousandsSeparator: MixPlanConfig.ThousandsSeparator
        /// `data.geo_column` and `data.population_column` of a panel (nil for a national series).
        public var geoColumn: String?
        public var populationColumn: String?

        public init(_ data: MixPlanConfig.DataSection = MixPlanConfig.DataSection()) {
            file = data.file
            dateColumn = data.dateColumn
            dateFormat = data.dateFormat
            target = data.target
            channels = data.channels
            exposures = data.exposures
            controls = data.controls
            delimiter = data.delimiter
            decimalMark = data.decimalMark
            thousandsSeparator = data.thousandsSeparator
            geoColumn = data.geoColumn
            populationColumn = data.populationColumn
        }
    }

    /// The template with `{{file}}`, `{{date_column}}`, `{{date_format}}`, `{{delimiter}}`,
    /// `{{decimal}}`, `{{thousands}}`, `{{target}}`,
    /// `{{channels}}` and `{{controls}}` replaced by YAML-quoted values.
    public static func fill(_ values: Values) -> String {
        let replacements = [
            ("{{file}}", quoted(values.file)),
            ("{{date_column}}", quoted(values.dateColumn)),
            ("{{date_format}}", quoted(values.dateFormat.rawValue)),
            ("{{delimiter}}", quoted(values.delimiter.rawValue)),
            ("{{decimal}}", quoted(values.decimalMark.rawValue)),
            ("{{thousands}}", quoted(values.thousandsSeparator.rawValue)),
            ("{{target}}", quoted(values.target)),
            ("{{channels}}", channelList(values.channels, values.exposures)),
            ("{{controls}}", list(values.controls)),
        ]
        var result = text
        for (placeholder, value) in replacements {
            result = result.replacingOccurrences(of: placeholder, with: value)
        }
        // A panel's keys go right under the date column (the template documents them commented out).
        var panelKeys = ""
        if let geo = values.geoColumn { panelKeys += "  geo_column: \(quoted(geo))\n" }
        if let population = values.populationColumn { panelKeys += "  population_column: \(quoted(population))\n" }
        if !panelKeys.isEmpty, let line = result.range(of: "  date_column: \(quoted(values.dateColumn))\n") {
            result.insert(contentsOf: panelKeys, at: line.upperBound)
        }
        return result
    }

    /// A YAML double-quoted scalar: any column name (with spaces, `#`, `:` or quotes) survives.
    public static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 {
                    out += "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// A YAML flow list of quoted names: `["tv", "search"]`.
    public static func list(_ names: [String]) -> String {
        "[" + names.map(quoted).joined(separator: ", ") + "]"
    }

    /// `data.channels` as a YAML flow list: a spend column by its quoted name, a channel measured
    /// in exposures as a flow mapping (`{name: "tv", exposure_column: "tv_grp", spend_column: "tv_spend"}`).
    public static func channelList(_ names: [String], _ exposures: [String: MixPlanConfig.ExposureChannel]) -> String {
        "[" + names.map { name in
            guard let e = exposures[name] else { return quoted(name) }
            var fields = ["name: \(quoted(name))", "exposure_column: \(quoted(e.exposureColumn))"]
            switch e.cost {
            case .spendColumn(let column): fields.append("spend_column: \(quoted(column))")
            case .perUnit(let value): fields.append("cost_per_unit: \(value)")
            }
            if let unit = e.unit { fields.append("unit: \(quoted(unit))") }
            return "{" + fields.joined(separator: ", ") + "}"
        }.joined(separator: ", ") + "]"
    }

    /// `Templates/mixplan.yaml`, verbatim.
    public static let text = #"""
# MixPlan configuration — every key, with its default.
#
# `mixplan init DATA.csv` writes this file with the data section filled in from the CSV's
# header; everything else shows the default value. Delete a key to keep its default; an
# unknown or misspelt key is an error (with a "did you mean …?"). Relative paths are read
# relative to the folder holding this file.

data:
  # The CSV: one row per period (day or week), a header row naming the columns.
  file: {{file}}
  # Column holding each period's start date.
  date_column: {{date_column}}
  # A geo panel (one row per geo × period) names its geo column, and optionally a population
  # per geo used to scale geos of different size (see the README's "Geo panels"):
  # geo_column: region
  # population_column: population
  # auto (detected from the column), iso (YYYY-MM-DD), d/m/yyyy (also 31.12.2024) or m/d/yyyy.
  # A time of midnight after the date (2024-01-07 00:00:00) is accepted. auto asks for the
  # format by name when no date shows which part is the day.
  date_format: {{date_format}}
  # How the file writes fields and numbers; auto detects each from the file's first rows.
  # delimiter: auto, comma, semicolon, tab or pipe.
  delimiter: {{delimiter}}
  # decimal: auto, point (1234.5) or comma (1234,5).
  decimal: {{decimal}}
  # thousands: auto (the separator that goes with the decimal mark, and spaces), none, comma,
  # point, space or apostrophe; digits must be grouped in threes (1.234.567,8).
  thousands: {{thousands}}
  # Column the model explains (sales, revenue, conversions, …).
  target: {{target}}
  # One item per marketing channel: a spend column (currency per period, ≥ 0), or for media
  # bought in exposures (GRPs, impressions, clicks) a mapping that names the exposure column
  # and where the money comes from, e.g.
  #   - {name: tv, exposure_column: tv_grp, spend_column: tv_spend, unit: GRP}
  #   - {name: radio, exposure_column: radio_spots, cost_per_unit: 850}
  # The response is modelled on the exposures; ROAS, curves, budgets and plans are in money at
  # the channel's cost per unit: cost_per_unit, or with spend_column total spend / total
  # exposures over the data's rows (PyMC-Marketing's rule). unit (optional) labels outputs.
  channels: {{channels}}
  # Other explanatory columns (prices, holidays, events). A 0/1 column is used as given; any
  # other control is standardised inside the model (z-score over the training rows), so its
  # gamma_control is the effect of one standard deviation, and the model saves each control's
  # mean and standard deviation to convert back to original units.
  controls: {{controls}}

model:
  # Carry-over for every channel: geometric, delayed, weibull_cdf or weibull_pdf.
  adstock: geometric
  # Adstock lag window L, in periods.
  adstock_max_lag: 8
  # Diminishing returns for every channel: logistic, hill, michaelis_menten or tanh.
  saturation: logistic
  # Fourier order of yearly seasonality; 0 turns it off.
  yearly_seasonality: 2
  # Linear trend over the whole period.
  trend: false
  # normal or student_t.
  likelihood: normal
  # Default priors where none is set below. roas: each channel's effect gets a prior on its
  # return on ad spend, LogNormal(0.2, 0.9) (median 1.2, 94 % between 0.22 and 6.6 target units
  # per currency unit; Google Meridian's default), unless the channel has a roi_prior,
  # lift_roi_prior or saturation_beta prior; Hill, Michaelis-Menten and tanh shape priors keep their
  # mode away from a flat curve. pymc-marketing: PyMC-Marketing 0.19's defaults (independent
  # priors on saturation_beta and the shape; MixPlan's defaults before this key existed).
  default_priors: roas
  # Prior overrides for every channel, by parameter. Parameters: intercept, sigma, nu (Student-t),
  # trend, gamma_control, gamma_fourier, adstock_alpha, adstock_theta (delayed), adstock_lambda and
  # adstock_k (Weibull), saturation_lambda (logistic, Michaelis-Menten), saturation_beta (all),
  # saturation_slope and saturation_kappa (Hill), saturation_c (tanh). Families: Normal(mu, sigma),
  # HalfNormal(sigma), HalfCauchy(beta), Beta(alpha, beta), Gamma(alpha, beta) or
  # Gamma(mu=, sigma=), LogNormal(mu, sigma), Laplace(mu, b), Uniform(lower, upper),
  # TruncatedNormal(mu, sigma, lower, upper), Exponential(lam), InverseGamma(alpha, beta).
  # Empty means the defaults chosen by default_priors. Example:
  #   priors:
  #     adstock_alpha: Beta(1, 3)
  #     saturation_lambda: Gamma(mu=2, sigma=1)
  priors: {}
  # Per-channel overrides of adstock, saturation and priors. roi_prior is a prior on the
  # channel's return on ad spend over the training rows (total contribution / total spend, in
  # target units per currency unit), e.g. from past experiments; it replaces the prior on the
  # channel's saturation_beta (so a channel cannot have both). lift_roi_prior is a prior on what
  # one experiment measured, the incremental return of moving spend per period from `spend` by
  # `spend_change`: (response at spend + spend_change - response at spend) / spend_change, in
  # target units per currency unit; `mixplan elicit` writes it from lift tests. It too replaces
  # the saturation_beta prior, and a channel has at most one of roi_prior and lift_roi_prior.
  # Under either, saturation_beta stays below 100 (the curve's ceiling at most 100 times the
  # largest target per period): the prior's density tapers to 0 there.
  # Example:
  #   channels:
  #     tv:
  #       adstock: delayed
  #       saturation: hill
  #       priors:
  #         adstock_theta: HalfNormal(2)
  #       roi_prior: LogNormal(0.5, 0.3)
  #     social:
  #       lift_roi_prior:
  #         spend: 18000
  #         spend_change: -16000
  #         prior: Gamma(mu=3.1, sigma=0.2)
  channels: {}
  # Time-varying media effectiveness: one positive multiplier m[t] on every channel's effect,
  # mean 1 over the training periods (so each β is the channel's average effectiveness), from a
  # Hilbert-space approximate Gaussian process. Response curves and the optimiser use m's mean
  # over the last hsgp.planning_periods periods.
  time_varying_media: false
  # A smooth baseline drift added to the intercept (mean 0 over the training periods).
  time_varying_intercept: false
  # Settings of both latent functions (used only when one of the switches above is on):
  #   basis_functions: m, the number of basis functions (default: the Riutort-Mayol et al. rule
  #     of thumb for length-scales down to a twelfth of the training span, e.g. 16 for 179 weeks)
  #   boundary_factor: c > 1; the basis lives on ±c·(half the training span) (default 1.5)
  #   kernel: eq (exponentiated quadratic, default) or matern52
  #   lengthscale: prior of the length-scale in periods (default LogNormal with 94 % of its mass
  #     between a twelfth of the span and the whole span)
  #   media_amplitude: prior of the sd of log m (default Exponential(lam=3))
  #   intercept_amplitude: prior of the drift's sd in scaled target units (default Exponential(lam=10))
  #   planning_periods: periods at the end of the data whose mean m the planner uses (default 4)
  # Example:
  #   hsgp:
  #     basis_functions: 30
  #     kernel: matern52
  #     lengthscale: LogNormal(mu=3.5, sigma=0.5)
  hsgp: {}

sampler:
  # Independent NUTS chains, run in parallel.
  chains: 4
  # Warm-up (adaptation) iterations per chain.
  warmup: 1000
  # Kept draws per chain.
  draws: 1000
  # Target acceptance rate for step-size adaptation, in (0, 1).
  target_accept: 0.8
  # Maximum NUTS tree depth.
  max_tree_depth: 10
  # Mass matrix: diagonal (one scale per parameter) or dense (full covariance; try it when
  # parameters are strongly correlated and the fit needs many gradient evaluations).
  metric: diagonal
  # When a fit fails the convergence check on divergent transitions alone, refit once at a
  # higher target_accept (0.95, or 0.99 from 0.95 up); when it fails on R-hat or ESS alone,
  # refit once with warmup and draws doubled at that higher target_accept (runs of at least
  # 1000 + 1000; shorter ones are left as asked). fit, report, workbook and summary.json say
  # so. false keeps the first fit as it is.
  retry: true
  # Random seed: the same seed gives the same draws.
  seed: 1

optimizer:
  # Total budget over the horizon; null means current spend (below) times `periods`.
  budget: null
  # Horizon, in periods.
  periods: 1
  # Bound on every channel relative to its current spend, as a fraction (0.3 = ±30 %; at most 10).
  relative_bound: 0.3
  # mean, mean-sd:K (mean − K·sd), var:Q (the Q quantile) or cvar:Q.
  objective: mean
  # Count the carry-over after the horizon in the response.
  include_carryover: true
  # Channels held at their current spend.
  fixed: []
  # Current spend: each channel's mean spend per period over the last this-many days of the
  # training data (28: the last 4 weeks of weekly data, the last 28 days of daily data).
  current_window_days: 28

report:
  # Currency symbol or code for charts, workbook and report, e.g. "$", "€" or "EUR"; empty
  # writes plain amounts.
  currency: ""
  # Folder of Mustache templates; empty means the bundled Templates/.
  templates: ""
  # Probability mass of reported credible intervals.
  interval_mass: 0.94
  # Pixel scale of the charts: 1 (960 px wide) or 2 for HiDPI screens and print (1 to 4).
  chart_scale: 1

calibration:
  # Lift tests (geo tests, synthetic-control studies) that pin each tested channel's response
  # curve: a CSV with columns channel, x, delta_x, delta_y, sigma (spend per period before the
  # test, its change, the measured change in the target per period and that change's standard
  # error; optional start, end, name), or a list of such tests written here, e.g.
  #   lift_tests:
  #     - {channel: tv, x: 12000, delta_x: -10800, delta_y: -5400, sigma: 900}
  # Each test adds delta_y ~ Normal(f(x + delta_x) - f(x), sigma) to the model, f the channel's
  # steady-state response per period. `mixplan fit` copies the tests into the saved model.
  # null means none.
  lift_tests: null

"""#
}
