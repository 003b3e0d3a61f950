/// Refuses, before the YAML library sees the text, a config using an alias (`*name`) as a mapping
/// key. The library compares keys for duplicates by value, which expands every alias inside a
/// key: each level of nested aliases multiplies the work, so 9 levels in 1.3 KB ran for minutes.
/// A config's keys are plain names, so such a key is never needed. Aliases as values
/// (`<<: *defaults`, `channels: *list`) are untouched.
///
/// The scan follows quotes, comments, block scalars (`|`, `>`) and flow collections (`[…]`,
/// `{…}`); an alias, or a flow collection holding one, followed by `:` is a key, and so is
/// anything after an explicit key indicator `?` in a file that uses aliases at all.
enum YAMLAliasCheck {
    /// The 1-based line of the first alias used as a key, or nil.
    static func aliasKeyLine(in text: String) -> Int? {
        let bytes = Array(text.utf8)
        let n = bytes.count
        var i = 0, line = 1
        var flow: [Bool] = [] // per open flow collection: does it hold an alias?
        var blockIndent: Int? = nil // inside a block scalar: lines indented more than this
        var lineStart = true, indent = 0
        var usesAlias = false, explicitKeyLine: Int? = nil
        func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 }
        func isBreak(_ c: UInt8) -> Bool { c == 0x0A || c == 0x0D }
        func endsToken(_ c: UInt8) -> Bool { isSpace(c) || isBreak(c) || c == 0x2C || c == 0x5B || c == 0x5D || c == 0x7B || c == 0x7D }
        /// After position j (skipping spaces): a `:` that makes what came before a key.
        func colonFollows(_ j: Int) -> Bool {
            var k = j
            while k < n, isSpace(bytes[k]) { k += 1 }
            guard k < n, bytes[k] == 0x3A else { return false }
            return k + 1 >= n || endsToken(bytes[k + 1]) || !flow.isEmpty
        }
        while i < n {
            let c = bytes[i]
            if isBreak(c) {
                if c == 0x0A || (c == 0x0D && (i + 1 >= n || bytes[i + 1] != 0x0A)) { line += 1 }
                i += 1; lineStart = true; indent = 0
                continue
            }
            if lineStart {
                if isSpace(c) { indent += 1; i += 1; continue }
                lineStart = false
                if let block = blockIndent {
                    if indent > block { // block scalar content: skip the line
                        while i < n, !isBreak(bytes[i]) { i += 1 }
                        continue
                    }
                    blockIndent = nil
                }
            }
            switch c {
            case 0x23 where i == 0 || isSpace(bytes[i - 1]) || isBreak(bytes[i - 1]): // # comment
                while i < n, !isBreak(bytes[i]) { i += 1 }
                continue
            // A quote starts a quoted scalar only where a scalar starts; inside a plain scalar
            // (`d' e`) it is text, and taking it for a quote would hide what follows.
            case 0x27 where i == 0 || isSpace(bytes[i - 1]) || isBreak(bytes[i - 1]) || [0x5B, 0x7B, 0x2C].contains(bytes[i - 1]),
                 0x22 where i == 0 || isSpace(bytes[i - 1]) || isBreak(bytes[i - 1]) || [0x5B, 0x7B, 0x2C].contains(bytes[i - 1]):
                var j = i + 1
                while j < n {
                    if bytes[j] == 0x0A { line += 1 }
                    if c == 0x22, bytes[j] == 0x5C { j += 2; continue }
                    if bytes[j] == c {
                        if c == 0x27, j + 1 < n, bytes[j + 1] == 0x27 { j += 2; continue }
                        break
                    }
                    j += 1
                }
                i = min(j + 1, n)
                continue
            case 0x2A where i == 0 || endsToken(bytes[i - 1]) || bytes[i - 1] == 0x3F: // *alias
                usesAlias = true
                var j = i + 1
                while j < n, !endsToken(bytes[j]) { j += 1 }
                if colonFollows(j) { return line }
                if !flow.isEmpty { flow[flow.count - 1] = true }
                i = j
                continue
            case 0x5B, 0x7B: flow.append(false)
            case 0x5D, 0x7D:
                if let holds = flow.popLast() {
                    if holds, colonFollows(i + 1) { return line }
                    if holds, !flow.isEmpty { flow[flow.count - 1] = true }
                }
            case 0x3F where i + 1 >= n || isSpace(bytes[i + 1]) || isBreak(bytes[i + 1]): // ? explicit key
                var k = i - 1 // only at the start of a node: after indentation, "- ", "[", "{" or ","
                while k >= 0, isSpace(bytes[k]) { k -= 1 }
                if explicitKeyLine == nil, k < 0 || isBreak(bytes[k]) || [0x2D, 0x5B, 0x7B, 0x2C].contains(bytes[k]) {
                    explicitKeyLine = line
                }
            case 0x7C where flow.isEmpty, 0x3E where flow.isEmpty: // | or > starting a block scalar
                var j = i + 1
                while j < n, !isBreak(bytes[j]), bytes[j] != 0x23 {
                    if !(isSpace(bytes[j]) || bytes[j] == 0x2B || bytes[j] == 0x2D || (0x30...0x39).contains(bytes[j])) { break }
                    j += 1
                }
                if j >= n || isBreak(bytes[j]) || bytes[j] == 0x23 { blockIndent = indent }
            default: break
            }
            i += 1
        }
        return usesAlias ? explicitKeyLine : nil
    }
}
