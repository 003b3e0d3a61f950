import Foundation

/// A rectangle in user units (1 unit = `scale` device pixels).
public struct Rect: Equatable, Sendable {
    public var x: Double, y: Double, w: Double, h: Double
    public init(x: Double, y: Double, w: Double, h: Double) { self.x = x; self.y = y; self.w = w; self.h = h }
    public var maxX: Double { x + w }
    public var maxY: Double { y + h }
    public func intersects(_ o: Rect) -> Bool { x < o.maxX && o.x < maxX && y < o.maxY && o.y < maxY }
    public func contains(_ o: Rect) -> Bool { o.x >= x - 0.5 && o.y >= y - 0.5 && o.maxX <= maxX + 0.5 && o.maxY <= maxY + 0.5 }
}

/// Okabe–Ito colour-blind-safe palette; channel `i` always gets `channel(i)` in every chart.
/// Okabe–Ito's eighth colour is black, which the charts already use for ink, totals and the
/// net line; the eighth channel gets Paul Tol's wine (#882255) instead, which stays apart from
/// the other seven under the common colour-vision deficiencies.
public enum Palette {
    public static let okabeIto: [RGBA] = [
        RGBA(hex: 0x0072B2), RGBA(hex: 0xE69F00), RGBA(hex: 0x009E73), RGBA(hex: 0xCC79A7),
        RGBA(hex: 0x56B4E9), RGBA(hex: 0xD55E00), RGBA(hex: 0xF0E442), RGBA(hex: 0x882255),
    ]
    /// The stable colour of channel index `i`.
    public static func channel(_ i: Int) -> RGBA { okabeIto[((i % okabeIto.count) + okabeIto.count) % okabeIto.count] }
    // Non-media components: neutral tints told apart by lightness and warmth, so the channel
    // colours stay the only saturated ones.
    public static let baseline = RGBA(hex: 0xC4C4C4)
    public static let trend = RGBA(hex: 0xA89A86)
    public static let controls = RGBA(hex: 0x7A7A7A)
    public static let seasonality = RGBA(hex: 0xD3DDE6)
    public static let ink = RGBA(hex: 0x222222)
    public static let subtle = RGBA(hex: 0x666666)
    public static let grid = RGBA(hex: 0xE6E6E6)
    public static let holdout = RGBA(hex: 0xF2F2F2)
    public static let positive = RGBA(hex: 0x009E73)
    public static let negative = RGBA(hex: 0xD55E00)
}

/// A piece of text the layout drew, with its box, so tests can check nothing is clipped.
public struct TextBox: Equatable, Sendable {
    public var text: String
    public var rect: Rect
}

/// Horizontal anchor of a text run.
public enum TextAnchor: Sendable { case start, middle, end }

/// A drawing surface of `width`×`height` user units rendered at `scale` (1 or 2 for HiDPI).
public final class Canvas {
    public let width: Double, height: Double, scale: Double
    public let context: CairoContext
    /// Every text run drawn so far.
    public private(set) var texts: [TextBox] = []

    public init(width: Double, height: Double, scale: Double = 1) throws {
        self.width = width; self.height = height; self.scale = scale
        let surface = try CairoSurface(pixelWidth: Int((width * scale).rounded()), pixelHeight: Int((height * scale).rounded()))
        context = CairoContext(surface: surface, scale: scale)
        context.paint(RGBA(1, 1, 1))
    }

    public var surface: CairoSurface { context.surface }

    public func measure(_ s: String, size: Double, bold: Bool = false) -> TextMetrics {
        context.setFont(size: size, bold: bold)
        return context.measure(s)
    }

    /// `s` at `size` if it fits in `width`, else at the size that fits down to `minimumSize`, and
    /// below that cut at the end with "…" until it fits.
    public func fitting(_ s: String, width: Double, size: Double, minimumSize: Double, bold: Bool = false) -> (text: String, size: Double) {
        let w = measure(s, size: size, bold: bold).width
        guard w > width else { return (s, size) }
        let scaled = size * width / w
        if scaled >= minimumSize { return (s, scaled) }
        var cut = s
        while !cut.isEmpty, measure(cut + "…", size: minimumSize, bold: bold).width > width { cut.removeLast() }
        return (cut.trimmingCharacters(in: .whitespaces) + "…", minimumSize)
    }

    /// Draws text whose box top is at `top`; returns and records the box.
    @discardableResult
    public func text(_ s: String, x: Double, top: Double, size: Double, color: RGBA = Palette.ink,
                     anchor: TextAnchor = .start, bold: Bool = false) -> Rect {
        context.setFont(size: size, bold: bold)
        let m = context.measure(s)
        let x0: Double = anchor == .start ? x : anchor == .middle ? x - m.width / 2 : x - m.width
        context.setColor(color)
        context.showText(s, x0, top + m.ascent)
        let r = Rect(x: x0, y: top, w: m.width, h: m.height)
        texts.append(TextBox(text: s, rect: r))
        return r
    }

    /// Draws text rotated 90° anticlockwise, centred on (cx, cy) (a y-axis label).
    public func verticalText(_ s: String, cx: Double, cy: Double, size: Double, color: RGBA = Palette.subtle) {
        context.setFont(size: size)
        let m = context.measure(s)
        context.save()
        context.translate(cx, cy)
        context.rotate(-Double.pi / 2)
        context.setColor(color)
        context.showText(s, -m.width / 2, m.ascent - m.height / 2)
        context.restore()
        texts.append(TextBox(text: s, rect: Rect(x: cx - m.height / 2, y: cy - m.width / 2, w: m.height, h: m.width)))
    }

    /// Draws the title (and subtitle, wrapped at word boundaries to the canvas width) at the
    /// top; returns the y where content may start.
    public func header(title: String, subtitle: String?) -> Double {
        var y = 12.0
        y = text(title, x: 16, top: y, size: 16, bold: true).maxY + 4
        if let subtitle {
            for line in wrap(subtitle, width: width - 32, size: 11.5) {
                y = text(line, x: 16, top: y, size: 11.5, color: Palette.subtle).maxY + 2
            }
            y += 2
        }
        return y + 6
    }

    /// Greedy word wrap of `s` into lines no wider than `width` (a single over-long word keeps its own line).
    public func wrap(_ s: String, width: Double, size: Double, bold: Bool = false) -> [String] {
        var lines: [String] = [], current = ""
        for word in s.split(separator: " ", omittingEmptySubsequences: false) {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if !current.isEmpty, measure(candidate, size: size, bold: bold).width > width {
                lines.append(current); current = String(word)
            } else {
                current = candidate
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    /// A legend entry: a label and how its key is drawn.
    public struct LegendItem {
        public enum Key { case swatch, line, dashedLine, dot, ring, band }
        public var label: String, color: RGBA, key: Key
        public init(_ label: String, _ color: RGBA, _ key: Key = .swatch) { self.label = label; self.color = color; self.key = key }
    }

    /// Draws a legend in rows starting at `top`, wrapping at the canvas width; it sits outside
    /// every plot area, so it never covers data. Returns the y below it.
    public func legend(_ items: [LegendItem], top: Double, left: Double = 16) -> Double {
        guard !items.isEmpty else { return top }
        let size = 11.0, keyW = 18.0, gap = 16.0
        var x = left, y = top
        let rowH = measure("Ag", size: size).height + 4
        for it in items {
            let w = keyW + 5 + measure(it.label, size: size).width
            if x + w > width - 16, x > left { x = left; y += rowH }
            let cy = y + rowH / 2 - 1
            let c = context
            c.setDash([])
            switch it.key {
            case .swatch: c.setColor(it.color); c.rectangle(x, cy - 5, keyW, 10); c.fill()
            case .band: c.setColor(it.color); c.rectangle(x, cy - 6, keyW, 12); c.fill()
            case .line, .dashedLine:
                c.setColor(it.color); c.setLineWidth(2.2); if it.key == .dashedLine { c.setDash([4, 3]) }
                c.moveTo(x, cy); c.lineTo(x + keyW, cy); c.stroke(); c.setDash([])
            case .dot: c.setColor(it.color); c.circle(x + keyW / 2, cy, 4); c.fill()
            case .ring: c.setColor(it.color); c.setLineWidth(2); c.circle(x + keyW / 2, cy, 3.5); c.stroke()
            }
            text(it.label, x: x + keyW + 5, top: y + 1, size: size, color: Palette.ink)
            x += w + gap
        }
        return y + rowH + 6
    }

    public func surfacePNG() throws -> Data { try surface.pngData() }
}

/// A finished chart: its canvas (pixels, text boxes) and the panels' data→pixel transforms.
public final class RenderedChart {
    public let canvas: Canvas
    /// The plot areas, in drawing order (one per panel in small multiples).
    public let panels: [Axes]
    init(canvas: Canvas, panels: [Axes]) { self.canvas = canvas; self.panels = panels }
    /// Every text run drawn, with boxes in user units.
    public var texts: [TextBox] { canvas.texts }
    /// Encoded PNG bytes.
    public func pngData() throws -> Data { try canvas.surface.pngData() }
    /// Writes the PNG atomically (temp file, then rename).
    public func write(to path: String) throws { try canvas.surface.writePNG(to: path) }
}
