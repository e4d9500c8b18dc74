//! "Did you mean …?": the names closest to one that was not found (a tag
//! in a filter, a coder, an attribute, a subcommand), for messages.
//!
//! Invariants: comparisons ignore case; a candidate is offered when its
//! edit distance is at most a third of the longer name (at least 2), or
//! when one name contains the other; at most [`MAX_SUGGESTIONS`] are
//! returned, closest first, then by name, so messages are stable.

/// Most names a message suggests.
pub const MAX_SUGGESTIONS: usize = 3;

/// Levenshtein distance between `a` and `b`, by characters.
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The candidates closest to `name` (see the module invariants).
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let want = name.trim().to_lowercase();
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter_map(|c| {
            let low = c.to_lowercase();
            let d = distance(&want, &low);
            let limit = (want.chars().count().max(low.chars().count()) / 3).max(2);
            let contains = !want.is_empty() && (low.contains(&want) || want.contains(&low));
            (d <= limit || contains).then_some((d, c))
        })
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored
        .into_iter()
        .take(MAX_SUGGESTIONS)
        .map(|(_, c)| c)
        .collect()
}

/// " (did you mean “A” or “B”?)", or "" when nothing is close.
pub fn did_you_mean(found: &[&str]) -> String {
    match found {
        [] => String::new(),
        [one] => format!(" (did you mean “{one}”?)"),
        [init @ .., last] => {
            let init: Vec<String> = init.iter().map(|n| format!("“{n}”")).collect();
            format!(" (did you mean {} or “{last}”?)", init.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_names_are_offered_closest_first() {
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("وزیر", "وزير"), 1);
        let tags = ["Drone strikes", "Drones", "Trade", "NATO supply routes"];
        assert_eq!(closest("Drone strike", tags), ["Drone strikes"]);
        // Contained names count whatever their distance.
        assert_eq!(closest("drone", tags), ["Drones", "Drone strikes"]);
        assert_eq!(closest("trade", tags), ["Trade"]);
        assert!(closest("Haqqani", tags).is_empty());
        assert_eq!(
            did_you_mean(&closest("drone", tags)),
            " (did you mean “Drones” or “Drone strikes”?)"
        );
        assert_eq!(did_you_mean(&[]), "");
        let cmds = ["export", "check", "corpus", "search"];
        assert_eq!(closest("exprot", cmds), ["export"]);
    }
}
