import Foundation

extension Array where Element: Sendable {
    /// `transform` of every element, in order, worked out in up to one slice per processor side by
    /// side once there are enough elements for it to pay: opening the thousands of sealed records of
    /// an access request is CPU work that otherwise leaves a core idle while the database reads on.
    func concurrentMap<T: Sendable>(minimumSlice: Int = 1_000, _ transform: @escaping @Sendable (Element) throws -> T) async throws -> [T] {
        let slices = Swift.min(Processors.active, count / minimumSlice)
        guard slices > 1 else { return try map(transform) }
        let size = (count + slices - 1) / slices
        return try await withThrowingTaskGroup(of: (Int, [T]).self) { group in
            for start in stride(from: 0, to: count, by: size) {
                let slice = self[start..<Swift.min(start + size, count)]
                group.addTask { (start, try slice.map(transform)) }
            }
            var parts: [(start: Int, values: [T])] = []
            for try await part in group { parts.append(part) }
            return parts.sorted { $0.start < $1.start }.flatMap(\.values)
        }
    }
}

/// The processors this process may use, read once: on Linux each read of
/// `activeProcessorCount` parses the cgroup's CPU quota files.
enum Processors {
    static let active = ProcessInfo.processInfo.activeProcessorCount
}
