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

    /// 300 transitions of the eight-schools posterior (thousands of leapfrog steps) must leave the
    /// heap byte-for-byte as it was: this catches anything retained or grown per step. An
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
        var leapfrogs = 0
        let before = try heapBytesInUse()
        for _ in 0..<300 { leapfrogs += nuts.transition().leapfrogSteps }
        let after = try heapBytesInUse()
        XCTAssertGreaterThan(leapfrogs, 1000)
        XCTAssertEqual(after, before, "heap changed by \(after - before) bytes over \(leapfrogs) leapfrog steps")
    }
}
