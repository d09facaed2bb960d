import Foundation

/// Plain-English names for data categories, for notices and records.
public enum CategoryNames {
    private static let known: [String: String] = [
        "user.name": "name",
        "user.contact": "contact details",
        "user.contact.email": "email address",
        "user.contact.phone_number": "phone number",
        "user.contact.street": "postal address",
        "user.contact.city": "town or city",
        "user.contact.postal_code": "postcode",
        "user.contact.country": "country",
        "user.account": "account details",
        "user.account.contact.email": "account email address",
        "user.account.payment": "payment details",
        "user.financial": "financial information",
        "user.financial.account_number": "bank or card account number",
        "user.device": "device information",
        "user.device.ip_address": "IP address",
        "user.device.cookie_id": "cookie identifiers",
        "user.device.device_id": "device identifiers",
        "user.browsing_history": "pages visited on our site",
        "user.behavior": "how you use our services",
        "user.job_title": "job title",
        "user.workplace": "employer",
        "user.organization": "organisation details",
        "user.profiling": "interests and preferences",
        "user.social": "public posts and comments",
        "user.credentials.password": "password",
        "user.childrens": "children's data",
        "user.date_of_birth": "date of birth",
        "user.non_specific_age": "age range",
        "user.race": "racial or ethnic origin",
        "user.religious_belief": "religious or philosophical beliefs",
        "user.sexual_orientation": "sex life or sexual orientation",
        "user.political_opinion": "political opinions",
        "user.health_and_medical": "health information",
        "user.biometric": "biometric data",
        "user.genetic": "genetic data",
        "user.observed": "records of our interactions with you",
        "user.unique_id": "account identifier",
    ]

    /// The name of `key` in `declaration`'s words: a custom category's own name, a known name, or
    /// the key's last parts spelt out.
    public static func name(of key: String, in declaration: Declaration) -> String {
        if let custom = declaration.taxonomy?.categories.first(where: { $0.key == key }) { return custom.name }
        if let name = known[key] { return name }
        return key.split(separator: ".").dropFirst().map { $0.replacingOccurrences(of: "_", with: " ") }.joined(separator: " ")
    }

    public static func names(of keys: [String], in declaration: Declaration) -> [String] {
        var seen = Set<String>()
        return keys.map { name(of: $0, in: declaration) }.filter { seen.insert($0).inserted }
    }
}
