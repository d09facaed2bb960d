/// Every string the consent banner shows, in English (built in), Welsh (built in) and whatever
/// languages the declaration adds or rewords (`banner.languages`).
///
/// Law: UK GDPR Art 12(1) (information in clear and plain language) and PECR reg 6(2) (clear and
/// comprehensive information before consent). Keys are camelCase here and snake_case in YAML.
public enum BannerText {
    /// The keys and their English text, in the order the schema lists them. `{provider}` and
    /// `{category}` are filled in by the banner.
    public static let english: [(key: String, text: String)] = [
        ("title", "Cookies and similar technologies"),
        (
            "intro",
            "We use what is strictly necessary to run this site. With your permission we would also use the technologies below. Nothing optional runs until you choose, and you can change your mind at any time."
        ),
        ("acceptAll", "Accept all"),
        ("rejectAll", "Reject all"),
        ("manage", "Choose"),
        ("save", "Save my choices"),
        ("settings", "Privacy settings"),
        ("noticeLink", "Privacy notice"),
        ("alwaysOn", "Always on"),
        ("exceptionNote", "On unless you object (allowed by law without consent)."),
        ("objectTo", "Object to {category}"),
        ("gpcNote", "Your browser sent Global Privacy Control, so advertising and social sharing stay off."),
        ("loadEmbed", "Load content from {provider}"),
        ("embedNote", "{provider} may set cookies and will see your IP address when this loads."),
        ("alwaysAllow", "Always allow {category}"),
        ("saved", "Your choices are saved."),
        ("strictlyNecessary", "Strictly necessary"),
        ("security", "Security"),
        ("preference", "Preferences and appearance"),
        ("statistical", "Statistics"),
        ("advertising", "Advertising"),
        ("social", "Social media"),
        ("embeddedContent", "Embedded content"),
    ]

    /// Welsh, built in (Welsh Language Act 1993; many UK public bodies publish in both).
    public static let welsh: [String: String] = [
        "title": "Cwcis a thechnolegau tebyg",
        "intro":
            "Rydym yn defnyddio'r hyn sy'n gwbl angenrheidiol i redeg y wefan hon. Gyda'ch caniatâd byddem hefyd yn defnyddio'r technolegau isod. Does dim byd dewisol yn rhedeg nes i chi ddewis, a gallwch newid eich meddwl unrhyw bryd.",
        "acceptAll": "Derbyn y cyfan",
        "rejectAll": "Gwrthod y cyfan",
        "manage": "Dewis",
        "save": "Cadw fy newisiadau",
        "settings": "Gosodiadau preifatrwydd",
        "noticeLink": "Hysbysiad preifatrwydd",
        "alwaysOn": "Ymlaen bob amser",
        "exceptionNote": "Ymlaen oni bai eich bod yn gwrthwynebu (caniateir gan y gyfraith heb ganiatâd).",
        "objectTo": "Gwrthwynebu i {category}",
        "gpcNote": "Anfonodd eich porwr Global Privacy Control, felly mae hysbysebu a rhannu cymdeithasol yn aros i ffwrdd.",
        "loadEmbed": "Llwytho cynnwys gan {provider}",
        "embedNote": "Gall {provider} osod cwcis a bydd yn gweld eich cyfeiriad IP pan fydd hwn yn llwytho.",
        "alwaysAllow": "Caniatáu {category} bob amser",
        "saved": "Mae eich dewisiadau wedi'u cadw.",
        "strictlyNecessary": "Cwbl angenrheidiol",
        "security": "Diogelwch",
        "preference": "Dewisiadau ac ymddangosiad",
        "statistical": "Ystadegau",
        "advertising": "Hysbysebu",
        "social": "Cyfryngau cymdeithasol",
        "embeddedContent": "Cynnwys wedi'i fewnosod",
    ]

    /// The languages built in, by BCP 47 primary tag.
    public static let builtIn: [String: [String: String]] = [
        "en": Dictionary(uniqueKeysWithValues: english.map { ($0.key, $0.text) }),
        "cy": welsh,
    ]

    /// The languages a declaration can show: the built-in ones and those it declares.
    public static func languages(_ settings: BannerSettings?) -> Set<String> {
        Set(builtIn.keys).union((settings?.languages ?? []).map { $0.code.lowercased() })
    }

    /// The language to show: `requested` if it can be shown, else the first of `acceptLanguage`
    /// (an HTTP Accept-Language value, by preference) that can, else the declared default, else English.
    public static func language(requested: String?, acceptLanguage: String?, settings: BannerSettings?) -> String {
        let available = languages(settings)
        let primary = { (tag: Substring) in tag.split(separator: "-").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? "" }
        if let requested, case let tag = primary(Substring(requested)), available.contains(tag) { return tag }
        let preferred = (acceptLanguage ?? "").split(separator: ",").map { entry -> (String, Double) in
            let parts = entry.split(separator: ";")
            let quality =
                parts.dropFirst().first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("q=") }
                .flatMap { Double($0.trimmingCharacters(in: .whitespaces).dropFirst(2)) } ?? 1
            return (primary(parts.first ?? ""), quality)
        }
        if let match = preferred.enumerated().sorted(by: { ($0.element.1, -$0.offset) > ($1.element.1, -$1.offset) })
            .first(where: { available.contains($0.element.0) && $0.element.1 > 0 })
        {
            return match.element.0
        }
        if let fallback = settings?.defaultLanguage?.lowercased(), available.contains(fallback) { return fallback }
        return "en"
    }

    /// Every string in `language`: the declaration's wording over the built-in wording over English,
    /// so a language declared with a few strings never shows a blank.
    public static func strings(_ language: String, settings: BannerSettings?) -> [String: String] {
        var strings = builtIn["en"]!
        strings.merge(builtIn[language] ?? [:]) { $1 }
        for declared in settings?.languages ?? [] where declared.code.lowercased() == language {
            strings.merge(declared.strings ?? [:]) { $1 }
        }
        return strings
    }
}
