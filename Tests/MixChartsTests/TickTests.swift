import Foundation
import MixCharts
import MixData
import XCTest

final class TickTests: XCTestCase {
    func testNiceTicksUseOneTwoFiveSteps() {
        for (lo, hi, n) in [(0.0, 93_000.0, 6), (0.13, 0.87, 5), (-3.2, 7.9, 8), (1_234.0, 1_290.0, 4), (0.0, 1.0, 2)] {
            let (t, step) = niceTicks(lo: lo, hi: hi, maxCount: n)
            XCTAssertLessThanOrEqual(t.count, n, "\(lo)…\(hi)")
            XCTAssertGreaterThanOrEqual(t.count, 2, "\(lo)…\(hi)")
            let mantissa = step / pow(10, floor(log10(step)))
            XCTAssertTrue([1, 2, 5].contains { abs($0 - mantissa) < 1e-9 }, "step \(step)")
            XCTAssertTrue(t.allSatisfy { $0 >= lo - 1e-9 && $0 <= hi + 1e-9 })
            for k in 1..<t.count { XCTAssertEqual(t[k] - t[k - 1], step, accuracy: step * 1e-9) }
        }
        XCTAssertEqual(niceTicks(lo: 0, hi: 93_000, maxCount: 6).ticks, [0, 20_000, 40_000, 60_000, 80_000])
    }

    func testNumberFormats() {
        XCTAssertEqual(NumberFormat.compact.format(1_234), "1.23k")
        XCTAssertEqual(NumberFormat.compact.format(3_400_000, step: 500_000), "3.4M")
        XCTAssertEqual(NumberFormat.compact.format(20_000, step: 10_000), "20k")
        XCTAssertEqual(NumberFormat.compact.format(0, step: 10_000), "0")
        XCTAssertEqual(NumberFormat.compact.format(2.5e9, step: 5e8), "2.5B")
        XCTAssertEqual(NumberFormat.compact.format(0.25, step: 0.05), "0.25")
        XCTAssertEqual(NumberFormat.currency("€").format(1_500_000, step: 500_000), "€1.5M")
        XCTAssertEqual(NumberFormat.currency("$").format(-2_000, step: 1_000), "−$2k")
        XCTAssertEqual(NumberFormat.percent.format(0.25, step: 0.05), "25%")
        XCTAssertEqual(NumberFormat.percent.format(0.125, step: 0.005), "12.5%")
        XCTAssertEqual(NumberFormat.fixed(2).format(-0.001), "0.00")
        XCTAssertEqual(NumberFormat.fixed(1).format(-1.25), "−1.2")
    }

    func testTimeTicksFitAndSwitchToCoarserSteps() {
        let start = CalendarDate(year: 2022, month: 1, day: 3)!, end = start.adding(days: 7 * 155)
        let width: (String) -> Double = { Double($0.count) * 7 } // ~7 px per glyph at 10.5 pt
        let wide = TimeTicks.make(lo: Double(start.dayNumber), hi: Double(end.dayNumber), pixels: 2_400, labelWidth: width)
        let narrow = TimeTicks.make(lo: Double(start.dayNumber), hi: Double(end.dayNumber), pixels: 300, labelWidth: width)
        XCTAssertGreaterThan(wide.positions.count, narrow.positions.count)
        XCTAssertEqual(narrow.labels, ["2023", "2024"])
        for (t, pixels) in [(wide, 2_400.0), (narrow, 300.0)] {
            let px = pixels / Double(end.dayNumber - start.dayNumber)
            for k in 1..<t.positions.count {
                let gap = (t.positions[k] - t.positions[k - 1]) * px
                XCTAssertGreaterThan(gap, (width(t.labels[k]) + width(t.labels[k - 1])) / 2, "labels \(t.labels[k - 1]) and \(t.labels[k]) collide")
            }
        }
        // Every tick is the first of a month inside the range.
        for p in wide.positions {
            XCTAssertEqual(CalendarDate(dayNumber: Int(p)).day, 1)
            XCTAssertTrue(Int(p) >= start.dayNumber && Int(p) <= end.dayNumber)
        }
        XCTAssertEqual(wide.labels.first, "Feb 2022")
    }

    func testPaletteIsStablePerChannel() {
        XCTAssertEqual(Palette.channel(0), RGBA(hex: 0x0072B2))
        XCTAssertEqual(Palette.channel(9), Palette.channel(1))
        XCTAssertEqual(Set(Palette.okabeIto.map { "\($0)" }).count, 8)
    }
}
