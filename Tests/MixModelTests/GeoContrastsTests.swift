import Foundation
import MixInference
import MixModel
import XCTest

/// Contrast coordinates (`GeoContrastDensity`): which blocks use them, the map and its inverse,
/// the density against `GeoDensity` at the mapped point (the Jacobian is constant), and the
/// gradient against finite differences. That the posterior is unchanged is checked against an
/// independent sampler by `PyMCGeoAgreementTests`, whose fit samples these coordinates.
final class GeoContrastsTests: XCTestCase {
    static func model(_ adstock: Adstock.Kind = .geometric, _ saturation: Saturation.Kind = .logistic,
                      priors: MixPlanConfig.PriorDefaults = .roas) -> MixPlanConfig.ModelSection {
        GeoModelTests.model(adstock, saturation, priors: priors)
    }

    /// The ROAS, Fourier and trend blocks are non-centred by default: every entry of each is in
    /// contrast coordinates, and the centred intercepts are not; with every block non-centred the
    /// intercepts join; a block with centred entries stays out.
    func testFullyNonCentredBlocksAndOnlyThoseUseContrasts() throws {
        let panel = GeoModelTests.panel(geos: 4)
        let standard = try GeoStructure(panel: panel, model: Self.model())
        let perChannel = standard.channels.count, fourier = standard.fourier.count, trend = 1
        XCTAssertEqual(GeoContrastDensity(structure: standard).entryCount, perChannel + fourier + trend)
        XCTAssertEqual(GeoContrastDensity(structure: standard, enabled: false).entryCount, 0)
        let none = try GeoStructure(panel: panel, model: Self.model(), centring: .noneCentred)
        XCTAssertEqual(GeoContrastDensity(structure: none).entryCount, perChannel + fourier + trend + 1)
        let all = try GeoStructure(panel: panel, model: Self.model(), centring: .allCentred)
        XCTAssertEqual(GeoContrastDensity(structure: all).entryCount, 0)
        let one = try GeoStructure(panel: GeoPanel(geoNames: ["all"], geos: [panel.geos[0]], population: nil), model: Self.model())
        XCTAssertEqual(GeoContrastDensity(structure: one).entryCount, 0)
    }

    /// model(contrasts(u)) = u; the mapped point keeps every geo value mean + scale·ζ_g, and the
    /// mean's slot holds the average value ν over the geos where the channel spends.
    func testMapAndInverseAgree() throws {
        let s = try GeoStructure(panel: GeoModelTests.panel(geos: 5), model: Self.model(), centring: .noneCentred)
        let density = GeoContrastDensity(structure: s)
        var rng = TestRandom(seed: 3)
        for _ in 0..<5 {
            let u = (0..<s.dimension).map { _ in rng.uniform(-2, 2) }
            let q = density.contrasts(of: u)
            let back = density.model(of: q)
            for i in u.indices { XCTAssertEqual(back[i], u[i], accuracy: 1e-12, s.parameterNames[i]) }
            let x = s.constrain(u)
            for (c, ch) in s.channels.enumerated() {
                let values = (0..<s.geoCount).map { x[ch.roasMean] + x[ch.roasScale!] * x[ch.roasZ! + $0] }
                for g in 0..<s.geoCount { XCTAssertEqual(values[g], s.logROAS(x, geo: g, channel: c), accuracy: 1e-12) }
                let live = (0..<s.geoCount).filter { s.active[$0 * s.channels.count + c] }
                XCTAssertEqual(q[ch.roasMean], live.reduce(0) { $0 + values[$1] } / Double(live.count), accuracy: 1e-12, ch.name)
                for g in 0..<s.geoCount where !s.active[g * s.channels.count + c] {
                    XCTAssertEqual(q[ch.roasZ! + g], u[ch.roasZ! + g], "an idle cell's ζ is sampled as it is")
                }
            }
        }
    }

    func testDensityIsTheModelDensityAtTheMappedPoint() throws {
        let s = try GeoStructure(panel: GeoModelTests.panel(geos: 4), model: Self.model())
        var rng = TestRandom(seed: 8)
        Self.checkDensityAtMappedPoints(GeoContrastDensity(structure: s), points: 4, rng: &rng)
    }

    /// The sampler's density at random points q equals `GeoDensity` at `model(of: q)` (every map
    /// the sampler's coordinates go through has a constant Jacobian, left out of both).
    static func checkDensityAtMappedPoints(_ sampler: GeoContrastDensity, points: Int, rng: inout TestRandom,
                                           file: StaticString = #filePath, line: UInt = #line) {
        var sampler = sampler, plain = GeoDensity(structure: sampler.base.structure)
        let n = sampler.dimension
        for _ in 0..<points {
            let q = (0..<n).map { _ in rng.uniform(-1.5, 1.5) }
            let u = sampler.model(of: q)
            var g1 = [Double](repeating: 0, count: n), g2 = g1
            let a = q.withUnsafeBufferPointer { p in g1.withUnsafeMutableBufferPointer { sampler.logDensity(at: p, gradient: $0) } }
            let b = u.withUnsafeBufferPointer { p in g2.withUnsafeMutableBufferPointer { plain.logDensity(at: p, gradient: $0) } }
            XCTAssertEqual(a, b, accuracy: 1e-9 * abs(b), file: file, line: line)
        }
    }

    func testGradientMatchesFiniteDifferences() throws {
        let panel = GeoModelTests.panel(geos: 4)
        var rng = TestRandom(seed: 21)
        for adstock in Adstock.Kind.allCases {
            for saturation in Saturation.Kind.allCases {
                for rule in [GeoCentring.Rule.standard, .noneCentred] {
                    let density = GeoContrastDensity(structure: try GeoStructure(panel: panel, model: Self.model(adstock, saturation), centring: rule))
                    XCTAssertGreaterThan(density.entryCount, 0)
                    let q = (0..<density.dimension).map { _ in rng.uniform(-1.5, 1.5) }
                    FiniteDifference.checkGradient(of: density, at: q, context: "\(adstock)/\(saturation)/\(rule.intercept)")
                }
            }
        }
        // The saturation-β effect (default_priors: pymc-marketing), whose Fourier means have a Laplace prior.
        let beta = GeoContrastDensity(structure: try GeoStructure(panel: panel, model: Self.model(priors: .pymcMarketing)))
        XCTAssertGreaterThan(beta.entryCount, 0)
        FiniteDifference.checkGradient(of: beta, at: (0..<beta.dimension).map { _ in rng.uniform(-1.5, 1.5) }, context: "β effect")
    }
}
