//! Vietnamese sort order.
//!
//! Officials read lists in the order of the Vietnamese alphabet (a ă â b c d đ e ê … ư v x y),
//! with tones compared only after the letters. Byte order gets this wrong ("Đắk Mil" would sort
//! after "Tuy Đức"), so every list a user reads is sorted with the ICU collation for `vi`.

use std::cmp::Ordering;
use std::sync::LazyLock;

use icu_collator::options::CollatorOptions;
use icu_collator::{Collator, CollatorBorrowed};
use icu_locale_core::locale;

static VI: LazyLock<CollatorBorrowed<'static>> = LazyLock::new(|| {
    // The baked data always holds the root and `vi` tailorings, so this cannot fail at run time
    // unless the crate was built without its data, which the unit tests below would catch.
    Collator::try_new(locale!("vi").into(), CollatorOptions::default())
        .expect("compiled ICU collation data includes vi")
});

/// Compares two strings in Vietnamese alphabetical order.
pub fn compare(a: &str, b: &str) -> Ordering {
    VI.compare(a, b)
}

/// Sorts items in Vietnamese order of the key the closure returns.
pub fn sort_by_key<T>(items: &mut [T], key: impl Fn(&T) -> &str) {
    items.sort_by(|a, b| compare(key(a), key(b)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dak_mil_sorts_after_cu_jut_and_before_gia_nghia() {
        let mut names = vec!["Gia Nghĩa", "Đắk Mil", "Cư Jút", "Tuy Đức", "Đắk Glong", "Krông Nô"];
        sort_by_key(&mut names, |s| s);
        assert_eq!(
            names,
            ["Cư Jút", "Đắk Glong", "Đắk Mil", "Gia Nghĩa", "Krông Nô", "Tuy Đức"]
        );
    }

    #[test]
    fn tones_do_not_break_the_alphabet() {
        // "Sở Y tế" and "Sở Xây dựng": x before y whatever the tones.
        assert_eq!(compare("Sở Xây dựng", "Sở Y tế"), Ordering::Less);
        // Base letters decide before tones: "bà" < "bé" although à would sort after e by bytes.
        assert_eq!(compare("bà", "bé"), Ordering::Less);
        // ă and â are letters of their own, after a.
        assert_eq!(compare("an", "ăn"), Ordering::Less);
        assert_eq!(compare("ăn", "ân"), Ordering::Less);
        // ơ after ô after o; ư after u.
        assert_eq!(compare("ô", "ơ"), Ordering::Less);
        assert_eq!(compare("uy", "ưa"), Ordering::Less);
    }
}
