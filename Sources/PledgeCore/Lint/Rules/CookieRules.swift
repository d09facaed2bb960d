/// Storage-and-access technologies: PECR reg 6 as amended by DUAA 2025 s.112 and Sch A1.
enum CookieRules {
    static let all: [LegalRule] = [l01, l02, l03, l04, l05, l06, l07, l35]

    static let l01 = LegalRule(
        "L01", "implied-cookie-consent", "'Implied consent' for non-essential cookies", severity: .error,
        reference:
            "PECR reg 6(1)-(2) as amended by DUAA 2025 s.112 and Sch A1; UK GDPR Art 4(11), Art 7, Recital 32; ICO storage and access technologies guidance (29 Apr 2026)",
        wording: ["implied consent", "assume (that )?you are happy", "by (continuing|continued) (to )?(use|brows)"]
    ) { context in
        technologies(context).compactMap { path, technology in
            guard [.implied, .none].contains(technology.effectiveConsent) else { return nil }
            return Violation(
                path.key("consent"),
                "\(technology.name) (\(technology.category.rawValue)) is set without opt-in consent; only strictly necessary technologies and the Sch A1 exceptions may run before a choice. Pledge's banner blocks it until the visitor opts in."
            )
        }
    }

    static let l02 = LegalRule(
        "L02", "browser-settings-not-consent", "Browser settings offered as the only cookie control", severity: .warning,
        reference: "PECR reg 6; DUAA 2025 Sch A1 (statistical and appearance exceptions); ICO storage and access technologies guidance",
        wording: ["(disable|refuse|reject|control).{0,60}cookies.{0,60}browser", "browser.{0,40}(refuse|disable).{0,20}cookies"]
    ) { context in
        technologies(context).compactMap { path, technology in
            if technology.effectiveConsent == .browserSettings {
                return Violation(
                    path.key("consent"), "\(technology.name) relies on browser settings; they are not consent on their own. Offer an opt-in instead.")
            }
            // Sch A1: the statistical exception covers a third party only when it acts solely for the site,
            // as its processor; one that uses the data for its own purposes needs consent (issue 26 §6).
            if technology.effectiveConsent == .statisticalException, technology.party == .third,
                !actsSolelyForTheSite(technology, in: context.declaration)
            {
                return Violation(
                    path.key("consent"),
                    "\(technology.name) is third-party analytics; the Sch A1 statistical exception covers a provider only when it acts solely for you, as your processor. Name it as provider (a recipients[].id of kind processor) or ask for consent."
                )
            }
            return nil
        }
    }

    /// Whether a third-party technology's provider is a declared processor of the organisation (by
    /// recipient id or name), so it acts solely on the organisation's behalf.
    static func actsSolelyForTheSite(_ technology: StorageTechnology, in declaration: Declaration) -> Bool {
        guard let provider = technology.provider else { return false }
        return recipients(named: provider, in: declaration).contains { $0.kind == .processor }
    }

    /// The declared recipients `provider` names, by id or name, in any case.
    static func recipients(named provider: String, in declaration: Declaration) -> [Recipient] {
        let name = provider.lowercased()
        return (declaration.recipients ?? []).filter { $0.id.lowercased() == name || $0.name.lowercased() == name }
    }

    static let l03 = LegalRule(
        "L03", "third-party-cookies-disclaimed", "Third-party cookies disclaimed", severity: .error,
        reference: "PECR reg 6 as amended by DUAA 2025 s.112(2) ('instigating' storage); UK GDPR Art 26 (Fashion ID, C-40/17)",
        wording: ["not covered by (this|our) privacy policy", "(do not|don.t) have access to or control over these cookies"]
    ) { context in
        // A provider that receives data when its technology runs is a recipient, so the notice names it
        // (Art 13(1)(e)) with its transfer (Art 13(1)(f)); otherwise the notice is silent about it (issue 26 §6).
        technologies(context).compactMap { path, technology in
            guard technology.party == .third, let provider = technology.provider, recipients(named: provider, in: context.declaration).isEmpty else {
                return nil
            }
            return Violation(
                path.key("provider"),
                "\(provider) receives data when \(technology.name) runs, but is not among the recipients, so the notice does not name it or its transfer; add it to recipients (by id or name)."
            )
        }
    }

    static let l04 = LegalRule(
        "L04", "social-tracking-before-consent", "Social buttons and embeds load third-party tracking before consent", severity: .error,
        reference: "PECR reg 6 (+ DUAA 2025 s.112); UK GDPR Art 25(1), Art 26; ICO storage and access technologies guidance",
        wording: ["social buttons", "even if you don.t click", "cannot prevent these sites"]
    ) { context in
        technologies(context).compactMap { path, technology in
            guard [.socialButton, .embed].contains(technology.kind), technology.party == .third else { return nil }
            if technology.load == .immediate || technology.effectiveConsent.runsWithoutChoice {
                return Violation(
                    path.key("load"),
                    "\(technology.name) loads third-party content before any choice. Pledge shows it as a click-to-load placeholder.")
            }
            return nil
        }
    }

    static let l05 = LegalRule(
        "L05", "cookie-information-on-request", "Cookie information only 'available on request'", severity: .error,
        reference: "PECR reg 6(2)(a) (clear and comprehensive information before storage or access)",
        wording: ["(details|information) (are )?available on request"]
    ) { context in
        let d = context.declaration
        let usesDeviceData = d.purposes.contains { $0.categories.contains { Fideslang.key($0, isWithin: "user.device") } }
        // A separate cookie policy holds the details (issue 26 §11): listing them here lets Pledge's banner block them too.
        guard usesDeviceData, (d.technologies ?? []).isEmpty, (d.notice.cookiePolicyUrl ?? "").isEmpty else { return [] }
        return [
            Violation(
                LintContext.root.key("technologies"),
                "Purposes use device data (cookies, device ids, IP addresses) but no technology is listed; every cookie and similar technology must be described before it is used."
            )
        ]
    }

    static let l06 = LegalRule(
        "L06", "identifiers-called-anonymous", "Online identifiers described as 'anonymous'", severity: .warning,
        reference: "UK GDPR Art 4(1) ('online identifier'), Recital 30, Art 4(5)",
        wording: [
            "(user data|data) is (all )?anonymous", "anonymous unique identifier", "not tied to personally identifiable", "the data is anonymous",
        ]
    )

    static let l07 = LegalRule(
        "L07", "individual-email-tracking", "Individual-level email open/click tracking without consent", severity: .warning,
        reference: "PECR reg 6; UK GDPR Art 6(1), Art 21(2)-(3); ICO storage and access technologies guidance (tracking pixels)",
        wording: ["track.{0,40}(individual level|opened and clicked)", "beacons", "re-email people"]
    ) { context in
        let purposes = context.declaration.purposes
        return (context.declaration.marketing ?? []).enumerated().compactMap { i, channel in
            guard channel.tracking == .individual else { return nil }
            // Pledge tracks a person individually only while their consent to tracking_purpose stands (C19).
            let purpose = channel.trackingPurpose.flatMap { id in purposes.first { $0.id == id } }
            if purpose?.basis == .consent { return nil }
            let why =
                channel.trackingPurpose == nil
                ? "names no tracking_purpose, so nobody's consent to it can be recorded"
                : "names tracking_purpose '\(channel.trackingPurpose ?? "")', which is not a declared purpose on consent"
            return Violation(
                LintContext.root.key("marketing").index(i).key("tracking"),
                "Channel '\(channel.id)' tracks opens and clicks per person but \(why); only people who agreed to it may get a pixel or personal link, and opting out of tracking must not require unsubscribing. Pledge tracks everyone on it at the aggregate tier until then."
            )
        }
    }

    static let l35 = LegalRule(
        "L35", "obsolete-technology", "Obsolete technology references", severity: .info,
        reference: "UK GDPR Art 12(1), Art 5(1)(a) (clear and accurate information)",
        wording: ["\\bapplets?\\b", "Google \\+1", "Internet Explorer"]
    ) { context in
        technologies(context).compactMap { path, technology in
            technology.kind == .applet
                ? Violation(path.key("kind"), "\(technology.name) is an applet; browsers no longer run applets, so the register is out of date.")
                : nil
        }
    }

    static func technologies(_ context: LintContext) -> [(DeclarationPath, StorageTechnology)] {
        (context.declaration.technologies ?? []).enumerated().map { (LintContext.root.key("technologies").index($0), $1) }
    }
}
