import Foundation

#if LIBFUZZER
/// libFuzzer's entry point for one input (used when libFuzzer's own `main` is linked).
@_cdecl("LLVMFuzzerTestOneInput")
public func mixplanFuzzTestOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    FuzzTarget.run(count == 0 ? Data() : Data(bytes: bytes!, count: count))
    return 0
}

/// libFuzzer's driver, for when SwiftPM's executable `main` wins the link.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt
#endif

/// `mixplan-fuzz`: fuzzes MixPlan's input parsers (CSV reader, dataset loader, config parser).
///
/// Built normally it is a seeded mutation driver:
///     mixplan-fuzz [--inputs N] [--seconds S] [--seed S] [--time-limit SECONDS] [--replay I [--dump FILE]] [CORPUS_DIR…]
/// Built with `-Xswiftc -sanitize=fuzzer -Xswiftc -DLIBFUZZER` it is a libFuzzer binary taking
/// libFuzzer's flags (see Tests/Fixtures/bad-input/README.md).
@main
struct FuzzMain {
    static func main() {
        #if LIBFUZZER
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { mixplanFuzzTestOneInput($0, $1) })
        #else
        var driver = Driver()
        var corpus: [URL] = []
        var arguments = CommandLine.arguments.dropFirst()
        func value(_ flag: String) -> String {
            guard let v = arguments.popFirst() else { usage("\(flag) needs a value") }
            return v
        }
        func number<T: LosslessStringConvertible>(_ flag: String, _ expected: String) -> T {
            guard let v = T(value(flag)) else { usage("\(flag) expects \(expected)") }
            return v
        }
        while let argument = arguments.popFirst() {
            switch argument {
            case "--inputs": driver.count = number(argument, "a whole number")
            case "--seed": driver.seed = number(argument, "a whole number ≥ 0")
            case "--time-limit": driver.timeLimit = number(argument, "seconds")
            case "--seconds": driver.duration = number(argument, "seconds") as Double
            case "--replay": driver.replay = number(argument, "an input number") as Int
            case "--dump": driver.dump = value(argument)
            case "--help", "-h": usage(nil)
            default:
                if argument.hasPrefix("-") { usage("unknown option \(argument)") }
                corpus.append(URL(fileURLWithPath: argument))
            }
        }
        if !corpus.isEmpty { driver.corpus = corpus }
        do {
            exit(try driver.run())
        } catch {
            FileHandle.standardError.write(Data("mixplan-fuzz: \(error)\n".utf8))
            exit(2)
        }
        #endif
    }

    static func usage(_ problem: String?) -> Never {
        let text = """
        usage: mixplan-fuzz [--inputs N] [--seconds S] [--seed S] [--time-limit SECONDS] [--replay I [--dump FILE]] [CORPUS_DIR…]
        Mutates the .csv, .yaml and .mustache files under CORPUS_DIR (default: samples/, Templates/ and the test
        fixtures) and feeds each input to every target: the CSV reader, the dataset loader and check's summary, the
        config parser, chart axes and labels, and report templates. --seconds stops after that much wall time.
        Exit 0: no finding.
        """
        if let problem {
            FileHandle.standardError.write(Data("mixplan-fuzz: \(problem)\n\(text)\n".utf8))
            exit(2)
        }
        print(text)
        exit(0)
    }
}
