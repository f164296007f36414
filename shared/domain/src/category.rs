//! The categories (topics) a report is filed under: a small tree kept as data, changed by the
//! national admins. A report stores a category's code; people see its name. The tree starts
//! as [`Categories::seed`], LAPOR!'s own topics, until the first change is stored.

use serde::{Deserialize, Serialize};

use crate::fields::Category;
use crate::violation::{FieldError, Violation};

/// The deepest a category may sit (a topic, a subtopic, one more).
const MAX_DEPTH: usize = 3;
/// How many categories the tree may hold: it is read whole on every submission.
pub const MAX_CATEGORIES: usize = 500;

/// A category's code: lower-case words of letters and digits joined by `-`, one segment per
/// level joined by `.`, such as `infrastruktur.jalan`. Its parent is the code without its last
/// segment, so the code alone places it in the tree (and it fits in a URL's path as it is).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CategoryCode(String);

serde_by_parse!(CategoryCode, String, |raw: String| Self::parse(&raw));
schema_by_hand!(
    CategoryCode,
    crate::schema::text(
        "A category's code: lower-case words joined by `-`, one segment per level joined by `.`.",
        2,
        100
    )
);

impl CategoryCode {
    /// Parses a code.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let segments: Vec<&str> = raw.split('.').collect();
        let word = |s: &str| {
            !s.is_empty()
                && s.split('-').all(|part| {
                    !part.is_empty()
                        && part
                            .bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                })
        };
        // At least 2 characters, as the text a report stores is.
        let length = (2..=100).contains(&raw.len());
        if !length || segments.len() > MAX_DEPTH || !segments.iter().all(|s| word(s)) {
            return Err(format!(
                "must be at most {MAX_DEPTH} lower-case words joined by '.' (letters, digits \
                 and '-'), 2 to 100 characters, such as infrastruktur.jalan"
            ));
        }
        Ok(Self(raw.to_string()))
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The code of the category above it.
    pub fn parent(&self) -> Option<Self> {
        self.0
            .rsplit_once('.')
            .map(|(parent, _)| Self(parent.to_string()))
    }
}

/// One category.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryEntry {
    pub code: CategoryCode,
    /// Its name, as people read it (unique in the tree, whatever the letter case).
    pub name: Category,
    /// Offered for new reports; a retired one still names the reports filed under it.
    pub active: bool,
}

/// The whole tree, as stored: its entries in code order, and its version (0 for the seed, one
/// more with each change).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Categories {
    pub version: u64,
    pub entries: Vec<CategoryEntry>,
}

/// One category with those below it, as `GET /v1/categories` shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryNode {
    pub code: CategoryCode,
    pub name: String,
    /// Offered for new reports.
    pub active: bool,
    #[cfg_attr(feature = "openapi", schema(no_recursion))]
    pub children: Vec<CategoryNode>,
}

/// LAPOR!'s topics, as its portal offers them: the first tree.
const SEED: &[(&str, &str)] = &[
    ("agama", "Agama"),
    ("dampak-lingkungan", "Dampak Lingkungan"),
    ("ekonomi-dan-keuangan", "Ekonomi dan Keuangan"),
    ("energi-dan-sumber-daya-alam", "Energi dan Sumber Daya Alam"),
    ("infrastruktur", "Infrastruktur"),
    ("infrastruktur.air-bersih", "Air Bersih"),
    ("infrastruktur.jalan", "Jalan dan Jembatan"),
    ("infrastruktur.listrik", "Listrik"),
    (
        "kekerasan-di-satuan-pendidikan",
        "Kekerasan di Satuan Pendidikan",
    ),
    ("kemaritiman", "Kemaritiman"),
    ("kependudukan", "Kependudukan"),
    ("kesehatan", "Kesehatan"),
    ("kesehatan.bpjs-kesehatan", "BPJS Kesehatan"),
    ("kesehatan.pelayanan-kesehatan", "Pelayanan Kesehatan"),
    ("ketenagakerjaan", "Ketenagakerjaan"),
    (
        "ketentraman-dan-ketertiban",
        "Ketentraman dan Ketertiban Umum",
    ),
    (
        "lingkungan-hidup-dan-kehutanan",
        "Lingkungan Hidup dan Kehutanan",
    ),
    ("pelayanan-publik", "Pelayanan Publik"),
    ("pendidikan", "Pendidikan"),
    ("perhubungan", "Perhubungan"),
    ("pertanian-dan-peternakan", "Pertanian dan Peternakan"),
    ("politik-dan-hukum", "Politik dan Hukum"),
    ("sosial-dan-kesejahteraan", "Sosial dan Kesejahteraan"),
    ("topik-lainnya", "Topik Lainnya"),
];

impl Categories {
    /// LAPOR!'s topics, before any change.
    pub fn seed() -> Self {
        let entries = SEED
            .iter()
            .map(|(code, name)| CategoryEntry {
                code: CategoryCode(code.to_string()),
                name: Category::parse(name).expect("seed names are valid"),
                active: true,
            })
            .collect();
        Self {
            version: 0,
            entries,
        }
    }

    /// The category a text names: its code, or its name in any letter case.
    pub fn find(&self, text: &str) -> Option<&CategoryEntry> {
        let text = text.trim();
        self.entries
            .iter()
            .find(|e| e.code.as_str() == text)
            .or_else(|| {
                let lower = text.to_lowercase();
                self.entries
                    .iter()
                    .find(|e| e.name.as_str().to_lowercase() == lower)
            })
    }

    /// The category a new report may be filed under, by code or name, as the code to store;
    /// an error for `field` otherwise.
    pub fn accept(&self, text: &Category, field: &str) -> Result<Category, Violation> {
        match self.find(text.as_str()) {
            Some(entry) if entry.active => {
                Category::parse(entry.code.as_str()).map_err(|e| Violation::field(field, e))
            }
            Some(_) => Err(Violation::field(field, "this category is no longer in use")),
            None => Err(Violation::field(
                field,
                "unknown category: give a code or name from GET /v1/categories",
            )),
        }
    }

    /// The name people read for a stored category: its entry's name, found by code or (for a
    /// report stored before categories were data) by name; else the text as it was written.
    pub fn name_of<'a>(&'a self, stored: &'a str) -> &'a str {
        self.find(stored).map_or(stored, |e| e.name.as_str())
    }

    /// Adds a category below its parent.
    pub fn add(&mut self, code: CategoryCode, name: Category) -> Result<(), Violation> {
        if self.entries.iter().any(|e| e.code == code) {
            return Err(Violation::Conflict(format!(
                "category {} already exists",
                code.as_str()
            )));
        }
        if self.entries.len() >= MAX_CATEGORIES {
            return Err(Violation::Conflict(format!(
                "the tree holds at most {MAX_CATEGORIES} categories"
            )));
        }
        let mut errors = Vec::new();
        if let Some(parent) = code.parent()
            && !self.entries.iter().any(|e| e.code == parent)
        {
            errors.push(FieldError::new(
                "code",
                format!("its parent {} does not exist", parent.as_str()),
            ));
        }
        self.check_name_free(&name, None, &mut errors);
        if !errors.is_empty() {
            return Err(Violation::Invalid(errors));
        }
        let at = self.entries.partition_point(|e| e.code < code);
        self.entries.insert(
            at,
            CategoryEntry {
                code,
                name,
                active: true,
            },
        );
        self.version += 1;
        Ok(())
    }

    /// Renames a category, or retires or restores it.
    pub fn change(
        &mut self,
        code: &CategoryCode,
        name: Option<Category>,
        active: Option<bool>,
    ) -> Result<(), Violation> {
        let mut errors = Vec::new();
        if let Some(name) = &name {
            self.check_name_free(name, Some(code), &mut errors);
        }
        if !errors.is_empty() {
            return Err(Violation::Invalid(errors));
        }
        let entry = self
            .entries
            .iter_mut()
            .find(|e| &e.code == code)
            .ok_or(Violation::NotFound)?;
        if let Some(name) = name {
            entry.name = name;
        }
        if let Some(active) = active {
            entry.active = active;
        }
        self.version += 1;
        Ok(())
    }

    /// Names are unique whatever the letter case, so that a name finds one category.
    fn check_name_free(
        &self,
        name: &Category,
        except: Option<&CategoryCode>,
        errors: &mut Vec<FieldError>,
    ) {
        let lower = name.as_str().to_lowercase();
        let taken = self.entries.iter().any(|e| {
            Some(&e.code) != except
                && (e.name.as_str().to_lowercase() == lower || e.code.as_str() == name.as_str())
        });
        if taken {
            errors.push(FieldError::new(
                "name",
                "another category has this name or code",
            ));
        }
    }

    /// The tree: the top categories in code order, each with those below it.
    pub fn tree(&self) -> Vec<CategoryNode> {
        fn below(entries: &[CategoryEntry], parent: Option<&CategoryCode>) -> Vec<CategoryNode> {
            entries
                .iter()
                .filter(|e| e.code.parent().as_ref() == parent)
                .map(|e| CategoryNode {
                    code: e.code.clone(),
                    name: e.name.as_str().to_string(),
                    active: e.active,
                    children: below(entries, Some(&e.code)),
                })
                .collect()
        }
        below(&self.entries, None)
    }

    /// The categories a new report may use, in code order: what a form offers.
    pub fn offered(&self) -> impl Iterator<Item = &CategoryEntry> {
        self.entries.iter().filter(|e| e.active)
    }

    /// A category's name with those of the categories above it, from the top down
    /// (`Infrastruktur: Jalan dan Jembatan`), so that a list of all reads without indentation.
    pub fn full_name(&self, entry: &CategoryEntry) -> String {
        let mut names = vec![entry.name.as_str()];
        let mut code = entry.code.parent();
        while let Some(parent) = code {
            if let Some(above) = self.entries.iter().find(|e| e.code == parent) {
                names.push(above.name.as_str());
            }
            code = parent.parent();
        }
        names.reverse();
        names.join(": ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn category(text: &str) -> Category {
        Category::parse(text).unwrap()
    }

    fn code(text: &str) -> CategoryCode {
        CategoryCode::parse(text).unwrap()
    }

    #[test]
    fn codes_are_lower_case_words_by_level() {
        for good in ["kesehatan", "infrastruktur.jalan", "a-b.c1.d"] {
            assert!(CategoryCode::parse(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "k",
            "Kesehatan",
            "a..b",
            "a.",
            "-a",
            "a--b",
            "a.b.c.d",
            "a/b",
            "jalan raya",
        ] {
            assert!(CategoryCode::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(code("a.b.c").parent(), Some(code("a.b")));
        assert_eq!(code("ab").parent(), None);
    }

    #[test]
    fn a_category_is_found_by_code_or_name_in_any_case() {
        let tree = Categories::seed();
        let stored = |text: &str| tree.accept(&category(text), "category");
        assert_eq!(stored("kemaritiman").unwrap().as_str(), "kemaritiman");
        assert_eq!(
            stored("DAMPAK lingkungan").unwrap().as_str(),
            "dampak-lingkungan"
        );
        assert_eq!(
            stored("Jalan dan Jembatan").unwrap().as_str(),
            "infrastruktur.jalan"
        );
        assert_eq!(
            stored("Kemaritiman2"),
            Err(Violation::field(
                "category",
                "unknown category: give a code or name from GET /v1/categories"
            ))
        );
    }

    #[test]
    fn old_free_text_shows_as_written_unless_a_name_matches() {
        let tree = Categories::seed();
        assert_eq!(tree.name_of("kesehatan"), "Kesehatan");
        assert_eq!(tree.name_of("pendidikan"), "Pendidikan");
        assert_eq!(tree.name_of("infrastruktur.jalan"), "Jalan dan Jembatan");
        assert_eq!(tree.name_of("jalan rusak"), "jalan rusak");
    }

    #[test]
    fn changes_keep_the_tree_whole_and_count_versions() {
        let mut tree = Categories::seed();
        tree.add(code("kesehatan.obat"), category("Obat dan Makanan"))
            .unwrap();
        assert_eq!(tree.version, 1);
        let health = tree
            .tree()
            .into_iter()
            .find(|n| n.code.as_str() == "kesehatan")
            .unwrap();
        assert!(health.children.iter().any(|c| c.name == "Obat dan Makanan"));
        assert!(matches!(
            tree.add(code("tidak-ada.x"), category("Sesuatu")),
            Err(Violation::Invalid(_))
        ));
        assert!(matches!(
            tree.add(code("baru"), category("kesehatan")),
            Err(Violation::Invalid(_))
        ));
        assert!(matches!(
            tree.add(code("kesehatan"), category("Lain")),
            Err(Violation::Conflict(_))
        ));
        tree.change(&code("kemaritiman"), None, Some(false))
            .unwrap();
        assert!(matches!(
            tree.accept(&category("Kemaritiman"), "category"),
            Err(Violation::Invalid(_))
        ));
        assert_eq!(tree.name_of("kemaritiman"), "Kemaritiman");
        assert!(tree.offered().all(|e| e.code.as_str() != "kemaritiman"));
        let road = tree.find("infrastruktur.jalan").unwrap();
        assert_eq!(tree.full_name(road), "Infrastruktur: Jalan dan Jembatan");
        tree.change(&code("kemaritiman"), Some(category("Kelautan")), Some(true))
            .unwrap();
        assert_eq!(tree.name_of("kemaritiman"), "Kelautan");
        assert_eq!(tree.version, 3);
        assert_eq!(
            tree.change(&code("tidak-ada"), None, Some(true)),
            Err(Violation::NotFound)
        );
    }
}
