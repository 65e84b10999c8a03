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
        [$(::core::convert::AsRef::<str>::as_ref(&$piece)),+].concat()
    };
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
    use super::int;

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
