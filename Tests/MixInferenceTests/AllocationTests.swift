import MixTestSupport
import Foundation
import MixInference
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The NUTS transition must not allocate: every buffer is carved out once per chain.
final class AllocationTests: XCTestCase {
    /// Bytes in use by malloc (uordblks + hblkhd of glibc's `mallinfo2`). Swift's Glibc module does
    /// not import <malloc.h>, so the symbol is looked up with dlsym. `struct mallinfo2` (ten size_t)
    /// is returned through a hidden pointer, which on x86-64 SysV is the first integer argument —
    /// hence the (pointer) → pointer signature; other architectures pass it differently, so skip there.
    func heapBytesInUse() throws -> Int {
        #if os(Linux) && arch(x86_64)
        typealias MallInfo2 = @convention(c) (UnsafeMutableRawPointer) -> UnsafeMutableRawPointer?
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "mallinfo2") else { throw XCTSkip("mallinfo2 not available") }
        let call = unsafeBitCast(symbol, to: MallInfo2.self)
        let info = UnsafeMutablePointer<Int>.allocate(capacity: 10)
        defer { info.deallocate() }
        _ = call(UnsafeMutableRawPointer(info))
        return info[7] + info[4]   // uordblks + hblkhd
        #else
        throw XCTSkip("malloc statistics are read through glibc on x86-64 only")
        #endif
    }

    /// Hundreds of transitions of the eight-schools posterior (thousands of leapfrog steps) must leave
    /// the heap byte-for-byte as it was: this catches anything retained or grown per step. An
    /// allocation freed within the same step is invisible to malloc statistics (its chunk is reused),
    /// so that half is checked outside the test suite by running this test under heaptrack, whose
    /// report lists no allocation with `NUTS.transition` or `buildTree` on its stack
    /// (`heaptrack .build/release/MixPlanPackageTests.xctest MixInferenceTests.AllocationTests`).
    func testTransitionsDoNotAllocate() throws {
        let model = try EightSchoolsNoncentered(posteriordb: Fixtures.posteriordb("README.md").deletingLastPathComponent())
        let nuts = try NUTS(density: model, stepSize: 0.3, maxTreeDepth: 10, rng: RandomStream(seed: 1),
                            initialPoint: [Double](repeating: 0.1, count: model.dimension))
        // Let lazily created runtime state settle: the first transitions, and one reading of the
        // statistics itself (dlopen and, in debug builds, the metadata of the C function type).
        for _ in 0..<50 { _ = nuts.transition() }
        _ = try heapBytesInUse()
        // Up to three rounds; one must leave the heap unchanged. Other threads of the test process
        // occasionally allocate a few hundred bytes to ~3 KB once, which can disturb a round.
        // Anything retained per step changes every round: a constant amount obviously, and an
        // amortised, geometrically growing buffer too, because each round at least doubles the number
        // of transitions done so far (50 → 350 → 750 → 1550), so it crosses a capacity doubling.
        var changes: [Int] = []
        var leapfrogs = 0
        for length in [300, 400, 800] {
            let before = try heapBytesInUse()
            for _ in 0..<length { leapfrogs += nuts.transition().leapfrogSteps }
            let after = try heapBytesInUse()
            changes.append(after - before)
            if after == before { break }
        }
        XCTAssertGreaterThan(leapfrogs, 1000)
        XCTAssertTrue(changes.contains(0), "heap changed by \(changes) bytes in successive rounds of transitions")
    }
}
