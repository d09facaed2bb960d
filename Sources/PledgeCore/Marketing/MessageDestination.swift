/// Where a campaign's messages go (CAM-22): to the person's email address, or to the inbox their
/// account has in the organisation's service (provisioned when they register: a subject with an
/// `account` identifier has one). An inbox message is decided exactly as an email (PECR reg 22
/// counts a message stored for its recipient to collect as electronic mail) and carries no tracking.
public enum MessageDestination: String, Sendable, Codable, CaseIterable {
    case email
    case inbox
}
