import CNetCDF
import Foundation

/// A failed libnetcdf call: what MixPlan was doing and the library's own message.
public struct NetCDFError: Error, CustomStringConvertible {
    public var action: String
    public var status: Int32
    public var description: String { "\(action): \(String(cString: nc_strerror(status)))" }
}

/// The one Swift wrapper of libnetcdf (only this module imports CNetCDF): a netCDF-4 file open
/// for writing or reading, and its groups. Just what InferenceData needs — named dimensions,
/// Float64, Int64, Int8 and string variables, text attributes.
public final class NetCDFFile {
    /// The root group's id; groups are addressed by id.
    public let root: NetCDFGroup
    private var open = true

    private init(id: Int32) { root = NetCDFGroup(id: id) }

    /// Creates (or truncates) `path` as a netCDF-4 file.
    public static func create(_ path: String) throws -> NetCDFFile {
        var id: Int32 = 0
        try check(nc_create(path, NC_NETCDF4 | NC_CLOBBER, &id), "creating \(path)")
        return NetCDFFile(id: id)
    }

    /// Opens `path` read-only.
    public static func open(_ path: String) throws -> NetCDFFile {
        var id: Int32 = 0
        try check(nc_open(path, NC_NOWRITE, &id), "opening \(path)")
        return NetCDFFile(id: id)
    }

    /// Flushes and closes the file; closing twice does nothing.
    public func close() throws {
        guard open else { return }
        open = false
        try Self.check(nc_close(root.id), "closing the file")
    }

    deinit { if open { nc_close(root.id) } }

    static func check(_ status: Int32, _ action: @autoclosure () -> String) throws {
        if status != NC_NOERR { throw NetCDFError(action: action(), status: status) }
    }
}

/// A group of a netCDF-4 file (the root, or an InferenceData group such as `posterior`).
public struct NetCDFGroup {
    public let id: Int32

    /// The element types MixPlan writes.
    public enum ValueType {
        case double, int64, int8, string
        var code: nc_type {
            switch self {
            case .double: NC_DOUBLE
            case .int64: NC_INT64
            case .int8: NC_BYTE
            case .string: NC_STRING
            }
        }
    }

    // MARK: writing

    /// Adds a child group.
    public func addGroup(_ name: String) throws -> NetCDFGroup {
        var child: Int32 = 0
        try NetCDFFile.check(nc_def_grp(id, name, &child), "adding group \(name)")
        return NetCDFGroup(id: child)
    }

    /// Defines a dimension of `length` and returns its id.
    @discardableResult
    public func addDimension(_ name: String, length: Int) throws -> Int32 {
        var dim: Int32 = 0
        try NetCDFFile.check(nc_def_dim(id, name, length, &dim), "adding dimension \(name)")
        return dim
    }

    /// Defines a variable over the named dimensions (of this group) and returns its id.
    @discardableResult
    public func addVariable(_ name: String, _ type: ValueType, dimensions: [String]) throws -> Int32 {
        var ids: [Int32] = []
        for d in dimensions {
            var dim: Int32 = 0
            try NetCDFFile.check(nc_inq_dimid(id, d, &dim), "finding dimension \(d) for \(name)")
            ids.append(dim)
        }
        var variable: Int32 = 0
        try NetCDFFile.check(nc_def_var(id, name, type.code, Int32(ids.count), ids, &variable), "adding variable \(name)")
        return variable
    }

    public func write(_ name: String, doubles: [Double]) throws {
        try NetCDFFile.check(nc_put_var_double(id, try variableID(name), doubles), "writing \(name)")
    }

    public func write(_ name: String, int64s: [Int64]) throws {
        try NetCDFFile.check(nc_put_var_longlong(id, try variableID(name), int64s), "writing \(name)")
    }

    public func write(_ name: String, int8s: [Int8]) throws {
        try NetCDFFile.check(nc_put_var_schar(id, try variableID(name), int8s), "writing \(name)")
    }

    public func write(_ name: String, strings: [String]) throws {
        let variable = try variableID(name)
        var pointers = strings.map { strdup($0) }
        defer { pointers.forEach { free($0) } }
        let status = pointers.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: buffer.count) {
                nc_put_var_string(id, variable, $0)
            }
        }
        try NetCDFFile.check(status, "writing \(name)")
    }

    /// Sets a text attribute on the group (`variable` nil) or on a variable.
    public func setAttribute(_ name: String, _ text: String, variable: String? = nil) throws {
        let target = try variable.map(variableID) ?? NC_GLOBAL
        let bytes = Array(text.utf8)
        try NetCDFFile.check(nc_put_att_text(id, target, name, bytes.count, bytes.map { CChar(bitPattern: $0) }), "writing attribute \(name)")
    }

    // MARK: reading

    /// The child group called `name`.
    public func group(_ name: String) throws -> NetCDFGroup {
        var child: Int32 = 0
        try NetCDFFile.check(nc_inq_grp_ncid(id, name, &child), "finding group \(name)")
        return NetCDFGroup(id: child)
    }

    /// Names of the child groups, in definition order.
    public func groupNames() throws -> [String] {
        var count: Int32 = 0
        try NetCDFFile.check(nc_inq_grps(id, &count, nil), "listing groups")
        var ids = [Int32](repeating: 0, count: Int(count))
        try NetCDFFile.check(nc_inq_grps(id, &count, &ids), "listing groups")
        return try ids.map { try NetCDFGroup(id: $0).name() }
    }

    public func name() throws -> String {
        var buffer = [CChar](repeating: 0, count: Int(NC_MAX_NAME) + 1)
        try NetCDFFile.check(nc_inq_grpname(id, &buffer), "reading a group name")
        return String(cString: buffer)
    }

    /// Names of the variables, in definition order.
    public func variableNames() throws -> [String] {
        var count: Int32 = 0
        try NetCDFFile.check(nc_inq_varids(id, &count, nil), "listing variables")
        var ids = [Int32](repeating: 0, count: Int(count))
        try NetCDFFile.check(nc_inq_varids(id, &count, &ids), "listing variables")
        return try ids.map { v in
            var buffer = [CChar](repeating: 0, count: Int(NC_MAX_NAME) + 1)
            try NetCDFFile.check(nc_inq_varname(id, v, &buffer), "reading a variable name")
            return String(cString: buffer)
        }
    }

    /// A variable's dimensions as (name, length), outermost first.
    public func dimensions(of name: String) throws -> [(name: String, length: Int)] {
        let variable = try variableID(name)
        var count: Int32 = 0
        try NetCDFFile.check(nc_inq_varndims(id, variable, &count), "reading \(name)")
        var dims = [Int32](repeating: 0, count: Int(count))
        try NetCDFFile.check(nc_inq_vardimid(id, variable, &dims), "reading \(name)")
        return try dims.map { d in
            var buffer = [CChar](repeating: 0, count: Int(NC_MAX_NAME) + 1)
            var length = 0
            try NetCDFFile.check(nc_inq_dim(id, d, &buffer, &length), "reading a dimension of \(name)")
            return (String(cString: buffer), length)
        }
    }

    private func count(of name: String) throws -> Int {
        try dimensions(of: name).reduce(1) { $0 * $1.length }
    }

    /// Any numeric variable read as Double (libnetcdf converts).
    public func doubles(_ name: String) throws -> [Double] {
        var values = [Double](repeating: 0, count: try count(of: name))
        try NetCDFFile.check(nc_get_var_double(id, try variableID(name), &values), "reading \(name)")
        return values
    }

    /// Any integer variable read as Int64.
    public func int64s(_ name: String) throws -> [Int64] {
        var values = [Int64](repeating: 0, count: try count(of: name))
        try NetCDFFile.check(nc_get_var_longlong(id, try variableID(name), &values), "reading \(name)")
        return values
    }

    public func strings(_ name: String) throws -> [String] {
        let n = try count(of: name)
        var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: n)
        try NetCDFFile.check(nc_get_var_string(id, try variableID(name), &pointers), "reading \(name)")
        defer { nc_free_string(n, &pointers) }
        return pointers.map { $0.map { String(cString: $0) } ?? "" }
    }

    /// A text attribute of the group (`variable` nil) or of a variable.
    public func attribute(_ name: String, variable: String? = nil) throws -> String {
        let target = try variable.map(variableID) ?? NC_GLOBAL
        var length = 0
        try NetCDFFile.check(nc_inq_attlen(id, target, name, &length), "reading attribute \(name)")
        var buffer = [CChar](repeating: 0, count: length + 1)
        try NetCDFFile.check(nc_get_att_text(id, target, name, &buffer), "reading attribute \(name)")
        return String(cString: buffer)
    }

    private func variableID(_ name: String) throws -> Int32 {
        var variable: Int32 = 0
        try NetCDFFile.check(nc_inq_varid(id, name, &variable), "finding variable \(name)")
        return variable
    }
}
