/// Finds the known name closest to a misspelt one, to suggest it in an error.
public enum NearestName {
    /// The candidate with the smallest edit distance to `name`, if it is close enough to be a typo.
    public static func suggestion<S: Sequence>(for name: String, among candidates: S) -> String? where S.Element == String {
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(name, candidate)
            if best == nil || distance < best!.distance || (distance == best!.distance && candidate < best!.name) {
                best = (candidate, distance)
            }
        }
        guard let best else { return nil }
        // Allow roughly one slip in three characters; beyond that the guess is noise.
        let limit = max(2, name.count / 3)
        return best.distance <= limit ? best.name : nil
    }

    /// Levenshtein distance over characters.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
