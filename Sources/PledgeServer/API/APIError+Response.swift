import Hummingbird

extension APIError {
    /// The error envelope as a Hummingbird response, for routes outside the OpenAPI contract's
    /// handlers (unknown routes, the page-view route).
    var response: Response {
        Response(status: status, headers: ContractJSON.headers, body: .init(byteBuffer: ByteBuffer(bytes: envelopeJSON)))
    }
}
