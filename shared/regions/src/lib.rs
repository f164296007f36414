//! Indonesia's official regions (the codes of Kemendagri): provinces (`32`), regencies and
//! cities (`32.73`), districts (`32.73.01`) and villages (`32.73.01.1001`), shipped as data
//! (`data/regions.tsv`, its source and licence in `data/SOURCE.md`).
//!
//! A region's parent is its code without the last segment. The table is read once, on first
//! use, from the text compiled into the binary.

use std::sync::LazyLock;

/// The four levels, from the top.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Provinsi.
    Province,
    /// Kabupaten / kota.
    Regency,
    /// Kecamatan.
    District,
    /// Desa / kelurahan.
    Village,
}

impl Level {
    /// The levels, from the top.
    pub const ALL: [Level; 4] = [
        Level::Province,
        Level::Regency,
        Level::District,
        Level::Village,
    ];

    /// The level of a code, by its number of segments.
    fn of(code: &str) -> Option<Level> {
        Self::ALL
            .get(code.split('.').count().checked_sub(1)?)
            .copied()
    }

    /// The level below, if any.
    pub fn below(self) -> Option<Level> {
        Self::ALL.get(self as usize + 1).copied()
    }

    /// Its name in API answers.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Province => "province",
            Level::Regency => "regency",
            Level::District => "district",
            Level::Village => "village",
        }
    }
}

/// One region.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Region {
    pub code: &'static str,
    pub name: &'static str,
}

impl Region {
    pub fn level(&self) -> Level {
        Level::of(self.code).unwrap_or(Level::Village)
    }

    /// The code of the region it lies in.
    pub fn parent_code(&self) -> Option<&'static str> {
        self.code.rsplit_once('.').map(|(parent, _)| parent)
    }
}

const DATA: &str = include_str!("../data/regions.tsv");

/// Every region by level, each level sorted by code (the codes of a level have the same width,
/// so text order is numeric order, and a region's children are one run of the level below).
static LEVELS: LazyLock<[Vec<Region>; 4]> = LazyLock::new(|| {
    let mut levels: [Vec<Region>; 4] = Default::default();
    for line in DATA.lines() {
        let Some((code, name)) = line.split_once('\t') else {
            continue;
        };
        if let Some(level) = Level::of(code) {
            levels[level as usize].push(Region { code, name });
        }
    }
    for level in &mut levels {
        level.sort_unstable_by_key(|r| r.code);
    }
    levels
});

fn level(level: Level) -> &'static [Region] {
    &LEVELS[level as usize]
}

/// The region with this code.
pub fn find(code: &str) -> Option<Region> {
    let regions = level(Level::of(code)?);
    regions
        .binary_search_by(|r| r.code.cmp(code))
        .ok()
        .map(|at| regions[at])
}

/// The provinces, by code.
pub fn provinces() -> &'static [Region] {
    level(Level::Province)
}

/// The regions directly within the one with this code, by code; none for a village or an
/// unknown code.
pub fn children(code: &str) -> &'static [Region] {
    let Some(below) = Level::of(code).and_then(Level::below) else {
        return &[];
    };
    let regions = level(below);
    let prefix = format!("{code}.");
    let start = regions.partition_point(|r| r.code < prefix.as_str());
    let len = regions[start..]
        .iter()
        .take_while(|r| r.code.starts_with(&prefix))
        .count();
    &regions[start..start + len]
}

/// The words a name is compared by: lower case, single spaces, without the title of its kind
/// (`Kabupaten`, `Kota`, `Provinsi`, ...) and with the usual abbreviations written out.
fn key(name: &str) -> String {
    const TITLES: [&str; 8] = [
        "provinsi ",
        "kabupaten administrasi ",
        "kota administrasi ",
        "kabupaten ",
        "kab. ",
        "kab ",
        "kota ",
        "kelurahan ",
    ];
    const SHORT: [(&str, &str); 3] = [
        ("dki ", "daerah khusus ibukota "),
        ("diy ", "daerah istimewa "),
        ("di ", "daerah istimewa "),
    ];
    let mut words = name.split_whitespace().collect::<Vec<_>>().join(" ");
    words = words.to_lowercase();
    for title in TITLES {
        if let Some(rest) = words.strip_prefix(title) {
            words = rest.to_string();
            break;
        }
    }
    for (short, long) in SHORT {
        if let Some(rest) = words.strip_prefix(short) {
            words = format!("{long}{rest}");
            break;
        }
    }
    words
}

/// The region a name means among `candidates`: the one whose name it is, in any letter case;
/// else the one alone whose name it is without titles (`Bandung` is both `Kabupaten Bandung`
/// and `Kota Bandung`, so it means neither).
pub fn named(candidates: &'static [Region], name: &str) -> Option<Region> {
    let exact = name
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    if let Some(found) = candidates.iter().find(|r| r.name.to_lowercase() == exact) {
        return Some(*found);
    }
    let wanted = key(name);
    let mut matching = candidates.iter().filter(|r| key(r.name) == wanted);
    match (matching.next(), matching.next()) {
        (Some(only), None) => Some(*only),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_level_is_complete_and_every_region_has_its_parent() {
        let counts: Vec<usize> = Level::ALL.iter().map(|l| level(*l).len()).collect();
        assert_eq!(counts, [38, 514, 7285, 83762]);
        for l in &Level::ALL[1..] {
            for region in level(*l) {
                let parent = region.parent_code().and_then(find);
                assert!(parent.is_some(), "{} has no parent", region.code);
                assert!(!region.name.trim().is_empty());
            }
        }
    }

    #[test]
    fn regions_are_found_by_code_and_their_children_in_order() {
        assert_eq!(find("32").unwrap().name, "Jawa Barat");
        assert_eq!(find("32.73").unwrap().name, "Kota Bandung");
        assert_eq!(find("32.73").unwrap().level(), Level::Regency);
        assert!(find("32.99").is_none());
        assert!(find("").is_none());
        assert!(find("1.2.3.4.5").is_none());
        let cities = children("32");
        assert!(cities.iter().all(|r| r.code.starts_with("32.")));
        assert!(cities.iter().any(|r| r.name == "Kabupaten Bandung"));
        assert_eq!(cities.len(), 27);
        assert!(children("32.73.01.1001").is_empty());
        assert!(children("nonsense").is_empty());
        let districts = children("32.73");
        assert!(!districts.is_empty());
        assert!(districts.windows(2).all(|w| w[0].code < w[1].code));
    }

    #[test]
    fn names_match_in_any_case_without_titles_when_they_mean_one_region() {
        let provinces = provinces();
        assert_eq!(named(provinces, "jawa barat").unwrap().code, "32");
        assert_eq!(named(provinces, "DKI Jakarta").unwrap().code, "31");
        assert_eq!(
            named(provinces, "Provinsi  Jawa Tengah").unwrap().code,
            "33"
        );
        assert!(named(provinces, "Jawa").is_none());
        let west_java = children("32");
        assert_eq!(named(west_java, "kota bandung").unwrap().code, "32.73");
        assert_eq!(named(west_java, "Kabupaten Bandung").unwrap().code, "32.04");
        assert!(
            named(west_java, "Bandung").is_none(),
            "a city and a regency"
        );
        assert_eq!(named(west_java, "Garut").unwrap().code, "32.05");
        assert_eq!(named(west_java, "Kab. Garut").unwrap().code, "32.05");
    }
}
