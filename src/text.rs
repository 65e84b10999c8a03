//! Strings built without `core::fmt`.
//!
//! `format!` and `to_string()` on integers pull in the formatting machinery
//! (`Formatter`, padding, `fmt::Arguments` at every call site): about 4 KB of
//! the `.wasm` for what is only ever concatenation here. [`cat!`] joins string
//! pieces; [`int`] writes a whole number in decimal.

/// Concatenates the string pieces given (anything that is `AsRef<str>`).
///
/// ```
/// use crm_engagements::cat;
/// let field = "query.limit";
/// assert_eq!(cat!(field, " is required"), "query.limit is required");
/// ```
#[macro_export]
macro_rules! cat {
    ($($piece:expr),+ $(,)?) => {
        $crate::text::concat(&[$(::core::convert::AsRef::<str>::as_ref(&$piece)),+])
    };
}

/// The byte offset of the first `needle` in `hay`: a plain scan, where
/// `str::find(&str)` brings the two-way searcher (1.2 KB of `.wasm`) for the
/// two short searches the client makes (a URL's `://`, a token to redact).
pub fn find(hay: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    let (hay, needle) = (hay.as_bytes(), needle.as_bytes());
    let mut at = 0;
    while at + needle.len() <= hay.len() {
        if hay[at..].starts_with(needle) {
            return Some(at);
        }
        at += 1;
    }
    None
}

/// Whether `s` holds a CR, an LF or a NUL (what would split or cut a header).
/// A byte scan: `str::contains` with a set of chars brings a generic searcher.
pub fn has_cr_lf_nul(s: &str) -> bool {
    s.bytes().any(|b| matches!(b, b'\r' | b'\n' | 0))
}

/// `hay` with every `needle` replaced by `with`, left to right, as
/// `str::replace` does (`needle` not empty).
pub fn replace(hay: &str, needle: &str, with: &str) -> String {
    if needle.is_empty() {
        return hay.to_owned();
    }
    let mut out = String::with_capacity(hay.len());
    let mut rest = hay;
    while let Some(at) = find(rest, needle) {
        out.push_str(&rest[..at]);
        out.push_str(with);
        rest = &rest[at + needle.len()..];
    }
    out.push_str(rest);
    out
}

/// The pieces joined (what [`cat!`] expands to): one allocation, and none of
/// `[&str]::concat`'s generic join (0.9 KB of `.wasm`).
pub fn concat(pieces: &[&str]) -> String {
    join(pieces, "")
}

/// The pieces with `sep` between them, as `[&str]::join` gives.
pub fn join(pieces: &[&str], sep: &str) -> String {
    let len = pieces.iter().map(|p| p.len() + sep.len()).sum::<usize>();
    let mut out = String::with_capacity(len);
    for (i, piece) in pieces.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(piece);
    }
    out
}

/// `s` up to the first `sep` (an ASCII byte) and what follows it; `None`
/// without one. With [`before`] and [`after_last`], instead of `str::split`
/// by a char, whose searcher (with `memchr`) is 1.5 KB of `.wasm`.
pub fn split_once(s: &str, sep: u8) -> Option<(&str, &str)> {
    let at = s.bytes().position(|b| b == sep)?;
    Some((&s[..at], &s[at + 1..]))
}

/// `s` up to the first `sep` (an ASCII byte), or all of it.
pub fn before(s: &str, sep: u8) -> &str {
    split_once(s, sep).map_or(s, |(head, _)| head)
}

/// What follows the last `sep` (an ASCII byte) in `s`, or all of it.
pub fn after_last(s: &str, sep: u8) -> &str {
    s.bytes()
        .rposition(|b| b == sep)
        .map_or(s, |at| &s[at + 1..])
}

/// `n` in decimal, as `n.to_string()` would write it.
pub fn int(n: i64) -> String {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = n.unsigned_abs();
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    let mut out = String::with_capacity(21 - at);
    if n < 0 {
        out.push('-');
    }
    for &d in &digits[at..] {
        out.push(char::from(d));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{after_last, before, find, int, replace, split_once};

    #[test]
    fn join_agrees_with_std() {
        for pieces in [&[][..], &["a"], &["a", "b", "c"], &["", ""]] {
            assert_eq!(super::join(pieces, ", "), pieces.join(", "));
            assert_eq!(super::concat(pieces), pieces.concat());
        }
    }

    #[test]
    fn cr_lf_nul_found_anywhere() {
        for (s, has) in [
            ("", false),
            ("a b", false),
            ("a\rb", true),
            ("\n", true),
            ("x\0", true),
            ("é\t", false),
        ] {
            assert_eq!(super::has_cr_lf_nul(s), has, "{s:?}");
        }
    }

    #[test]
    fn splitting_agrees_with_std() {
        for s in ["", "a", "a:b", ":", "a:b:c", "é:ü", "::x"] {
            assert_eq!(split_once(s, b':'), s.split_once(':'), "{s:?}");
            assert_eq!(before(s, b':'), s.split(':').next().unwrap(), "{s:?}");
            assert_eq!(after_last(s, b':'), s.rsplit(':').next().unwrap(), "{s:?}");
        }
    }

    #[test]
    fn find_and_replace_agree_with_std() {
        for (hay, needle) in [
            ("https://x", "://"),
            ("no scheme", "://"),
            ("", "a"),
            ("aaa", "aa"),
            ("tok tok", "tok"),
            ("ab", "abc"),
            ("é://é", "://"),
        ] {
            assert_eq!(find(hay, needle), hay.find(needle), "{hay:?} {needle:?}");
            assert_eq!(replace(hay, needle, "[r]"), hay.replace(needle, "[r]"));
        }
    }

    #[test]
    fn int_writes_what_to_string_writes() {
        for n in [
            0,
            1,
            -1,
            9,
            10,
            99,
            100,
            1234567890,
            i64::MAX,
            i64::MIN,
            -42,
        ] {
            assert_eq!(int(n), n.to_string());
        }
    }

    #[test]
    fn cat_joins_strs_strings_and_temporaries() {
        let owned = String::from("b");
        assert_eq!(cat!("a", owned, &owned, int(3)), "abb3");
    }
}
