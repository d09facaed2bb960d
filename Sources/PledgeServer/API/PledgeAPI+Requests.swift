import Foundation
import OpenAPIRuntime
import PledgeCore
import PledgeStore

/// Data-subject requests and complaints for staff and systems (issue 5; C28-C34, C40): intake from
/// any channel, the queue by days left, actions on a case, fulfilment from the vault, the export.
extension PledgeAPI {
    func createRequest(_ input: Operations.CreateRequest.Input) async throws -> Operations.CreateRequest.Output {
        guard case .json(let body) = input.body else { throw Self.invalidBody }
        let key = try caller()
        let current = try inForce()
        let now = clock()
        let receivedAt = body.receivedAt ?? now
        guard receivedAt <= now.addingTimeInterval(300) else {
            throw APIError(.caseReceivedInFuture, message: "receivedAt is in the future; give when the request arrived.")
        }
        let subject = try body.subjectId.map(Self.subjectID)
        if let subject, try await vault.summary(of: subject) == nil { throw Self.subjectNotFound }
        let requester = Requester(
            name: body.requester?.name, email: body.requester?.email, phone: body.requester?.phone,
            details: body.requester?.details, onBehalfOf: body.requester?.onBehalfOf)
        guard let kind = RequestKind(rawValue: body.kind.rawValue), let channel = IntakeChannel(rawValue: body.channel.rawValue) else {
            throw APIError(.requestInvalidValue, status: .unprocessableContent, message: "The kind or channel is not one Pledge handles.")
        }
        let newCase = RequestCase(
            kind: kind, channel: channel,
            relation: body.relation.flatMap { RequesterRelation(rawValue: $0.rawValue) } ?? .subject, subject: subject,
            receivedAt: receivedAt, verifiedBy: body.verifiedBy.flatMap { VerificationRoute(rawValue: $0.rawValue) })
        let opened = try await refusals {
            try await cases.open(newCase, requester: requester, actor: key.actor, clock: current.statutoryClock)
        }
        return .created(.init(body: .json(try await caseSchema(opened, history: true))))
    }

    func listRequests(_ input: Operations.ListRequests.Input) async throws -> Operations.ListRequests.Output {
        let page = try await queuePage(
            includeClosed: input.query.state == .all, limit: input.query.limit ?? Self.queuePageSize, offset: input.query.offset ?? 0)
        return .ok(.init(body: .json(.init(cases: page.cases, total: page.total, nextOffset: page.nextOffset))))
    }

    func getRequest(_ input: Operations.GetRequest.Input) async throws -> Operations.GetRequest.Output {
        .ok(.init(body: .json(try await caseSchema(try await requestCase(input.path.requestId), history: true))))
    }

    func actOnRequest(_ input: Operations.ActOnRequest.Input) async throws -> Operations.ActOnRequest.Output {
        guard case .json(let body) = input.body else { throw Self.invalidBody }
        let found = try await requestCase(input.path.requestId)
        let next = try await act(try Self.caseAction(body), on: found)
        return .ok(.init(body: .json(try await caseSchema(next, history: true))))
    }

    func fulfilRequest(_ input: Operations.FulfilRequest.Input) async throws -> Operations.FulfilRequest.Output {
        let fulfilled = try await fulfil(try await requestCase(input.path.requestId))
        return .ok(.init(body: .json(try await caseSchema(fulfilled, history: true))))
    }

    func getRequestExport(_ input: Operations.GetRequestExport.Input) async throws -> Operations.GetRequestExport.Output {
        .ok(.init(body: .applicationZip(HTTPBody(try await staffExport(input.path.requestId)))))
    }

    // MARK: Helpers

    /// The queue: open cases by days left (then by receipt), or every case newest first.
    /// Cases a page of the queue shows unless told otherwise.
    static let queuePageSize = 100

    /// A page of the queue (issue 24 finding 5: a flood no longer hides the cases after the first 500),
    /// with how many cases it holds in all and where the next page starts, if there is one.
    func queuePage(
        includeClosed: Bool, limit: Int, offset: Int
    ) async throws -> (cases: [Components.Schemas.RequestCase], total: Int, nextOffset: Int?) {
        let found = try await cases.queue(includeClosed: includeClosed, limit: limit + 1, offset: offset)
        let shown = Array(found.prefix(limit))
        let clock = try inForce().statutoryClock
        let expiries = try await cases.exportExpiries(of: shown.map(\.id))
        var schemas = shown.map { caseSchema($0, history: nil, exportExpiresAt: expiries[$0.id], clock: clock) }
        if !includeClosed { schemas.sort { ($0.daysLeft, $0.receivedAt) < ($1.daysLeft, $1.receivedAt) } }
        return (schemas, try await cases.queueCount(includeClosed: includeClosed), found.count > limit ? offset + limit : nil)
    }

    /// Records `action` on a case for the calling staff key; a refusal stores nothing.
    func act(_ action: CaseAction, on found: RequestCase) async throws -> RequestCase {
        let key = try caller()
        let clock = try inForce().statutoryClock
        return try await refusals { try await cases.record(action, on: found.id, actor: key.actor, at: self.clock(), clock: clock) }
    }

    /// Fulfils a case for the calling staff key; an erasure also needs the erase permission.
    func fulfil(_ found: RequestCase) async throws -> RequestCase {
        let key = try caller()
        for permission in FulfilmentAccess.permissions(for: found.kind) where !key.role.allows(permission) {
            throw APIError.roleRefused(key.role, needs: permission)
        }
        let current = try inForce()
        let now = clock()
        let fulfilled = try await refusals {
            try await fulfilment.fulfil(
                found.id, declaration: current.declaration, noticeVersion: current.notice.version,
                clock: current.statutoryClock, actor: key.actor, at: now)
        }.request
        try await intake.tellCompleted(fulfilled, organisation: current.declaration.organisation.name, clock: current.statutoryClock, at: now)
        return fulfilled
    }

    /// A case's export for the calling staff key (the read is audited).
    func staffExport(_ requestId: String) async throws -> Data {
        let key = try caller()
        let found = try await requestCase(requestId)
        guard let zip = try await cases.export(for: found.id, actor: key.actor, at: clock()) else {
            // The case exists: its state, not its id, is why there is nothing to download.
            throw APIError(.caseExportMissing, message: "This request has no export yet, or it has expired.")
        }
        return zip
    }

    func requestCase(_ text: String) async throws -> RequestCase {
        guard let id = UUID(canonical: text) else {
            throw APIError(.requestInvalidRequestId, message: "'\(text)' is not a request id (a UUID).")
        }
        guard let found = try await cases.find(id) else { throw APIError(.caseNotFound, message: CaseStoreRefusal.notFound.message) }
        return found
    }

    static func caseAction(_ body: Components.Schemas.RequestAction) throws -> CaseAction {
        let reason = body.reason ?? ""
        func missing(_ field: String) -> APIError {
            APIError(.requestInvalidBody, message: "'\(body.action.rawValue)' needs '\(field)'.")
        }
        switch body.action {
        case .verify:
            guard let method = body.method.flatMap({ VerificationRoute(rawValue: $0.rawValue) }) else { throw missing("method") }
            return .verify(method, note: body.reason)
        case .askForDocuments: return .askForDocuments(reason: reason)
        case .documentsDeleted: return .documentsDeleted
        case .askForClarification: return .askForClarification(question: reason)
        case .clarified: return .clarified
        case .extend:
            guard let months = body.months else { throw missing("months") }
            return .extend(months: months, reasons: reason)
        case .markExcessive: return .markExcessive(reasons: reason)
        case .chargeFee:
            guard let pence = body.pence else { throw missing("pence") }
            return .chargeFee(pence: pence)
        case .feePaid: return .feePaid
        case .acknowledge: return .acknowledge(note: body.reason)
        case .complete: return .complete(outcome: reason, withheld: try (body.withheld ?? []).map { try Withholding(model: $0) })
        case .refuse:
            guard let ground = body.ground.flatMap({ RefusalGround(rawValue: $0.rawValue) }) else { throw missing("ground") }
            return .refuse(ground, reason: reason)
        case .withdraw: return .withdraw
        }
    }

    /// Art 12(4): a refusal tells the requester they can complain to the ICO and go to court.
    func complaintRoute() -> String {
        let ico = registry.current?.declaration.rights.complaints?.icoUrl ?? ComplaintsPolicy.defaultICOURL
        return "You can complain to the Information Commissioner's Office (\(ico)) and you can ask a court to enforce your rights."
    }

    /// The case as the API shows it; `clock` defaults to the declaration in force's.
    func caseSchema(_ found: RequestCase, history: Bool, clock: StatutoryClock? = nil) async throws -> Components.Schemas.RequestCase {
        var schema = caseSchema(
            found, history: history ? try await cases.history(of: found.id) : nil, exportExpiresAt: try await cases.exportExpiry(for: found.id),
            clock: try clock ?? inForce().statutoryClock)
        if history, found.state.isOpen {
            let waiting = try await SystemTasks(register: cases).waiting(for: found.id)
            schema.waitingFor = waiting.isEmpty ? nil : waiting
        }
        return schema
    }

    /// The case as the API shows it, from what has been read already.
    func caseSchema(
        _ found: RequestCase, history events: [CaseEvent]?, exportExpiresAt: Date?, clock: StatutoryClock
    ) -> Components.Schemas.RequestCase {
        .init(model: found, history: events, exportExpiresAt: exportExpiresAt, clock: clock, now: self.clock(), complaintRoute: complaintRoute())
    }
}

extension Components.Schemas.RequestCase {
    /// A case as the API shows it at `now`: its deadline under `clock`, its history when read, and
    /// for a refusal the route to complain (`complaintRoute`).
    init(model found: RequestCase, history events: [CaseEvent]?, exportExpiresAt: Date?, clock: StatutoryClock, now: Date, complaintRoute: String) {
        let deadline = clock.deadline(found.timing, at: now)
        let due = found.dueOn(clock: clock, at: now)
        self.init(
            id: found.id.lowercasedString, kind: found.kind.rawValue, state: .init(model: found.state),
            channel: found.channel.rawValue, relation: found.relation.rawValue, subjectId: found.subject?.lowercasedString,
            receivedAt: found.timing.receivedAt, clockStartsAt: found.timing.startsAt, dueOn: due.description,
            daysLeft: clock.day(of: now).days(until: due), urgency: found.urgency(clock: clock, at: now).flatMap { .init(rawValue: $0.rawValue) },
            paused: deadline.isPaused && found.state.isOpen, extensionMonths: found.timing.extensionMonths, extensionReasons: found.extensionReasons,
            verifiedBy: found.verifiedBy?.rawValue, feePence: found.feePence, outcome: found.outcome,
            withheld: found.withheld.map(Components.Schemas.Withholding.init(model:)),
            refusal: found.refusalGround.map { .init(ground: $0.rawValue, reason: found.refusalReason ?? "", complaintRoute: complaintRoute) },
            closedAt: found.closedAt, exportExpiresAt: exportExpiresAt,
            history: events?.map { .init(at: $0.at, actor: $0.actor, action: $0.action, state: $0.state, detail: $0.detail) })
    }
}

extension Components.Schemas.RequestCase.StatePayload {
    /// The contract's name for a case state; every state has one, so no stored case can fail here.
    init(model: CaseState) {
        self =
            switch model {
            case .awaitingVerification: .awaitingVerification
            case .awaitingClarification: .awaitingClarification
            case .awaitingFee: .awaitingFee
            case .inProgress: .inProgress
            case .acknowledged: .acknowledged
            case .completed: .completed
            case .refused: .refused
            case .withdrawn: .withdrawn
            }
    }
}

extension Components.Schemas.Withholding {
    init(model: Withholding) {
        self.init(ground: .init(model: model.ground), detail: model.detail, label: model.ground.label)
    }
}

extension Components.Schemas.WithholdingGround {
    /// The contract's name for a ground in law; every ground has one, so no stored case can fail here.
    init(model: WithholdingGround) {
        self =
            switch model {
            case .freedomOfExpression: .freedomOfExpression
            case .legalObligation: .legalObligation
            case .publicHealth: .publicHealth
            case .archivingOrResearch: .archivingOrResearch
            case .legalClaims: .legalClaims
            case .erasureException: .erasureException
            case .basisNotObjectable: .basisNotObjectable
            case .thirdPartyData: .thirdPartyData
            case .crimeAndTaxation: .crimeAndTaxation
            case .immigration: .immigration
            case .requiredByLaw: .requiredByLaw
            case .protectingThePublic: .protectingThePublic
            case .legalProfessionalPrivilege: .legalProfessionalPrivilege
            case .selfIncrimination: .selfIncrimination
            case .corporateFinance: .corporateFinance
            case .managementForecasts: .managementForecasts
            case .negotiations: .negotiations
            case .confidentialReferences: .confidentialReferences
            case .examScriptsAndMarks: .examScriptsAndMarks
            case .specialPurposes: .specialPurposes
            case .researchAndStatistics: .researchAndStatistics
            case .archivingInThePublicInterest: .archivingInThePublicInterest
            case .seriousHarm: .seriousHarm
            case .prohibitedByEnactment: .prohibitedByEnactment
            }
    }
}

extension Withholding {
    /// A withholding as staff record it; the contract lists exactly the grounds Core knows (`RequestAPITests.contractGrounds`).
    init(model: Components.Schemas.Withholding) throws {
        guard let ground = WithholdingGround(rawValue: model.ground.rawValue) else {
            throw APIError(.requestInvalidBody, message: "'\(model.ground.rawValue)' is not a ground in law Pledge knows.")
        }
        self.init(ground: ground, detail: model.detail)
    }
}
