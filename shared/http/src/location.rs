//! Reads a report's `location`: names and the official region codes (Kemendagri) placed in one
//! another. The deepest code given places every region above it; a name without a code is
//! matched among the regions of the one above (any letter case, `Kabupaten`/`Kota` aside) and
//! kept as written when nothing matches. A region found by code or name is stored under its
//! official name, with its code beside it.

use lapor_domain::fields::{Address, Location, PlaceName, RegionCodes, parse_lat, parse_lon};
use lapor_regions::{Level, Region};

use crate::input::Fields;

/// The fields of each level, in `location` and in `location.codes`.
const FIELDS: [&str; 4] = ["province", "regency", "district", "village"];

/// The region a code names, if it is one of this level.
fn region_of(level: Level) -> impl Fn(&str) -> Result<Region, String> {
    move |raw| {
        lapor_regions::find(raw.trim())
            .filter(|r| r.level() == level)
            .ok_or_else(|| {
                format!(
                    "is not a {} code of Kemendagri (GET /v1/regions)",
                    level.as_str()
                )
            })
    }
}

/// Reads the fields of `location` (with `l` reading that object).
pub(crate) fn read_location(l: &mut Fields) -> Option<Location> {
    let mut names: Vec<Option<PlaceName>> = FIELDS
        .iter()
        .map(|name| l.text(name, false, PlaceName::parse))
        .collect();
    let given: [Option<Region>; 4] = l
        .object("codes", false, |c| {
            let mut given = [None; 4];
            for (slot, (field, level)) in given.iter_mut().zip(FIELDS.iter().zip(Level::ALL)) {
                *slot = c.text(field, false, region_of(level));
            }
            Some(given)
        })
        .unwrap_or_default();
    let address = l.text("address", false, Address::parse);
    let lat = l.number("lat", false, parse_lat);
    let lon = l.number("lon", false, parse_lon);
    if lat.is_some() != lon.is_some() && l.is_valid() {
        l.error("lat", "lat and lon go together");
    }
    let placed = place(l, &given, &names);
    for (name, region) in names.iter_mut().zip(&placed) {
        if let Some(region) = region {
            *name = PlaceName::parse(region.name).ok();
        }
    }
    let valid = l.is_valid();
    for (name, field) in names.iter().zip(FIELDS).take(2) {
        if name.is_none() && valid {
            l.error(field, "is required (a name, or its code in location.codes)");
        }
    }
    let codes = placed[0].map(|_| RegionCodes {
        province: code(&placed[0]),
        regency: code(&placed[1]),
        district: code(&placed[2]),
        village: code(&placed[3]),
    });
    let mut names = names.into_iter();
    Some(Location {
        province: names.next().flatten()?,
        regency: names.next().flatten()?,
        district: names.next().flatten(),
        village: names.next().flatten(),
        address,
        lat,
        lon,
        codes,
    })
}

fn code(region: &Option<Region>) -> Option<String> {
    region.map(|r| r.code.to_string())
}

/// The region of each level: those above the deepest code given come from it (each code given
/// must lie on that line), those below from their names, level by level while one is found.
fn place(
    l: &mut Fields,
    given: &[Option<Region>; 4],
    names: &[Option<PlaceName>],
) -> [Option<Region>; 4] {
    let mut placed = [None; 4];
    let deepest = given.iter().rposition(Option::is_some);
    if let Some(deepest) = deepest {
        let mut region = given[deepest];
        for level in (0..=deepest).rev() {
            let Some(here) = region else { break };
            if let Some(said) = given[level]
                && said != here
            {
                l.error(
                    &format!("codes.{}", FIELDS[deepest]),
                    format!("is not within location.codes.{}", FIELDS[level]),
                );
                return [None; 4];
            }
            placed[level] = Some(here);
            region = here.parent_code().and_then(lapor_regions::find);
        }
    }
    let start = deepest.map_or(0, |d| d + 1);
    for level in start..FIELDS.len() {
        let candidates = match level {
            0 => lapor_regions::provinces(),
            _ => match placed[level - 1] {
                Some(above) => lapor_regions::children(above.code),
                None => break,
            },
        };
        placed[level] = names[level]
            .as_ref()
            .and_then(|name| lapor_regions::named(candidates, name.as_str()));
        if placed[level].is_none() {
            break;
        }
    }
    placed
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    /// The location read from `body`, or the fields in error.
    fn read(body: Value) -> Result<Location, Vec<String>> {
        let object = json!({ "location": body });
        let mut f = Fields::new(object.as_object().unwrap());
        let location = f.object("location", true, read_location);
        f.finish(location)
            .map_err(|p| p.errors.into_iter().map(|e| e.field).collect())
    }

    /// The codes, joined by `|`, `-` for none.
    fn codes(location: &Location) -> String {
        let c = location.codes.clone().unwrap_or_default();
        [c.province, c.regency, c.district, c.village]
            .map(|c| c.unwrap_or_else(|| "-".into()))
            .join("|")
    }

    #[test]
    fn names_are_matched_to_codes_as_deep_as_they_are_found() {
        let l = read(json!({"province": "jawa barat", "regency": "Kota Bandung",
            "district": "sumur bandung", "village": "Tidak Ada Desa Ini"}))
        .unwrap();
        assert_eq!(l.province.as_str(), "Jawa Barat");
        assert_eq!(l.district.as_ref().unwrap().as_str(), "Sumur Bandung");
        assert_eq!(l.village.as_ref().unwrap().as_str(), "Tidak Ada Desa Ini");
        assert_eq!(codes(&l), "32|32.73|32.73.19|-");
        let unknown = read(json!({"province": "Atlantis", "regency": "Kota Bandung"})).unwrap();
        assert_eq!(unknown.province.as_str(), "Atlantis", "kept as written");
        assert_eq!(unknown.codes, None);
        let ambiguous = read(json!({"province": "Jawa Barat", "regency": "Bandung"})).unwrap();
        assert_eq!(codes(&ambiguous), "32|-|-|-");
    }

    #[test]
    fn the_deepest_code_places_the_regions_above_it_under_their_names() {
        let l = read(json!({"codes": {"district": "32.73.19"}, "province": "Jabar"})).unwrap();
        assert_eq!(l.province.as_str(), "Jawa Barat");
        assert_eq!(l.regency.as_str(), "Kota Bandung");
        assert_eq!(codes(&l), "32|32.73|32.73.19|-");
    }

    #[test]
    fn codes_must_be_known_of_their_level_and_within_one_another() {
        assert_eq!(
            read(json!({"codes": {"province": "31", "regency": "32.73"}})),
            Err(vec!["location.codes.regency".to_string()])
        );
        assert_eq!(
            read(json!({"codes": {"province": "32.73"}, "regency": "x y"})),
            Err(vec!["location.codes.province".to_string()])
        );
        assert_eq!(
            read(json!({"codes": {"regency": 32}})),
            Err(vec!["location.codes.regency".to_string()])
        );
        assert_eq!(
            read(json!({"district": "Sumur Bandung"})),
            Err(vec![
                "location.province".to_string(),
                "location.regency".to_string()
            ])
        );
    }
}
