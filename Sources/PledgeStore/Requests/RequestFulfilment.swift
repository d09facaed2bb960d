import Foundation
import PledgeCore

/// Carries out a verified request from the vault and closes its case with the answer the requester
/// receives (C30-C34; UK GDPR Arts 15-21). What to do is Core's `FulfilmentPlan`; this runs it as one
/// unit: the vault's changes, the stored export and the case's completion commit together or not at
/// all, so a crash or a refusal part-way leaves the case in progress and the subject untouched, and
/// fulfilling again resumes from the start.
public struct RequestFulfilment: Sendable {
    let vault: PersonalDataVault
    let register: CaseRegister
    /// The organisation's own databases, reached when the declaration lists `systems` (issue 30).
    let systems: SystemDatabases?

    public init(vault: PersonalDataVault, register: CaseRegister, systems: SystemDatabases? = nil) {
        self.vault = vault
        self.register = register
        self.systems = systems
    }

    /// What fulfilment did beside closing the case.
    public struct Result: Sendable {
        public var request: RequestCase
        public var erasure: ErasureReceipt?
        /// Recipients to tell of a rectification or erasure (Art 19).
        public var notify: [String] = []
    }

    /// Fulfils case `id` under `declaration`; kinds that need a person's judgement (rectification,
    /// complaints) are refused with `case.action-not-for-kind`.
    public func fulfil(
        _ id: UUID, declaration: Declaration, noticeVersion: String, clock: StatutoryClock, actor: String, at instant: Date
    ) async throws -> Result {
        try await fulfil(id, declaration: declaration, noticeVersion: noticeVersion, clock: clock, actor: actor, at: instant, interruption: nil)
    }

    /// `interruption`, for tests, runs inside the unit after the vault's changes and before the case's
    /// completion; whatever it throws undoes the whole unit, as a crash there would.
    func fulfil(
        _ id: UUID, declaration: Declaration, noticeVersion: String, clock: StatutoryClock, actor: String, at instant: Date,
        interruption: (@Sendable () throws -> Void)?
    ) async throws -> Result {
        guard let request = try await register.find(id) else { throw CaseStoreRefusal.notFound }
        let state = try await request.subject.asyncFlatMap { try await vault.state(of: $0) }
        let plan = try FulfilmentPlan(for: request, subject: state, declaration: declaration)
        var writes: [VaultWrite] = []
        var units: [JournalUnit] = []
        var export: (items: Int, until: CalendarDate)?
        var erasure: JournalResult<ErasureReceipt>?
        var systemOutcomes: [SystemErasureOutcome] = []
        let declaredSystems = declaration.systems ?? []
        for step in plan.steps {
            switch step {
            case .export:
                var records: SubjectRecords?
                if let subject = request.subject {
                    guard let (found, read) = try await vault.reading(subject, purpose: "request:\(id.storedText)", actor: actor, at: instant) else {
                        throw CaseStoreRefusal.subjectChanged
                    }
                    records = found
                    writes.append(read)
                }
                var tables: [SystemTable] = []
                if !declaredSystems.isEmpty {
                    let email = try await verifiedEmail(of: id, actor: actor, at: instant)
                    // The http systems first: one that answers later leaves the case waiting before anything is read.
                    let answers = try await asking(.access, case: id, email: email, of: declaredSystems, at: instant)
                    tables = try await SystemAccess(databases: try connectedSystems()).find(
                        email: email, in: declaredSystems.filter(\.kind.isDatabase))
                    tables += answers.flatMap { $1.systemTables(of: $0) }
                }
                // Nobody in the vault and nothing in the systems: no download, the plan's answer stands.
                guard records != nil || !tables.isEmpty else { continue }
                let package = SubjectExport(
                    records: records, systems: tables, request: id, kind: request.kind, receivedAt: request.timing.receivedAt,
                    generatedAt: instant, declaration: declaration, withheld: request.withheld)
                let expires = instant.addingTimeInterval(FulfilmentPlan.exportLifetime)
                units.append(
                    try await register.storingExport(try await ExportPackage.zip(package), for: id, expires: expires, actor: actor, at: instant))
                export = (package.itemCount, clock.day(of: expires))
            case .eraseInSystems:
                // Each system commits its own transaction before the vault's unit: fulfilling again after a
                // failure finds nothing left there and goes on (the erasure is idempotent).
                let email = try await verifiedEmail(of: id, actor: actor, at: instant)
                let answers = try await asking(.erasure, case: id, email: email, of: declaredSystems, at: instant)
                systemOutcomes = try await SystemErasure(databases: try connectedSystems()).erase(
                    email: email, in: declaredSystems.filter(\.kind.isDatabase))
                systemOutcomes += answers.map { $1.erasureOutcome(of: $0) }
            case .erase(let keeping):
                guard let subject = request.subject else { throw CaseStoreRefusal.subjectChanged }
                let (write, receipt) = vault.erasing(subject, reason: "request:\(id.storedText)", keeping: keeping, actor: actor, at: instant)
                writes.append(write)
                erasure = receipt
            case .restrict, .object, .objectToMarketing:
                guard let subject = request.subject else { throw CaseStoreRefusal.subjectChanged }
                writes.append(vault.applying(step.subjectChanges, to: subject, actor: actor, at: instant))
            case .suppressContact:
                writes.append(vault.suppressing(try await register.contactDigest(of: id), reason: .objection, actor: actor, at: instant))
            case .withdrawConsent(let purposes):
                guard let subject = request.subject else { throw CaseStoreRefusal.subjectChanged }
                writes.append(
                    vault.recording(
                        purposes.map {
                            ConsentEvent.withdrawal(of: $0, by: subject, through: id, mechanism: "request", noticeVersion: noticeVersion, at: instant)
                        }, actor: actor, at: instant))
            }
        }
        if let interruption {
            units.append(
                JournalUnit { _ in
                    try interruption(); return []
                })
        }
        let (exported, erased, inSystems) = (export, erasure, systemOutcomes)
        let (completion, closed) = register.recording(
            { plan.completion(export: exported, erasure: erased?.value, systems: inSystems) },
            on: id, actor: actor, at: instant, clock: clock)
        try await vault.journal.commit(writes, also: units + [completion])
        return Result(request: try closed.get(), erasure: erasure?.value, notify: plan.notify)
    }
}

extension RequestFulfilment {
    /// The systems' connections, or `system.connection-missing` when this process has none.
    func connectedSystems() throws(SystemRefusal) -> SystemDatabases {
        guard let systems else { throw .connectionMissing(system: "systems", from: "a server started with the declaration's systems") }
        return systems
    }

    /// The answers of the `http` systems among `systems` to `action` for case `id`: those stored (from
    /// a callback), else asked now. Throws `system.pending` naming every system still to answer, after
    /// asking all of them, so one slow system does not hold the others' questions back.
    func asking(
        _ action: SystemCall.Action, case id: UUID, email: String?, of systems: [DataSystem], corrections: [SystemCorrection]? = nil,
        at instant: Date
    ) async throws -> [(DataSystem, SystemAnswer)] {
        let endpoints = systems.filter { $0.kind == .http }
        guard !endpoints.isEmpty, let email else { return [] }
        let connections = try connectedSystems()
        let tasks = SystemTasks(register: register)
        var answers: [(DataSystem, SystemAnswer)] = []
        var waiting: [String] = []
        for system in endpoints {
            switch try await tasks.find(id, system: system.id, action: action) {
            case .answered(let answer):
                answers.append((system, answer))
            case .pending:
                waiting.append(system.id)
            case nil:
                guard let address = system.url.flatMap(URL.init(string:)) else {
                    throw SystemRefusal.connectionMissing(system: system.id, from: "url in the declaration")
                }
                let call = SystemCall(
                    action: action, requestId: id, identities: ["email": email],
                    callback: "\(connections.callbackBase)/v1/systems/\(system.id)/callback", corrections: corrections)
                switch try await HTTPSystemCall(session: connections.session).ask(
                    call, of: system, url: address, secret: try connections.secret(for: system), now: { Date() })
                {
                case .answered(let answer): answers.append((system, answer))
                case .pending:
                    try await tasks.markPending(id, system: system.id, action: action, at: instant)
                    waiting.append(system.id)
                }
            }
        }
        if !waiting.isEmpty { throw SystemRefusal.pending(systems: waiting) }
        return answers
    }

    /// The email the requester verified (C29), from the case's sealed requester (the read is audited).
    func verifiedEmail(of id: UUID, actor: String, at instant: Date) async throws -> String? {
        try await register.requester(of: id, actor: actor, at: instant).email
    }
}

extension FulfilmentPlan.Step {
    /// The subject changes a restriction or an objection step makes.
    var subjectChanges: [SubjectChange] {
        switch self {
        case .restrict: [.restriction(true)]
        case .object(let purposes): purposes.map { .objection(purpose: $0, compellingGrounds: nil) }
        case .objectToMarketing: [.marketingObjection]
        case .export, .erase, .eraseInSystems, .suppressContact, .withdrawConsent: []
        }
    }
}

extension Optional {
    /// The value transformed by an async `transform`, or nil.
    func asyncFlatMap<T>(_ transform: (Wrapped) async throws -> T?) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
