import CCairo
import Foundation

/// Errors from the Cairo layer, naming the file and what went wrong.
public enum ChartError: Error, CustomStringConvertible, Equatable {
    case cairo(String)
    case pngWrite(path: String, reason: String)
    case pngRead(path: String, reason: String)
    case invalidInput(chart: String, reason: String)

    public var description: String {
        switch self {
        case .cairo(let s): return "Cairo failed: \(s)."
        case .pngWrite(let p, let r): return "Could not write the chart PNG \(p): \(r)."
        case .pngRead(let p, let r): return "Could not read the PNG \(p): \(r)."
        case .invalidInput(let c, let r): return "The \(c) chart cannot be drawn: \(r)."
        }
    }
}

/// An RGBA colour with components in 0…1.
public struct RGBA: Equatable, Sendable {
    public var r: Double, g: Double, b: Double, a: Double
    public init(_ r: Double, _ g: Double, _ b: Double, _ a: Double = 1) {
        self.r = r; self.g = g; self.b = b; self.a = a
    }
    /// From a 0xRRGGBB integer.
    public init(hex: UInt32, alpha: Double = 1) {
        self.init(Double((hex >> 16) & 0xff) / 255, Double((hex >> 8) & 0xff) / 255,
                  Double(hex & 0xff) / 255, alpha)
    }
    public func withAlpha(_ a: Double) -> RGBA { RGBA(r, g, b, a) }
    /// This colour composited over white, as an opaque colour (what a reader sees).
    public func overWhite() -> RGBA { RGBA(r * a + 1 - a, g * a + 1 - a, b * a + 1 - a, 1) }
}

/// An ARGB32 image surface: the only owner of a `cairo_surface_t`.
public final class CairoSurface {
    let raw: OpaquePointer
    /// Device-pixel width and height.
    public let pixelWidth: Int, pixelHeight: Int

    /// A blank (transparent) image of the given device-pixel size.
    public init(pixelWidth: Int, pixelHeight: Int) throws {
        raw = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(pixelWidth), Int32(pixelHeight))
        self.pixelWidth = pixelWidth
        self.pixelHeight = pixelHeight
        let st = cairo_surface_status(raw)
        if st != CAIRO_STATUS_SUCCESS {
            cairo_surface_destroy(raw)
            throw ChartError.cairo(String(cString: cairo_status_to_string(st)))
        }
    }

    /// Decodes a PNG file (used by tests to read a chart back).
    public init(pngPath: String) throws {
        raw = cairo_image_surface_create_from_png(pngPath)
        let st = cairo_surface_status(raw)
        if st != CAIRO_STATUS_SUCCESS {
            cairo_surface_destroy(raw)
            throw ChartError.pngRead(path: pngPath, reason: String(cString: cairo_status_to_string(st)))
        }
        pixelWidth = Int(cairo_image_surface_get_width(raw))
        pixelHeight = Int(cairo_image_surface_get_height(raw))
    }

    deinit { cairo_surface_destroy(raw) }

    /// The un-premultiplied colour of device pixel (x, y).
    public func pixel(x: Int, y: Int) -> RGBA {
        cairo_surface_flush(raw)
        let stride = Int(cairo_image_surface_get_stride(raw))
        guard let data = cairo_image_surface_get_data(raw), x >= 0, y >= 0,
              x < pixelWidth, y < pixelHeight else { return RGBA(0, 0, 0, 0) }
        let p = data.advanced(by: y * stride + x * 4).withMemoryRebound(to: UInt32.self, capacity: 1) { $0.pointee }
        let a = Double((p >> 24) & 0xff) / 255
        if a == 0 { return RGBA(0, 0, 0, 0) }
        return RGBA(Double((p >> 16) & 0xff) / 255 / a, Double((p >> 8) & 0xff) / 255 / a,
                    Double(p & 0xff) / 255 / a, a)
    }

    /// Writes the image as PNG to a temporary file beside `path`, then renames it into place
    /// so readers never see a half-written chart.
    public func writePNG(to path: String) throws {
        let tmp = path + ".tmp-\(getpid())"
        errno = 0
        let st = cairo_surface_write_to_png(raw, tmp)
        if st != CAIRO_STATUS_SUCCESS {
            // Cairo says only "error while writing to output stream"; errno says why (e.g. disk full).
            let why = errno != 0 ? String(cString: strerror(errno)) : String(cString: cairo_status_to_string(st))
            try? FileManager.default.removeItem(atPath: tmp)
            throw ChartError.pngWrite(path: path, reason: why)
        }
        if rename(tmp, path) != 0 {
            try? FileManager.default.removeItem(atPath: tmp)
            throw ChartError.pngWrite(path: path, reason: String(cString: strerror(errno)))
        }
    }

    /// The image encoded as PNG bytes.
    public func pngData() throws -> Data {
        final class Sink { var data = Data() }
        let sink = Sink()
        let box = Unmanaged.passUnretained(sink).toOpaque()
        let st = cairo_surface_write_to_png_stream(raw, { closure, bytes, length in
            let s = Unmanaged<AnyObject>.fromOpaque(closure!).takeUnretainedValue() as! Sink
            if let bytes { s.data.append(bytes, count: Int(length)) }
            return CAIRO_STATUS_SUCCESS
        }, box)
        if st != CAIRO_STATUS_SUCCESS { throw ChartError.cairo(String(cString: cairo_status_to_string(st))) }
        return sink.data
    }
}

/// Text metrics in user units: advance width and the extents above/below the baseline.
public struct TextMetrics: Equatable, Sendable {
    public var width: Double, ascent: Double, descent: Double
    public var height: Double { ascent + descent }
}

/// Drawing state over a surface: the only owner of a `cairo_t`. Coordinates are in user units
/// (1 unit = `scale` device pixels).
public final class CairoContext {
    let raw: OpaquePointer
    public let surface: CairoSurface

    public init(surface: CairoSurface, scale: Double) {
        self.surface = surface
        raw = cairo_create(surface.raw)
        cairo_scale(raw, scale, scale)
        cairo_select_font_face(raw, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL)
        let fo = cairo_font_options_create()
        cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY)
        cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE)
        cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF)
        cairo_set_font_options(raw, fo)
        cairo_font_options_destroy(fo)
    }
    deinit { cairo_destroy(raw) }

    public func setColor(_ c: RGBA) { cairo_set_source_rgba(raw, c.r, c.g, c.b, c.a) }
    public func setLineWidth(_ w: Double) { cairo_set_line_width(raw, w) }
    /// Dash pattern in user units; empty for a solid line.
    public func setDash(_ pattern: [Double]) { cairo_set_dash(raw, pattern, Int32(pattern.count), 0) }
    public func setLineJoinRound() { cairo_set_line_join(raw, CAIRO_LINE_JOIN_ROUND); cairo_set_line_cap(raw, CAIRO_LINE_CAP_ROUND) }
    public func setLineCapButt() { cairo_set_line_cap(raw, CAIRO_LINE_CAP_BUTT); cairo_set_line_join(raw, CAIRO_LINE_JOIN_MITER) }
    public func moveTo(_ x: Double, _ y: Double) { cairo_move_to(raw, x, y) }
    public func lineTo(_ x: Double, _ y: Double) { cairo_line_to(raw, x, y) }
    public func rectangle(_ x: Double, _ y: Double, _ w: Double, _ h: Double) { cairo_rectangle(raw, x, y, w, h) }
    public func circle(_ x: Double, _ y: Double, _ r: Double) {
        cairo_new_sub_path(raw); cairo_arc(raw, x, y, r, 0, 2 * Double.pi)
    }
    public func closePath() { cairo_close_path(raw) }
    public func newPath() { cairo_new_path(raw) }
    public func fill() { cairo_fill(raw) }
    public func fillPreserve() { cairo_fill_preserve(raw) }
    public func stroke() { cairo_stroke(raw) }
    public func save() { cairo_save(raw) }
    public func restore() { cairo_restore(raw) }
    /// Restricts drawing to a rectangle until `restore()`.
    public func clip(_ x: Double, _ y: Double, _ w: Double, _ h: Double) {
        cairo_rectangle(raw, x, y, w, h); cairo_clip(raw)
    }
    public func translate(_ x: Double, _ y: Double) { cairo_translate(raw, x, y) }
    public func rotate(_ a: Double) { cairo_rotate(raw, a) }

    public func setFont(size: Double, bold: Bool = false) {
        cairo_select_font_face(raw, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                               bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(raw, size)
    }
    /// Width of `s` and the font's ascent/descent at the current size.
    public func measure(_ s: String) -> TextMetrics {
        var te = cairo_text_extents_t()
        var fe = cairo_font_extents_t()
        cairo_text_extents(raw, s, &te)
        cairo_font_extents(raw, &fe)
        return TextMetrics(width: te.x_advance, ascent: fe.ascent, descent: fe.descent)
    }
    /// Draws `s` with its baseline starting at (x, y).
    public func showText(_ s: String, _ x: Double, _ y: Double) {
        cairo_move_to(raw, x, y); cairo_show_text(raw, s)
    }
    public func paint(_ c: RGBA) { setColor(c); cairo_paint(raw) }
}
