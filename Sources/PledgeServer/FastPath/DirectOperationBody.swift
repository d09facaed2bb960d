/// A request body that a `DirectOperationRoute` reads: straight from a `FlatJSONObject` when it
/// can be, and its fields by the contract's names for `ContractRules`.
protocol DirectOperationBody: Decodable, Sendable, ContractFields {
    /// The body from `flat`, or nil when `flat` is not exactly one (a key it does not know, a value of
    /// another type, a required field missing): `JSONDecoder` then reads it and words the refusal.
    init?(flat: FlatJSONObject)
}

/// A body's fields by the contract's names, for `ContractRules` to check without parsing the JSON again.
protocol ContractFields {
    var contractFields: [(name: String, value: Any?)] { get }
}

extension Components.Schemas.DecisionRequest: DirectOperationBody {
    init?(flat: FlatJSONObject) {
        guard flat.conforms(strings: ["subject", "purpose", "recipient", "channel"], lists: ["categories"]),
            let subject = flat.string("subject"), let purpose = flat.string("purpose")
        else { return nil }
        self.init(
            subject: subject, purpose: purpose, categories: flat.strings("categories"), recipient: flat.string("recipient"),
            channel: flat.string("channel"))
    }

    var contractFields: [(name: String, value: Any?)] {
        [("subject", subject), ("purpose", purpose), ("categories", categories), ("recipient", recipient), ("channel", channel)]
    }
}

extension Components.Schemas.ConsentRequest: DirectOperationBody {
    init?(flat: FlatJSONObject) {
        guard flat.conforms(strings: ["purpose", "recipient", "channel", "action", "mechanism", "noticeVersion", "wording", "wordingSha256"]),
            let purpose = flat.string("purpose"), let action = flat.string("action").flatMap(ActionPayload.init(rawValue:)),
            let mechanism = flat.string("mechanism")
        else { return nil }
        self.init(
            purpose: purpose, recipient: flat.string("recipient"), channel: flat.string("channel"), action: action, mechanism: mechanism,
            noticeVersion: flat.string("noticeVersion"), wording: flat.string("wording"), wordingSha256: flat.string("wordingSha256"))
    }

    var contractFields: [(name: String, value: Any?)] {
        [
            ("purpose", purpose), ("recipient", recipient), ("channel", channel), ("action", action.rawValue), ("mechanism", mechanism),
            ("noticeVersion", noticeVersion), ("wording", wording), ("wordingSha256", wordingSha256),
        ]
    }
}

extension Components.Schemas.PageViewBeacon: ContractFields {
    var contractFields: [(name: String, value: Any?)] {
        [("s", s), ("p", p), ("r", r), ("w", w), ("us", us), ("um", um), ("uc", uc)]
    }
}
