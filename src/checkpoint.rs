//! Where a `listAll` stands, as an opaque string a later iteration resumes from.
//!
//! A checkpoint is `1.<check>.<fingerprint>.<window>.<offset>.<page>[.<id>...]`:
//! a digest of the rest (a cut or changed checkpoint is refused), the
//! fingerprint of the query it belongs to, the window of a long listing, the
//! offset in the page of the next item, `c` + that page's cursor, escaped
//! (`-` for the first page, `~` when the listing is over), then the ids the
//! window drops at its start (see `crate::paginate::Boundary`). Every character is URL-safe. It holds no token: only the cursor,
//! which the API handed out, and digests.

use crate::error::Error;
use crate::json::{Json, JsonExt};

/// A position in a listing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Position {
    /// The cursor of the page the next item is on (`None`: the first page).
    pub cursor: Option<String>,
    /// How many items of that page come before it.
    pub offset: usize,
    /// The listing is over: nothing remains.
    pub done: bool,
    /// The window of a long listing (`listAll` over more than one year) it is in.
    pub window: usize,
    /// Ids that window drops: the previous one yielded them at their boundary.
    pub drop: Vec<String>,
}

/// A 64-bit digest of `parts` (FNV-1a), the same whatever order the
/// query's fields were written in: the digests of an object's fields are
/// summed, which no order changes.
pub fn fingerprint(parts: &[&Json]) -> u64 {
    parts
        .iter()
        .fold(FNV_OFFSET, |h, part| fnv(h, &digest(part).to_le_bytes()))
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

fn fnv(h: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(h, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

fn digest(value: &Json) -> u64 {
    if let Some(fields) = value.entries().filter(|_| value.is_object()) {
        let sum = fields.iter().fold(0u64, |sum, (key, v)| {
            let field = fnv(fnv(FNV_OFFSET, key.as_bytes()), &digest(v).to_le_bytes());
            sum.wrapping_add(field)
        });
        fnv(fnv(FNV_OFFSET, b"{"), &sum.to_le_bytes())
    } else if let Some(items) = value.items() {
        items.iter().fold(fnv(FNV_OFFSET, b"["), |h, item| {
            fnv(h, &digest(item).to_le_bytes())
        })
    } else {
        fnv(FNV_OFFSET, value.to_text().unwrap_or_default().as_bytes())
    }
}

/// The checkpoint of `position` in the listing of fingerprint `fp`.
pub fn encode(fp: u64, position: &Position) -> String {
    let mut out = format!("{fp}.{}.{}.", position.window, position.offset);
    match (&position.cursor, position.done) {
        (_, true) => out.push('~'),
        (None, false) => out.push('-'),
        (Some(cursor), false) => {
            out.push('c');
            escape(cursor, &mut out);
        }
    }
    for id in &position.drop {
        out.push('.');
        escape(id, &mut out);
    }
    format!("1.{}.{out}", check(&out))
}

/// URL-safe as it stands, and free of `.`: letters, digits, `-` and `_`
/// pass; any other character is `~` + its code point in hex + `~`.
fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            out.push(c);
        } else {
            out.push_str(&format!("~{:x}~", u32::from(c)));
        }
    }
}

/// A check digest of the rest of a checkpoint, so a cut or changed one is
/// refused rather than resumed at the wrong place.
fn check(rest: &str) -> u32 {
    fnv(FNV_OFFSET, rest.as_bytes()) as u32
}

/// The position a checkpoint gives, for the listing of fingerprint `fp`.
///
/// # Errors
/// `validation` with code `bad_checkpoint` when `text` is not a checkpoint,
/// `checkpoint_mismatch` when it belongs to another query.
pub fn decode(text: &str, fp: u64) -> Result<Position, Error> {
    let (theirs, position) = parse(text).ok_or_else(bad_checkpoint)?;
    if theirs != fp {
        return Err(Error::validation(
            "checkpoint_mismatch",
            Some("options.resume"),
            "resume is a checkpoint of another query: resume with the query it was taken from",
        ));
    }
    Ok(position)
}

/// The error of a checkpoint that was changed or cut.
pub fn bad_checkpoint() -> Error {
    Error::validation(
        "bad_checkpoint",
        Some("options.resume"),
        "resume is not a checkpoint of listAll (it was changed or cut)",
    )
}

fn parse(text: &str) -> Option<(u64, Position)> {
    let (sum, rest) = text.strip_prefix("1.")?.split_once('.')?;
    if number(sum, 10)? != u64::from(check(rest)) {
        return None;
    }
    let mut parts = rest.split('.');
    let fp = number(parts.next()?, 10)?;
    let window = usize::try_from(number(parts.next()?, 10)?).ok()?;
    let offset = usize::try_from(number(parts.next()?, 10)?).ok()?;
    let (done, cursor) = match parts.next()? {
        "~" => (true, None),
        "-" => (false, None),
        page => (false, Some(unescape(page.strip_prefix('c')?)?)),
    };
    let mut drop = Vec::new();
    for id in parts {
        drop.push(unescape(id)?);
    }
    Some((
        fp,
        Position {
            cursor,
            offset,
            done,
            window,
            drop,
        },
    ))
}

/// The text `escape` made.
fn unescape(text: &str) -> Option<String> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '~' {
            let (hex, after) = rest[1..].split_once('~')?;
            out.push(char::from_u32(u32::try_from(number(hex, 16)?).ok()?)?);
            rest = after;
        } else if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            out.push(c);
            rest = &rest[1..];
        } else {
            return None;
        }
    }
    Some(out)
}

/// A non-empty run of digits in `radix` (10 or 16) that fits a `u64`.
fn number(digits: &str, radix: u32) -> Option<u64> {
    if digits.is_empty() {
        return None;
    }
    digits.chars().try_fold(0u64, |n, c| {
        n.checked_mul(u64::from(radix))?
            .checked_add(u64::from(c.to_digit(radix)?))
    })
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn cursors_round_trip_whatever_they_hold() {
        let fp = 42;
        for cursor in ["", "abc", "c/2?x=1&y=ü", "~.~", "日本", "a b\n\u{0}", "-_"] {
            let position = Position {
                cursor: Some(cursor.into()),
                offset: 7,
                ..Position::default()
            };
            let text = encode(fp, &position);
            assert!(
                text.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.~".contains(&b)),
                "{text}"
            );
            assert_eq!(decode(&text, fp).unwrap(), position, "{text}");
        }
    }

    #[test]
    fn a_checkpoint_round_trips_and_names_its_query() {
        let fp = fingerprint(&[&json!({ "limit": 5, "account": { "id": "A1" } })]);
        for position in [
            Position::default(),
            Position {
                cursor: Some("c/2?x=1&y=ü".into()),
                offset: 3,
                ..Position::default()
            },
            Position {
                done: true,
                ..Position::default()
            },
        ] {
            let text = encode(fp, &position);
            assert!(
                text.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.~".contains(&b)),
                "{text}"
            );
            assert_eq!(decode(&text, fp).unwrap(), position);
            let other = fingerprint(&[&json!({ "limit": 6 })]);
            assert_eq!(
                decode(&text, other).unwrap_err().code(),
                Some("checkpoint_mismatch")
            );
        }
    }

    #[test]
    fn field_order_does_not_change_the_fingerprint_but_values_do() {
        let a = json!({ "limit": 5, "account": { "id": "A1", "x": [1, 2] } });
        let b = json!({ "account": { "x": [1, 2], "id": "A1" }, "limit": 5 });
        assert_eq!(fingerprint(&[&a]), fingerprint(&[&b]));
        assert_ne!(fingerprint(&[&a]), fingerprint(&[&json!({ "limit": 5 })]));
        assert_ne!(
            fingerprint(&[&a, &json!(true)]),
            fingerprint(&[&a, &json!(false)])
        );
    }

    #[test]
    fn garbled_checkpoints_are_bad_never_a_panic() {
        let fp = fingerprint(&[&json!({})]);
        let good = encode(
            fp,
            &Position {
                cursor: Some("abc".into()),
                offset: 2,
                ..Position::default()
            },
        );
        for text in [
            "",
            "1",
            "1.x.0.-",
            "2.0000000000000000.0.-",
            "1.000000000000000.0.-",
            "1.zzzzzzzzzzzzzzzz.0.-",
            "1.0000000000000000.-1.-",
            "1.0000000000000000.0.-.x",
            "1.0000000000000000.0.@@",
            "1.0000000000000000.99999999999999999999999.-",
            &good[..good.len() - 3],
            "1.0000000000000000.0._w",
        ] {
            let err = decode(text, fp).unwrap_err();
            assert!(
                matches!(err.code(), Some("bad_checkpoint" | "checkpoint_mismatch")),
                "{text}: {err:?}"
            );
        }
    }
}
