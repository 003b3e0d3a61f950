// swift-tools-version:6.0
import PackageDescription

// Stages, in order: data → inference → model → optimise → results → charts → workbook → report → CLI.
// Each module depends only on earlier stages; only MixCharts imports CCairo, only
// MixWorkbook imports CXlsxWriter and only MixExport (ArviZ netCDF export) imports CNetCDF.
let package = Package(
    name: "MixPlan",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "MixData", targets: ["MixData"]),
        .library(name: "MixInference", targets: ["MixInference"]),
        .library(name: "MixModel", targets: ["MixModel"]),
        .library(name: "MixOptimize", targets: ["MixOptimize"]),
        .library(name: "MixResults", targets: ["MixResults"]),
        .library(name: "MixCharts", targets: ["MixCharts"]),
        .library(name: "MixWorkbook", targets: ["MixWorkbook"]),
        .library(name: "MixReport", targets: ["MixReport"]),
        .library(name: "MixExport", targets: ["MixExport"]),
        .executable(name: "mixplan", targets: ["mixplan"]),
        .executable(name: "mixplan-bench", targets: ["mixplan-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .systemLibrary(name: "CCairo", pkgConfig: "cairo", providers: [.apt(["libcairo2-dev"])]),
        .systemLibrary(name: "CXlsxWriter", pkgConfig: "xlsxwriter", providers: [.apt(["libxlsxwriter-dev"])]),
        .systemLibrary(name: "CNetCDF", pkgConfig: "netcdf", providers: [.apt(["libnetcdf-dev"])]),

        .target(name: "MixData", dependencies: [.product(name: "Yams", package: "Yams")]),
        .target(name: "MixInference"),
        .target(name: "MixModel", dependencies: ["MixData", "MixInference"]),
        .target(name: "MixOptimize", dependencies: ["MixModel"]),
        .target(name: "MixResults", dependencies: ["MixOptimize"]),
        .target(name: "MixCharts", dependencies: ["CCairo", "MixResults"]),
        // MixCharts for the chart identities (ChartKind) of the PNGs the workbook embeds.
        .target(name: "MixWorkbook", dependencies: ["CXlsxWriter", "MixCharts", "MixResults"]),
        .target(name: "MixReport", dependencies: [
            "MixData", "MixModel", "MixOptimize", "MixResults", "MixCharts", "MixWorkbook",
            .product(name: "Mustache", package: "swift-mustache"),
        ]),
        .target(name: "MixExport", dependencies: ["CNetCDF", "MixData", "MixModel"]),
        .executableTarget(name: "mixplan", dependencies: [
            "MixData", "MixInference", "MixModel", "MixOptimize", "MixResults", "MixCharts", "MixWorkbook", "MixReport", "MixExport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "mixplan-bench", dependencies: [
            "MixData", "MixInference", "MixModel", "MixOptimize", "MixResults", "MixCharts", "MixWorkbook", "MixReport",
        ]),
        // Fuzz target over the CSV reader, dataset loader and config parser (see
        // Tests/Fixtures/bad-input/README.md): a seeded mutation driver, or libFuzzer when built
        // with -sanitize=fuzzer.
        .executableTarget(name: "mixplan-fuzz", dependencies: [
            "MixData", "MixCharts", "MixReport", .product(name: "Mustache", package: "swift-mustache"),
        ]),

        // Shared test helpers (fixture paths), one copy for every test target.
        .target(name: "MixTestSupport", path: "Tests/MixTestSupport"),
        // Shared planning fixtures (hand-made response draws, one short geo fit) for the tests of
        // the optimiser and the stages after it; apart, so MixTestSupport keeps no dependencies.
        .target(name: "MixPlanningTestSupport", dependencies: ["MixOptimize"], path: "Tests/MixPlanningTestSupport"),

        .testTarget(name: "MixDataTests", dependencies: ["MixData", "MixTestSupport"]),
        .testTarget(name: "MixInferenceTests", dependencies: ["MixInference", "MixTestSupport"]),
        .testTarget(name: "MixModelTests", dependencies: ["MixModel", "MixTestSupport"]),
        .testTarget(name: "MixOptimizeTests", dependencies: ["MixOptimize", "MixTestSupport", "MixPlanningTestSupport"]),
        .testTarget(name: "MixResultsTests", dependencies: ["MixResults", "MixTestSupport", "MixPlanningTestSupport"]),
        .testTarget(name: "MixChartsTests", dependencies: ["MixCharts", "MixTestSupport", "MixPlanningTestSupport"]),
        .testTarget(name: "MixWorkbookTests", dependencies: ["MixWorkbook", "MixTestSupport", "MixPlanningTestSupport"]),
        .testTarget(name: "MixReportTests", dependencies: ["MixReport", "MixTestSupport", "MixPlanningTestSupport"]),
        .testTarget(name: "MixExportTests", dependencies: ["MixExport", "MixModel", "MixTestSupport"]),
        // The CLI target itself for its spec parsers (PlanSpecs), besides running the built binary.
        .testTarget(name: "MixPlanCLITests", dependencies: ["MixData", "MixModel", "MixTestSupport", "mixplan", "MixPlanningTestSupport"]),
    ],
    swiftLanguageModes: [.v5]
)
