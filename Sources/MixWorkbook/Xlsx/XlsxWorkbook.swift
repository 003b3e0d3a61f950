import CXlsxWriter
import MixData
import Foundation

/// A failure reported by libxlsxwriter, with the file and the place (sheet, cell, name) it was
/// writing, as one readable sentence.
public struct WorkbookError: Error, CustomStringConvertible, Equatable {
    public var file: String
    public var location: String
    public var reason: String

    public var description: String { "\(file): \(location): \(reason)" }
}

/// The look of a cell. Workbooks keep one libxlsxwriter format per distinct style.
struct CellStyle: Hashable {
    var numberFormat: String?
    var bold = false
    var italic = false
    var size: Double?
    var fontColor: UInt32?
    var fill: UInt32?
    var bottomBorder = false
    var border = false
    var wrap = false
    var alignRight = false
    var verticalTop = false
}

/// An .xlsx file being built: the one owner of libxlsxwriter's workbook. Nothing is written
/// until `close()`; a workbook dropped without closing leaves no file behind.
final class XlsxWorkbook {
    let path: String
    private var handle: UnsafeMutablePointer<lxw_workbook>?
    private var formats: [CellStyle: UnsafeMutablePointer<lxw_format>] = [:]
    private(set) var sheets: [XlsxSheet] = []

    init(path: String) throws {
        self.path = path
        var options = lxw_workbook_options()
        options.constant_memory = 0
        options.use_zip64 = 0
        let tmp = NSTemporaryDirectory()
        handle = tmp.withCString { dir -> UnsafeMutablePointer<lxw_workbook>? in
            options.tmpdir = UnsafeMutablePointer(mutating: dir)
            return workbook_new_opt(path, &options)
        }
        guard handle != nil else {
            throw WorkbookError(file: path, location: "workbook", reason: "libxlsxwriter could not start a workbook (out of memory?).")
        }
    }

    deinit {
        if let handle { lxw_workbook_free(handle) }
    }

    private var workbook: UnsafeMutablePointer<lxw_workbook> {
        guard let handle else { preconditionFailure("workbook used after close()") }
        return handle
    }

    /// Adds a worksheet; names are ours (never from data), at most 31 characters.
    func addSheet(_ name: String) throws -> XlsxSheet {
        guard let ws = workbook_add_worksheet(workbook, name) else {
            throw WorkbookError(file: path, location: "sheet \"\(name)\"", reason: "libxlsxwriter refused the sheet name.")
        }
        let sheet = XlsxSheet(handle: ws, name: name, workbook: self)
        sheets.append(sheet)
        return sheet
    }

    /// The libxlsxwriter format for a style, created once per distinct style.
    func format(_ style: CellStyle) -> UnsafeMutablePointer<lxw_format> {
        if let f = formats[style] { return f }
        let f = workbook_add_format(workbook)!
        if let n = style.numberFormat { format_set_num_format(f, n) }
        if style.bold { format_set_bold(f) }
        if style.italic { format_set_italic(f) }
        if let s = style.size { format_set_font_size(f, s) }
        if let c = style.fontColor { format_set_font_color(f, c) }
        if let c = style.fill {
            format_set_pattern(f, UInt8(LXW_PATTERN_SOLID.rawValue))
            format_set_bg_color(f, c)
        }
        if style.bottomBorder { format_set_bottom(f, UInt8(LXW_BORDER_THIN.rawValue)) }
        if style.border { format_set_border(f, UInt8(LXW_BORDER_THIN.rawValue)) }
        if style.wrap { format_set_text_wrap(f) }
        if style.alignRight { format_set_align(f, UInt8(LXW_ALIGN_RIGHT.rawValue)) }
        if style.verticalTop { format_set_align(f, UInt8(LXW_ALIGN_VERTICAL_TOP.rawValue)) }
        formats[style] = f
        return f
    }

    /// Defines a workbook-wide name (e.g. `Ch1_Beta`) for a reference such as `'Model'!$C$4`.
    /// Names are ours, never from data.
    func defineName(_ name: String, refersTo reference: String) throws {
        try check(workbook_define_name(workbook, name, "=" + reference), "defined name \(name)")
    }

    /// A native chart of the given libxlsxwriter type, to be filled and inserted into a sheet.
    func addChart(_ type: lxw_chart_type) throws -> XlsxChart {
        guard let chart = workbook_add_chart(workbook, UInt8(type.rawValue)) else {
            throw WorkbookError(file: path, location: "chart", reason: "libxlsxwriter could not create a chart.")
        }
        return XlsxChart(handle: chart)
    }

    /// Document properties; `created` fixes the creation stamp so the same input gives the same bytes.
    func setProperties(title: String, subject: String, comments: String, created: Date) throws {
        try title.withCString { t in
            try subject.withCString { s in
                try comments.withCString { c in
                    try "MixPlan".withCString { a in
                        var p = lxw_doc_properties()
                        p.title = UnsafeMutablePointer(mutating: t)
                        p.subject = UnsafeMutablePointer(mutating: s)
                        p.comments = UnsafeMutablePointer(mutating: c)
                        p.author = UnsafeMutablePointer(mutating: a)
                        p.created = time_t(created.timeIntervalSince1970)
                        try check(workbook_set_properties(workbook, &p), "document properties")
                    }
                }
            }
        }
    }

    /// Writes the file. The workbook cannot be used afterwards.
    func close() throws {
        let wb = workbook
        handle = nil
        errno = 0
        let status = workbook_close(wb)
        let systemError = errno
        if status != LXW_NO_ERROR {
            // libxlsxwriter's zip errors ("ZIP_ERRNO") hide the system's reason: add it (e.g. a full disk).
            let cause = systemError != 0 ? " " + String(cString: strerror(systemError)) + "." : ""
            throw WorkbookError(file: path, location: "writing the file", reason: Self.message(status) + cause)
        }
    }

    func check(_ status: lxw_error, _ location: @autoclosure () -> String) throws {
        if status != LXW_NO_ERROR {
            throw WorkbookError(file: path, location: location(), reason: Self.message(status))
        }
    }

    static func message(_ status: lxw_error) -> String {
        guard let text = lxw_strerror(status) else { return "libxlsxwriter error \(status.rawValue)." }
        return String(cString: text) + "."
    }

    /// Builds a workbook at `url` through a temporary sibling and a rename, so a failure never
    /// leaves a partial file (an existing file at `url` stays untouched). The one atomic writer
    /// of .xlsx files: errors in closing (a full disk, an unwritable folder) become an
    /// `InputError` naming `url`; other `WorkbookError`s are re-addressed to `url`.
    static func writeAtomically(to url: URL, _ build: (XlsxWorkbook) throws -> Void) throws {
        try AtomicOutput.writeFile(at: url) { temporary in
            do {
                let book = try XlsxWorkbook(path: temporary.path)
                try build(book)
                do {
                    try book.close()
                } catch let error as WorkbookError {
                    throw InputError(InputLocation(file: url.path), "cannot be written (\(error.reason.dropLast())); check that the folder exists and is writable.")
                }
            } catch let error as WorkbookError {
                throw WorkbookError(file: url.path, location: error.location, reason: error.reason)
            }
        }
    }
}
