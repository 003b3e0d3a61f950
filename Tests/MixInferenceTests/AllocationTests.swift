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

    /// 300 transitions of the eight-schools posterior (thousands of leapfrog steps, trees up to
    /// depth ~4) must leave the heap exactly as it was. A per-step allocation that is freed again
    /// lands in glibc's tcache and stays counted in uordblks, so growth here would also show a
    /// leak or an array growing per step; heaptrack on this test confirms no allocation at all
    /// comes from `transition` (see the issue report).
    func testTransitionsDoNotAllocate() throws {
        let model = try EightSchoolsNoncentered(posteriordb: Fixtures.posteriordb("README.md").deletingLastPathComponent())
        let nuts = try NUTS(density: model, stepSize: 0.3, maxTreeDepth: 10, rng: RandomStream(seed: 1),
                            initialPoint: [Double](repeating: 0.1, count: model.dimension))
        for _ in 0..<50 { _ = nuts.transition() }      // let lazily created runtime state settle
        var leapfrogs = 0
        let before = try heapBytesInUse()
        for _ in 0..<300 { leapfrogs += nuts.transition().leapfrogSteps }
        let after = try heapBytesInUse()
        XCTAssertGreaterThan(leapfrogs, 1000)
        XCTAssertEqual(after, before, "heap changed by \(after - before) bytes over \(leapfrogs) leapfrog steps")
    }
}
