import Foundation

/// How the model's flat parameter list becomes named, dimensioned posterior variables for
/// ArviZ: `tv.adstock_alpha`, `radio.adstock_alpha` → `adstock_alpha[channel]`;
/// `gamma_control[price]` → `gamma_control[control]`; `fourier_sin[1]` →
/// `fourier_sin[fourier_sin_dim]` with integer coordinates; plain names stay scalars.
public struct PosteriorLayout: Equatable, Sendable {
    /// One extra dimension of a variable (after chain and draw).
    public struct Dimension: Equatable, Sendable {
        public var name: String
        /// Coordinate labels; `integerLabels` tells whether they are written as integers.
        public var labels: [String]
        public var integerLabels: Bool { labels.allSatisfy { Int($0) != nil } }
        public init(name: String, labels: [String]) { self.name = name; self.labels = labels }
    }

    /// A posterior variable and, per coordinate, the index of its parameter in the model.
    public struct Variable: Equatable, Sendable {
        public var name: String
        public var dimension: Dimension?
        public var parameterIndices: [Int]
    }

    public var variables: [Variable]
    /// The distinct extra dimensions, in first-use order.
    public var dimensions: [Dimension] {
        var seen: [Dimension] = []
        for d in variables.compactMap(\.dimension) where !seen.contains(where: { $0.name == d.name }) { seen.append(d) }
        return seen
    }

    public init(parameterNames: [String], channelNames: [String], controlNames: [String]) {
        enum Key: Hashable { case channel(String), indexed(String), scalar(String) }
        var order: [Key] = []
        var members: [Key: [(label: String, index: Int)]] = [:]
        // Longest channel name first, so "tv" does not claim "tv.brand.adstock_alpha".
        let channels = channelNames.sorted { $0.count > $1.count }
        for (i, name) in parameterNames.enumerated() {
            let key: Key, label: String
            if let channel = channels.first(where: { name.hasPrefix($0 + ".") }) {
                key = .channel(String(name.dropFirst(channel.count + 1)))
                label = channel
            } else if name.hasSuffix("]"), let open = name.firstIndex(of: "["), open != name.startIndex {
                key = .indexed(String(name[..<open]))
                label = String(name[name.index(after: open)..<name.index(before: name.endIndex)])
            } else {
                key = .scalar(name)
                label = ""
            }
            if members[key] == nil { order.append(key) }
            members[key, default: []].append((label, i))
        }
        variables = order.map { key in
            let entries = members[key]!
            let labels = entries.map(\.label), indices = entries.map(\.index)
            switch key {
            case .scalar(let name):
                return Variable(name: name, dimension: nil, parameterIndices: indices)
            case .channel(let name):
                // A parameter only some channels have (mixed adstock kinds) gets its own axis.
                let dim = labels == channelNames ? "channel" : "channel_\(name)"
                return Variable(name: name, dimension: Dimension(name: dim, labels: labels), parameterIndices: indices)
            case .indexed(let name):
                let dim = name == "gamma_control" && labels == controlNames ? "control" : "\(name)_dim"
                return Variable(name: name, dimension: Dimension(name: dim, labels: labels), parameterIndices: indices)
            }
        }
    }
}
