import Foundation
import XCTest
import MixWorkbook

final class SmokeTests: XCTestCase {
    func testWrites() throws {
        let t0 = Date()
        let r = WorkbookFixture.optimised
        print("fit+plan", Date().timeIntervalSince(t0))
        let url = WorkbookFixture.temporaryWorkbook("smoke.xlsx")
        try WorkbookWriter.write(r, chartFiles: WorkbookFixture.chartFiles, to: url)
        print(url.path)
        let t1 = Date()
        _ = WorkbookFixture.unoptimised
        print("fit2", Date().timeIntervalSince(t1))
        try WorkbookWriter.write(WorkbookFixture.unoptimised, chartFiles: [], to: WorkbookFixture.temporaryWorkbook("smoke2.xlsx"))
    }
}
