/// Which purposes a new declaration introduces, and from when they may run (issue 29 §5; C44): a
/// purpose that the notice in force does not list may start only once the notice that lists it is
/// in effect, so the people concerned are told first (UK GDPR Art 13(3); ICO: tell people before a
/// new purpose starts; Art 5(1)(a) transparency). Its lawful basis, its compatibility (Art 8A) and
/// any consent it needs are the gate's other checks.
public enum PurposeIntroduction {
    /// The purposes of `declaration` absent from `previous` (the declaration whose notice is in force
    /// now), each starting on `effective`, the day the new notice takes effect; none when nothing was
    /// in force before (a first publication tells everyone at once) or the new notice is in effect.
    public static func startDays(
        of declaration: Declaration, effective: CalendarDate, previous: Declaration?, today: CalendarDate
    ) -> [String: CalendarDate] {
        guard let previous, effective > today else { return [:] }
        let before = Set(previous.purposes.map(\.id))
        return Dictionary(
            declaration.purposes.filter { !before.contains($0.id) }.map { ($0.id, effective) }, uniquingKeysWith: { first, _ in first })
    }
}
