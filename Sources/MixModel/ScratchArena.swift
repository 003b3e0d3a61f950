/// Memory a log density evaluates in: buffers allocated once per sampler chain, handed out as raw
/// pointers (so the hot loop does no reference counting or bounds checks) and all freed together
/// when the arena goes. The one definition of that pattern for the densities' workspaces
/// (`MediaMixModel`, `TimeVaryingDensity`); a workspace keeps its arena alive as long as it
/// keeps the pointers.
final class ScratchArena {
    private var releases: [() -> Void] = []

    init() {}

    /// A buffer holding `values` in order (capacity at least 1, so an empty one is still a valid
    /// pointer).
    func allocate<T>(_ values: some Collection<T>) -> UnsafeMutablePointer<T> {
        let count = values.count
        let pointer = UnsafeMutablePointer<T>.allocate(capacity: max(count, 1))
        _ = UnsafeMutableBufferPointer(start: pointer, count: count).initialize(from: values)
        releases.append {
            pointer.deinitialize(count: count)
            pointer.deallocate()
        }
        return pointer
    }

    /// `count` values set to `value` (at least one, so an empty buffer is still a valid pointer).
    func allocate<T>(repeating value: T, count: Int) -> UnsafeMutablePointer<T> {
        allocate(repeatElement(value, count: max(count, 1)))
    }

    /// `count` zeros (at least one): scratch for doubles.
    func buffer(_ count: Int) -> UnsafeMutablePointer<Double> { allocate(repeating: 0, count: count) }

    deinit { for release in releases { release() } }
}
