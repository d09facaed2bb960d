import Crypto
import Foundation
import PledgeCore

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Asks an `http` system (issue 30 §5): the call signed with the system's secret, sent to its URL;
/// a network failure, 429 or 5xx is tried again with backoff (0.2 s, 0.4 s, 0.8 s); 200 is the
/// answer now, 202 means it will come to the callback.
struct HTTPSystemCall: Sendable {
    /// How long one attempt may take.
    static let timeout: TimeInterval = 15
    /// The waits before the second, third and fourth attempts.
    static let backoff: [Double] = [0.2, 0.4, 0.8]
    /// The most an answer may hold.
    static let maximumAnswer = 16 * 1024 * 1024

    let session: URLSession

    enum Outcome: Equatable {
        case answered(SystemAnswer)
        case pending
    }

    func ask(_ call: SystemCall, of system: DataSystem, url: URL, secret: SymmetricKey, now: @Sendable () -> Date) async throws -> Outcome {
        let body = try SystemAnswer.encode(call)
        var failure = "no answer"
        for attempt in 0...Self.backoff.count {
            if attempt > 0 { try await Task.sleep(for: .seconds(Self.backoff[attempt - 1])) }
            let timestamp = Int(now().timeIntervalSince1970)
            var request = URLRequest(url: url, timeoutInterval: Self.timeout)
            request.httpMethod = "POST"
            request.httpBody = body
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.setValue(String(timestamp), forHTTPHeaderField: SystemSignature.timestampHeader)
            request.setValue(SystemSignature.sign(body, timestamp: timestamp, secret: secret), forHTTPHeaderField: SystemSignature.signatureHeader)
            let data: Data
            let response: URLResponse
            do {
                (data, response) = try await session.data(for: request)
            } catch {
                failure = "not reachable"
                continue
            }
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            switch status {
            case 200:
                guard data.count <= Self.maximumAnswer, let answer = try? SystemAnswer.decode(SystemAnswer.self, from: data), answer.status == .done
                else {
                    throw SystemRefusal.unreachable(system: system.id, detail: "its answer is not a done SystemAnswer")
                }
                return .answered(answer)
            case 202:
                return .pending
            case 429, 500...599:
                failure = "HTTP \(status)"
                continue
            default:
                throw SystemRefusal.unreachable(system: system.id, detail: "HTTP \(status)")
            }
        }
        throw SystemRefusal.unreachable(system: system.id, detail: "\(failure) after \(Self.backoff.count + 1) attempts")
    }
}
