#![cfg(not(target_arch = "wasm32"))]
//! Arbitrary responses (statuses, headers, bytes, JSON of every wrong shape)
//! through every operation of both clients. A panic here would be a trap in
//! wasm that kills the instance for every later call: each case must end in a
//! success or a typed error, and the client must keep working afterwards.

mod native_support;

use crm_engagements::devrev::model::{DevRevCreate, DevRevListRequest};
use crm_engagements::devrev::DevRevClient;
use crm_engagements::truto::model::{DeleteQuery, EngagementInput, ListQuery, RecordQuery};
use crm_engagements::truto::TrutoClient;
use crm_engagements::{CallOptions, ClientOptions, ErrorKind, Token};

use native_support::{block_on, FakeTransport, Outcome};

/// xorshift64*: deterministic, so a failing case can be replayed by its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const STATUSES: &[u16] = &[
    0, 1, 99, 100, 200, 201, 204, 206, 299, 300, 304, 400, 401, 403, 404, 408, 409, 418, 422, 429,
    500, 502, 503, 504, 599, 600, 999, 65535,
];

const HEADER_VALUES: &[&str] = &[
    "",
    "0",
    "1",
    "-1",
    "0.5",
    "1e3",
    "NaN",
    "Infinity",
    "99999999999999999999999",
    "18446744073709551616",
    "Sun, 06 Nov 1994 08:49:37 GMT",
    "Fri, 31 Dec 9999 23:59:59 GMT",
    "Mon, 32 Foo 2024 99:99:99 GMT",
    "😀",
    "\u{0}",
    "  7  ",
    "1.2.3",
    "..",
    "١٢٣",
];

const HEADER_NAMES: &[&str] = &[
    "retry-after",
    "ratelimit-reset",
    "x-ratelimit-reset",
    "x-request-id",
    "request-id",
    "cf-ray",
    "content-type",
];

/// A JSON document of random shape, depth-limited by `depth`.
fn json(rng: &mut Rng, depth: u32) -> String {
    let leaf = [
        "null",
        "true",
        "false",
        "0",
        "-1",
        "1.5e308",
        "-0",
        "\"\"",
        "\"x\"",
        "\"\\ud800\"",
        "\"😀\"",
        "123456789012345678901234567890",
    ];
    if depth == 0 {
        return rng.pick(&leaf).to_owned();
    }
    match rng.below(6) {
        0 | 1 => rng.pick(&leaf).to_owned(),
        2 => {
            let n = rng.below(4);
            let items: Vec<String> = (0..n).map(|_| json(rng, depth - 1)).collect();
            format!("[{}]", items.join(","))
        }
        _ => {
            let keys = [
                "result",
                "next_cursor",
                "prev_cursor",
                "engagements",
                "engagement",
                "count",
                "id",
                "message",
                "error",
                "statusCode",
                "type",
                "code",
                "retry_after",
                "truto_is_remote_error",
                "truto_error_insight",
                "subject",
                "members",
                "",
            ];
            let n = rng.below(5);
            let fields: Vec<String> = (0..n)
                .map(|_| format!("\"{}\":{}", rng.pick(&keys), json(rng, depth - 1)))
                .collect();
            format!("{{{}}}", fields.join(","))
        }
    }
}

/// A body: random bytes, random JSON, deep nesting, or a truncated document.
fn body(rng: &mut Rng) -> String {
    match rng.below(6) {
        0 => {
            let n = rng.below(64);
            let bytes: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
            String::from_utf8_lossy(&bytes).into_owned()
        }
        1 => "[".repeat(rng.below(5000)),
        2 => {
            let depth = rng.below(300);
            format!("{}1{}", "{\"result\":".repeat(depth), "}".repeat(depth))
        }
        3 => {
            let doc = json(rng, 4);
            let cut = rng.below(doc.len() + 1);
            doc.get(..cut).unwrap_or_default().to_owned()
        }
        _ => json(rng, 5),
    }
}

fn outcome(rng: &mut Rng) -> Outcome {
    let status = STATUSES[rng.below(STATUSES.len())];
    let headers: Vec<(&str, &str)> = (0..rng.below(4))
        .map(|_| (rng.pick(HEADER_NAMES), rng.pick(HEADER_VALUES)))
        .collect();
    Outcome::reply_with(status, &headers, body(rng))
}

fn options() -> ClientOptions {
    ClientOptions {
        token: Some(Token::new("fuzz-secret-token")),
        max_retries: Some(1.0),
        ..ClientOptions::default()
    }
}

const CASES: u64 = 3_000;

fn check(result: Result<(), crm_engagements::Error>) {
    if let Err(e) = result {
        assert!(
            matches!(
                e.kind(),
                ErrorKind::Http | ErrorKind::Decode | ErrorKind::Network | ErrorKind::Validation
            ),
            "{e:?}"
        );
        assert!(!format!("{e:?}{e}").contains("fuzz-secret-token"));
        if let Some(body) = e.body() {
            assert!(!body.contains("fuzz-secret-token"));
        }
    }
}

#[test]
fn truto_survives_arbitrary_responses() {
    let mut rng = Rng(0x5EED_0001);
    let opts = CallOptions::default();
    for case in 0..CASES {
        // Each call takes at most 2 attempts (max_retries 1); list_all at most 4 pages here.
        let transport = FakeTransport::with((0..8).map(|_| outcome(&mut rng)));
        let client = TrutoClient::new(transport, options(), Some("acct".into())).unwrap();
        let r = match case % 5 {
            0 => block_on(client.list(ListQuery::default(), &opts)).map(drop),
            1 => block_on(client.get("e1", RecordQuery::default(), &opts)).map(drop),
            2 => block_on(client.create(EngagementInput::default(), RecordQuery::default(), &opts))
                .map(drop),
            3 => block_on(client.delete("e1", DeleteQuery::default(), &opts)).map(drop),
            _ => {
                let mut state = client.list_all(ListQuery::default(), Some(50)).unwrap();
                let mut r = Ok(());
                for _ in 0..60 {
                    match block_on(client.next(&mut state, &opts)) {
                        Ok(Some(_)) => {}
                        Ok(None) => break,
                        Err(e) => {
                            r = Err(e);
                            break;
                        }
                    }
                }
                r
            }
        };
        check(r);
    }
}

#[test]
fn devrev_survives_arbitrary_responses() {
    let mut rng = Rng(0x5EED_0002);
    let opts = CallOptions::default();
    let create = DevRevCreate {
        title: Some("t".into()),
        scheduled_date: Some("2024-01-01T00:00:00Z".into()),
        members: Some(vec!["DEVU-1".into()]),
        ..DevRevCreate::default()
    };
    for case in 0..CASES {
        let transport = FakeTransport::with((0..8).map(|_| outcome(&mut rng)));
        let client = DevRevClient::new(transport, options()).unwrap();
        let r = match case % 5 {
            0 => block_on(client.list(DevRevListRequest::default(), &opts)).map(drop),
            1 => block_on(client.get("e1", &opts)).map(drop),
            2 => block_on(client.create(create.clone(), &opts)).map(drop),
            3 => block_on(client.count(Default::default(), &opts)).map(drop),
            _ => {
                let mut state = client
                    .list_all(DevRevListRequest::default(), Some(50))
                    .unwrap();
                let mut r = Ok(());
                for _ in 0..60 {
                    match block_on(client.next(&mut state, &opts)) {
                        Ok(Some(_)) => {}
                        Ok(None) => break,
                        Err(e) => {
                            r = Err(e);
                            break;
                        }
                    }
                }
                r
            }
        };
        check(r);
    }
}

#[test]
fn unified_mapping_survives_arbitrary_json() {
    let mut rng = Rng(0x5EED_0003);
    for _ in 0..CASES {
        let doc = json(&mut rng, 5);
        if let Ok(value) = serde_json::from_str::<serde_json::Value>(&doc) {
            let _ = crm_engagements::devrev::unify::to_engagement(&value);
        }
    }
}
