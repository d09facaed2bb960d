import Foundation
import NIOConcurrencyHelpers
import SQLKit

/// The version checks of concurrent decisions, coalesced (issue 27 §2): while one query is in flight,
/// the checks that arrive wait and go together in the next, one query for all of them. Each check
/// still runs entirely after it was asked for, so it sees every write committed before the decision
/// began; under load a node pays one round trip per batch instead of one per decision (bench/nodes.sh:
/// one query per decision took PostgreSQL decisions from 17.7k/s to 5.3k/s on this machine).
final class GateVersionCheck: Sendable {
    private struct Waiting: Sendable {
        var ids: [UUID] = []
        var continuations: [CheckedContinuation<[UUID: GateVersion], any Error>] = []
        var running = false
    }

    private let waiting = NIOLockedValueBox(Waiting())
    private let sql: any SQLDatabase
    /// The most subjects one query asks about.
    static let batchLimit = 512

    init(sql: any SQLDatabase) { self.sql = sql }

    /// The subject's version now; nil when it is not on file.
    func version(of id: UUID) async throws -> GateVersion? {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[UUID: GateVersion], any Error>) in
            let start = waiting.withLockedValue { waiting -> Bool in
                waiting.ids.append(id)
                waiting.continuations.append(continuation)
                guard !waiting.running else { return false }
                waiting.running = true
                return true
            }
            if start { Task { await self.drain() } }
        }[id]
    }

    /// Runs queries until nobody is waiting.
    private func drain() async {
        while true {
            let (ids, continuations) = waiting.withLockedValue { waiting -> ([UUID], [CheckedContinuation<[UUID: GateVersion], any Error>]) in
                let count = min(waiting.ids.count, Self.batchLimit)
                guard count > 0 else {
                    waiting.running = false
                    return ([], [])
                }
                defer {
                    waiting.ids.removeFirst(count)
                    waiting.continuations.removeFirst(count)
                }
                return (Array(waiting.ids.prefix(count)), Array(waiting.continuations.prefix(count)))
            }
            guard !continuations.isEmpty else { return }
            do {
                let versions = try await read(Array(Set(ids)))
                for continuation in continuations { continuation.resume(returning: versions) }
            } catch {
                for continuation in continuations { continuation.resume(throwing: error) }
            }
        }
    }

    /// The versions of `ids`, a query per `batchLimit` of them (PostgreSQL only: SQLite has one node
    /// and no check): for the coalesced checks, and for a caller with many ids at once
    /// (`PersonalDataVault.states(of:)`), which asks here directly.
    func read(_ ids: [UUID]) async throws -> [UUID: GateVersion] {
        var versions: [UUID: GateVersion] = [:]
        for start in stride(from: 0, to: ids.count, by: Self.batchLimit) {
            versions.merge(try await readOnce(Array(ids[start..<min(start + Self.batchLimit, ids.count)]))) { _, new in new }
        }
        return versions
    }

    /// One query for the versions of `ids`.
    private func readOnce(_ ids: [UUID]) async throws -> [UUID: GateVersion] {
        let rows = try await sql.raw(
            """
            SELECT s.id, s.gate_version,
                (SELECT COUNT(*) FROM consent_events c WHERE c.holder = s.id AND c.holder_kind = 'subject') AS consents
            FROM subjects s WHERE s.id = ANY(\(bind: ids.map(\.storedText)))
            """
        ).all()
        var versions: [UUID: GateVersion] = [:]
        for row in rows {
            guard let id = UUID(canonical: try row.decode(column: "id", as: String.self)) else { continue }
            versions[id] = GateVersion(
                flags: try row.decode(column: "gate_version", as: Int64.self), consents: try row.decode(column: "consents", as: Int64.self))
        }
        return versions
    }
}
