// The answers of the direct routes, written by `JSONText` with the keys sorted as
// `ContractJSON.encoder` sorts them and nil fields left out; `JSONTextTests` compare the bytes.

extension Components.Schemas.Decision: JSONTextEncodable {
    func write(to json: inout JSONText) {
        json.beginObject()
        json.member("allowed", allowed)
        json.beginArray("reasons")
        for reason in reasons {
            json.beginObject()
            json.member("code", reason.code)
            json.member("message", reason.message)
            json.endObject()
        }
        json.endArray()
        json.endObject()
    }
}

extension Components.Schemas.ConsentRecord: JSONTextEncodable {
    func write(to json: inout JSONText) {
        json.beginObject()
        json.member("action", action.rawValue)
        json.member("channel", channel)
        json.member("mechanism", mechanism)
        json.member("noticeVersion", noticeVersion)
        json.member("purpose", purpose)
        json.member("recipient", recipient)
        json.member("recordedAt", recordedAt)
        json.member("sequence", sequence)
        json.member("wordingSha256", wordingSha256)
        json.endObject()
    }
}
