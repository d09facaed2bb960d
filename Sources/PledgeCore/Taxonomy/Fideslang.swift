/// The fideslang vocabulary (IABTechLab/fideslang `data_files/`, CC BY 4.0) that declarations use
/// for data categories, data uses and data subjects, so that they can be exchanged with the
/// Fides ecosystem. Organisations may add their own categories under `taxonomy.categories`.
public enum Fideslang {
    /// Data categories (fideslang `data_categories`).
    public static let dataCategories: Set<String> = [
        "system", "system.authentication", "system.operations",
        "user", "user.account", "user.account.contact", "user.account.contact.city",
        "user.account.contact.country", "user.account.contact.email", "user.account.contact.phone_number",
        "user.account.contact.postal_code", "user.account.contact.state", "user.account.contact.street",
        "user.account.payment", "user.account.payment.financial_account_number",
        "user.device", "user.device.cookie_id", "user.device.device_id", "user.device.ip_address",
        "user.contact", "user.contact.city", "user.contact.country", "user.contact.email",
        "user.contact.phone_number", "user.contact.postal_code", "user.contact.state", "user.contact.street",
        "user.credentials", "user.credentials.biometric_credentials", "user.credentials.password",
        "user.financial", "user.financial.account_number",
        "user.government_id", "user.government_id.drivers_license_number",
        "user.government_id.national_identification_number", "user.government_id.passport_number",
        "user.biometric", "user.biometric_health", "user.browsing_history", "user.childrens",
        "user.date_of_birth", "user.demographic", "user.gender", "user.genetic", "user.health_and_medical",
        "user.job_title", "user.location", "user.name", "user.non_specific_age", "user.media_consumption",
        "user.observed", "user.organization", "user.political_opinion", "user.profiling", "user.race",
        "user.religious_belief", "user.search_history", "user.sensor", "user.sexual_orientation",
        "user.social", "user.telemetry", "user.unique_id", "user.user_sensor", "user.workplace",
    ]

    /// Categories that are special category data under UK GDPR Art 9(1).
    public static let specialCategories: Set<String> = [
        "user.race", "user.religious_belief", "user.sexual_orientation", "user.political_opinion",
        "user.health_and_medical", "user.biometric", "user.biometric_health", "user.genetic",
        "user.credentials.biometric_credentials",
    ]

    /// Categories that hold payment or financial account data (C42: never for marketing or profiling).
    public static let paymentCategories: Set<String> = [
        "user.account.payment", "user.account.payment.financial_account_number",
        "user.financial", "user.financial.account_number",
    ]

    /// Data uses (fideslang `data_uses`).
    public static let dataUses: Set<String> = [
        "analytics", "analytics.reporting", "analytics.reporting.ad_performance",
        "analytics.reporting.content_performance", "analytics.reporting.campaign_insights",
        "analytics.reporting.system", "analytics.reporting.system.performance",
        "collect", "employment", "employment.recruitment",
        "essential", "essential.fraud_detection", "essential.legal_obligation", "essential.service",
        "essential.service.authentication", "essential.service.notifications",
        "essential.service.notifications.email", "essential.service.notifications.sms",
        "essential.service.operations", "essential.service.operations.support",
        "essential.service.operations.improve", "essential.service.payment_processing",
        "essential.service.security", "essential.service.upgrades",
        "finance", "functional", "functional.storage", "functional.service", "functional.service.improve",
        "marketing", "marketing.advertising", "marketing.advertising.first_party",
        "marketing.advertising.first_party.contextual", "marketing.advertising.first_party.targeted",
        "marketing.advertising.frequency_capping", "marketing.advertising.negative_targeting",
        "marketing.advertising.profiling", "marketing.advertising.serving",
        "marketing.advertising.third_party", "marketing.advertising.third_party.targeted",
        "marketing.communications", "marketing.communications.email", "marketing.communications.sms",
        "operations", "personalize", "personalize.content", "personalize.profiling", "personalize.system",
        "sales", "third_party_sharing", "third_party_sharing.legal_obligation", "train_ai_system",
    ]

    /// Data subjects (fideslang `data_subjects`).
    public static let dataSubjects: Set<String> = [
        "anonymous_user", "citizen_voter", "commuter", "consultant", "customer", "employee",
        "job_applicant", "next_of_kin", "passenger", "patient", "prospect", "shareholder",
        "supplier_vendor", "trainee", "visitor",
    ]

    /// The parent of a dotted taxonomy key, or nil at the top.
    public static func parent(of key: String) -> String? {
        guard let dot = key.lastIndex(of: ".") else { return nil }
        return String(key[..<dot])
    }

    /// True when `key` is `ancestor` or lies below it (`user.contact.email` is within `user.contact`).
    public static func key(_ key: String, isWithin ancestor: String) -> Bool {
        key == ancestor || key.hasPrefix(ancestor + ".")
    }
}
