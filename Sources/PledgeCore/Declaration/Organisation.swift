import Foundation

/// The controller and how to reach it (C01; UK GDPR Art 13(1)(a)-(b)).
public struct Organisation: Codable, Sendable, Equatable, SchemaDescribed {
    public var name: String
    public var legalName: String?
    public var companyNumber: String?
    public var registeredOffice: String?
    public var addresses: [String]?
    public var website: String?
    public var icoRegistration: String?
    public var contact: ContactPoint
    public var dpo: DataProtectionOfficer?
    /// IANA time zone for calendar rules (a "month" for a request); UTC instants in storage.
    public var timezone: String?
    public var bankHolidays: BankHolidayRegion?
    /// Holidays proclaimed after this release, added to the region's calendar.
    public var extraHolidays: [CalendarDate]?
    /// A charity, which may market to its supporters on the soft opt-in (PECR reg 22(3A), DUAA 2025 s.114).
    public var charity: Bool?
    /// A public authority, which cannot rely on (recognised) legitimate interests for its tasks (UK GDPR Art 6(1), last subparagraph).
    public var publicAuthority: Bool?

    public static let schema: Schema = .object(
        description: "The controller (C01).",
        properties: [
            .required("name", .text("Name the public knows the organisation by.")),
            .optional("legal_name", .text("Registered legal entity name.")),
            .optional("company_number", .text("Companies House number.")),
            .optional("registered_office", .text("Registered office address.")),
            .optional("addresses", .list("Other trading addresses.", .text("An address."))),
            .optional("website", .string(description: "The organisation's website.", format: .url)),
            .optional("ico_registration", .text("ICO data protection fee registration number.")),
            .required("contact", ContactPoint.schema),
            .optional("dpo", DataProtectionOfficer.schema),
            .optional("timezone", .text("IANA time zone, default Europe/London.")),
            .optional("bank_holidays", .oneOf(BankHolidayRegion.self, "Bank-holiday calendar for deadlines, default england-and-wales.")),
            .optional("extra_holidays", .list("Further bank holidays proclaimed for one year, e.g. a coronation.", .date("A day."))),
            .optional("charity", .flag("True for a charity: it may email supporters on the soft opt-in (PECR reg 22(3A)).")),
            .optional(
                "public_authority",
                .flag("True for a public authority: it cannot rely on legitimate interests, recognised or not, for its tasks (Art 6(1)).")),
        ])
}

extension Organisation {
    /// The working-day calendar for deadlines (UK GDPR Art 12(3); Banking and Financial Dealings Act 1971).
    public var holidayCalendar: BankHolidays {
        BankHolidays(region: bankHolidays ?? .englandAndWales, extra: Set(extraHolidays ?? []))
    }

    /// The time zone calendar rules use; Europe/London unless declared.
    public var calendarTimeZone: TimeZone {
        timezone.flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: "Europe/London") ?? .gmt
    }
}

/// Where people send privacy questions and requests.
public struct ContactPoint: Codable, Sendable, Equatable, SchemaDescribed {
    public var email: String?
    public var phone: String?
    public var post: String?
    public var webForm: String?

    public static let schema: Schema = .object(
        description: "Privacy contact channels.",
        properties: [
            .optional("email", .string(description: "Privacy contact email.", format: .email)),
            .optional("phone", .text("Privacy contact telephone number.")),
            .optional("post", .text("Postal address for privacy matters.")),
            .optional("web_form", .string(description: "Web form for privacy matters.", format: .url)),
        ])

    /// True when at least one channel is given.
    public var isReachable: Bool { [email, phone, post, webForm].contains { !($0 ?? "").isEmpty } }
}

/// The data protection officer, where one is designated (UK GDPR Art 37(7)).
public struct DataProtectionOfficer: Codable, Sendable, Equatable, SchemaDescribed {
    public var designated: Bool
    public var name: String?
    public var email: String?
    public var phone: String?
    public var title: String?

    public static let schema: Schema = .object(
        description: "Data protection officer or privacy lead.",
        properties: [
            .required("designated", .flag("True when a statutory DPO is designated (Art 37).")),
            .optional("name", .text("Name or role.")),
            .optional("email", .string(description: "DPO email.", format: .email)),
            .optional("phone", .text("DPO telephone.")),
            .optional("title", .text("Title used when no statutory DPO is designated, e.g. Head of Compliance.")),
        ])

    public var hasContact: Bool { !(email ?? "").isEmpty || !(phone ?? "").isEmpty }
}

/// Bank-holiday calendars of the UK's jurisdictions.
public enum BankHolidayRegion: String, Codable, Sendable, CaseIterable {
    case englandAndWales = "england-and-wales"
    case scotland
    case northernIreland = "northern-ireland"
}

extension Organisation {
    /// Whom people write to about their data, a line each: the DPO where one is named with a way to
    /// reach them, else the privacy contact point (the contact point of Art 13(1)(b) and Art 33(3)(b)).
    public var contactPointLines: [String] {
        var lines: [String] = []
        if let dpo, dpo.hasContact {
            let role = dpo.designated ? "Data protection officer" : (dpo.title ?? "Privacy lead")
            lines.append([role, dpo.name].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": "))
            if let email = dpo.email, !email.isEmpty { lines.append("Email: \(email)") }
            if let phone = dpo.phone, !phone.isEmpty { lines.append("Telephone: \(phone)") }
            return lines
        }
        if let email = contact.email, !email.isEmpty { lines.append("Email: \(email)") }
        if let phone = contact.phone, !phone.isEmpty { lines.append("Telephone: \(phone)") }
        if let post = contact.post, !post.isEmpty { lines.append("Post: \(post)") }
        if let form = contact.webForm, !form.isEmpty { lines.append("Web: \(form)") }
        return lines
    }
}
