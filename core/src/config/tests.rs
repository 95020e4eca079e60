//! Unit tests for the config module: tree shape, locations, limits, conversions, lints.

use super::*;

fn yaml(text: &str) -> Stream {
    parse(text, Format::Yaml, &Limits::default()).expect("parses")
}

#[test]
fn yaml_core_schema_and_locations() {
    let s = yaml("a: 1\nb: [true, null, 0x1F, 0o17, 1.5, .inf, ~, 'x', yes]\n");
    let doc = &s.documents[0];
    let b = doc.get("b").unwrap().as_list().unwrap();
    let kinds: Vec<&str> = b.iter().map(Node::kind).collect();
    assert_eq!(
        kinds,
        [
            "bool", "null", "int", "int", "float", "float", "null", "string", "string"
        ]
    );
    assert_eq!(b[2].as_int(), Some(31));
    assert_eq!(b[3].as_int(), Some(15));
    assert_eq!((b[1].span.line, b[1].span.column), (2, 11));
}

#[test]
fn json_locations_and_duplicates_kept() {
    let s = parse(
        "{\n  \"a\": 1,\n  \"a\": [2, \"é\", 3]\n}",
        Format::Json,
        &Limits::default(),
    )
    .unwrap();
    let m = s.documents[0].as_map().unwrap();
    assert_eq!(m.len(), 2);
    let list = s.documents[0].get("a").unwrap().as_list().unwrap();
    assert_eq!((list[2].span.line, list[2].span.column), (3, 17));
    assert_eq!(to_json(&s).unwrap(), "{\"a\":[2,\"é\",3]}\n");
}

#[test]
fn json_errors_name_line_and_column() {
    let e = parse("{\"a\": [1,\n 2,]}", Format::Json, &Limits::default()).unwrap_err();
    assert_eq!(e.location(), Some((2, 4)));
}

#[test]
fn billion_laughs_is_refused() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let p = i - 1;
        text.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let e = parse(&text, Format::Yaml, &Limits::default()).unwrap_err();
    assert!(matches!(e, ConfigError::AliasBudget { .. }), "{e}");
}

#[test]
fn depth_is_capped() {
    let deep = "[".repeat(50) + &"]".repeat(50);
    let limits = Limits {
        max_depth: 20,
        ..Limits::default()
    };
    for f in [Format::Json, Format::Yaml, Format::Toml] {
        let text = if f == Format::Toml {
            format!("a = {deep}")
        } else {
            deep.clone()
        };
        let e = parse(&text, f, &limits).unwrap_err();
        assert!(
            matches!(e, ConfigError::TooDeep { limit: 20, .. }),
            "{f}: {e}"
        );
    }
    assert!(parse(&deep, Format::Json, &Limits::default()).is_ok());
}

#[test]
fn size_is_capped() {
    let limits = Limits {
        max_bytes: 4,
        ..Limits::default()
    };
    assert!(matches!(
        parse("[1, 2]", Format::Json, &limits),
        Err(ConfigError::TooLarge { size: 6, limit: 4 })
    ));
}

#[test]
fn toml_datetimes_and_spans() {
    let s = parse(
        "[server]\nhost = \"a\"\nwhen = 1979-05-27 07:32:00Z\n",
        Format::Toml,
        &Limits::default(),
    )
    .unwrap();
    let server = s.documents[0].get("server").unwrap();
    let when = server.get("when").unwrap();
    assert_eq!(
        when.value,
        Value::DateTime {
            kind: DateTimeKind::OffsetDateTime,
            text: "1979-05-27T07:32:00Z".into()
        }
    );
    assert_eq!((when.span.line, when.span.column), (3, 8));
}

#[test]
fn detect_formats() {
    assert_eq!(Format::detect("{\"a\": 1}"), Format::Json);
    assert_eq!(Format::detect("[server]\nport = 80\n"), Format::Toml);
    assert_eq!(Format::detect("a: 1\n"), Format::Yaml);
    assert_eq!(Format::detect("- [1, 2\n"), Format::Yaml);
}

#[test]
fn yaml_round_trip_keeps_values() {
    let src = "a: [1, 'yes', '0755', x y, {b: null}]\nc:\n  - {d: 1.5, e: '', f: -.inf}\n  - []\n";
    let first = yaml(src);
    let back = yaml(&to_yaml(&first).unwrap());
    assert_eq!(to_json_lossy(&first), to_json_lossy(&back));
}

fn to_json_lossy(s: &Stream) -> String {
    // infinities are not JSON: compare through the YAML writer's own text instead.
    to_yaml(s).unwrap()
}

#[test]
fn toml_output_parses_back() {
    let src = "name: x\nservers:\n  - host: a\n    port: 1\n  - host: b\n    port: 2\nnested: {k: [1, 2]}\n";
    let first = yaml(src);
    let t = to_toml(&first).unwrap();
    let back = parse(&t, Format::Toml, &Limits::default()).unwrap();
    assert_eq!(to_json(&first).unwrap(), to_json(&back).unwrap());
}

#[test]
fn lints_find_each_rule() {
    let src = "\
services:
  web:
    ports: [\"8080:80\", 70000]
    password: hunter2
    replicas: -1
  api:
    ports: [8080]
    token: ${API_TOKEN}
    cpu: 0
    memory: 12Zb
    environment: [\"LOG=1\", \"DB_PASSWORD=${DB}\", \"API_KEY=abc\"]
country: NO
mode: 0755
time: 1:30
a: 1
a: 2
";
    let s = yaml(src);
    let rules: Vec<(usize, &str)> = lint(src, &s).iter().map(|f| (f.line, f.rule)).collect();
    assert_eq!(
        rules,
        [
            (3, "port-range"),
            (4, "plaintext-secret"),
            (5, "replicas-range"),
            (7, "port-collision"),
            (9, "cpu-range"),
            (10, "memory-range"),
            (11, "plaintext-secret"),
            (12, "yaml11-bool"),
            (13, "yaml11-octal"),
            (14, "yaml11-sexagesimal"),
            (16, "duplicate-key"),
        ]
    );
}

#[test]
fn nesting_at_the_default_limit_needs_no_deep_stack() {
    // Runs on a test thread (2 MiB stack) in debug builds: parsing, converting and dropping
    // 999 levels must not overflow it.
    let limits = Limits::default();
    let n = limits.max_depth - 1;
    let json = "[".repeat(n) + &"]".repeat(n);
    // Block nesting (saphyr-parser caps flow nesting at 255 itself).
    let yaml_block = "- ".repeat(n) + "x\n";
    let toml = format!("{} = 1\n", vec!["a"; n].join("."));
    for (text, f) in [
        (&json, Format::Json),
        (&yaml_block, Format::Yaml),
        (&toml, Format::Toml),
    ] {
        match parse(text, f, &limits) {
            Ok(s) => {
                to_json(&s).unwrap();
                let _ = lint(text, &s);
            }
            // toml_edit has its own (lower) nesting limit: an error, not a crash.
            Err(e) => assert_eq!(f, Format::Toml, "{f}: {e}"),
        }
    }
}

// ---- Regressions found by the fuzz targets (fuzz/fuzz_targets/config_*.rs) ----------------------

/// JSON -> YAML -> JSON must give the same canonical JSON.
fn yaml_round_trip(src: &str, format: Format) {
    let first = parse(src, format, &Limits::default()).expect("input parses");
    let yaml_text = to_yaml(&first).unwrap();
    let back = parse(&yaml_text, Format::Yaml, &Limits::default())
        .unwrap_or_else(|e| panic!("to_yaml output does not parse: {e}\n{yaml_text}"));
    assert_eq!(to_json(&first).unwrap(), to_json(&back).unwrap());
}

#[test]
fn fuzz_yaml_keys_past_1024_characters_are_written_explicit() {
    // config_json: a 1,100-character key was written as an implicit key, which YAML caps at 1024.
    let key = "t".repeat(1100);
    yaml_round_trip(
        &format!("{{\"{key}\":0,\"{key}2\":{{\"a\":[1]}}}}"),
        Format::Json,
    );
    yaml_round_trip(&format!("[{{\"{key}\":[]}}]"), Format::Json);
}

#[test]
fn fuzz_yaml_error_past_the_last_line_is_placed_at_the_end() {
    // config_yaml: saphyr-parser reported this error on line 3 of a 2-line input.
    let src = "!!str a: !!int 47\nc:rrrr !!str rrrr--- |1+";
    let e = parse(src, Format::Yaml, &Limits::default()).unwrap_err();
    assert_eq!(e.location(), Some((2, 25)), "{e}");
}

#[test]
fn fuzz_yaml_error_past_the_line_end_is_placed_at_the_line_end() {
    // config_yaml: after a directive, saphyr-parser placed this error at column 20 of an
    // 18-character line (the NUL is the 18th character).
    let src = "%FOShould \u{fe7f}be !  \0\n.- b-\n";
    let e = parse(src, Format::Yaml, &Limits::default()).unwrap_err();
    assert_eq!(e.location(), Some((1, 19)), "{e}");
}

/// A TOML file of `n` `[[services]]` entries, each with two sub-table headers.
fn many_headers(n: usize) -> String {
    let mut t = String::from("version = 3\n\n[defaults]\nretries = 2\n\n");
    for i in 0..n {
        t.push_str(&format!(
            "[[services]]\nname = \"svc-{i:05}\"\nport = {}\ntags = [\"a\", \"é\"]\n\n\
             [services.env]\nLOG_LEVEL = \"info\"\n\n[services.healthcheck]\npath = \"/h\"\n\n",
            10000 + i
        ));
    }
    t
}

#[test]
fn locator_agrees_with_a_scan_from_the_start_in_any_order() {
    let text = "ab\ncé\u{1F600}x\n\n{\"k\": [1, 2]}\nlast";
    let offsets: Vec<usize> = (0..=text.len())
        .filter(|&i| text.is_char_boundary(i))
        .collect();
    // Forward, backward and interleaved orders.
    let mut orders = vec![offsets.clone(), offsets.iter().rev().copied().collect()];
    orders.push(
        offsets
            .iter()
            .map(|&o| offsets[(o * 7 + 3) % offsets.len()])
            .collect(),
    );
    for order in orders {
        let mut loc = Locator::new(text);
        for &o in &order {
            let s = loc.span(o);
            assert_eq!(
                (s.line, s.column),
                line_column(text.as_bytes(), o),
                "offset {o}"
            );
        }
    }
    // Past the end clamps to the end.
    let mut loc = Locator::new(text);
    assert_eq!(loc.span(text.len() + 5), loc.span(text.len()));
}

#[test]
fn toml_headers_cost_linear_location_work() {
    // Each header steps the locator back; the work must stay a small multiple of the text, not
    // grow with headers x size (2000 headers over ~180 KB was ~180 MB of rescanning before).
    for n in [500, 2000] {
        let text = many_headers(n);
        let mut loc = Locator::new(&text);
        let doc = toml::parse_with(&text, &Limits::default(), &mut loc).unwrap();
        let services = doc.get("services").unwrap().as_list().unwrap();
        assert_eq!(services.len(), n);
        let last = services[n - 1]
            .get("env")
            .unwrap()
            .get("LOG_LEVEL")
            .unwrap();
        let lines_before = 5 + (n - 1) * 11;
        assert_eq!((last.span.line, last.span.column), (lines_before + 7, 13));
        assert!(
            loc.scanned <= 2 * text.len(),
            "{n} services: scanned {} bytes for a {}-byte text",
            loc.scanned,
            text.len()
        );
    }
}

#[test]
fn one_line_json_is_located_in_linear_work() {
    let items: Vec<String> = (0..20_000)
        .map(|i| format!("{{\"k{i}\":[{i},\"é\"]}}"))
        .collect();
    let text = format!("[{}]", items.join(","));
    let s = parse(&text, Format::Json, &Limits::default()).unwrap();
    let list = s.documents[0].as_list().unwrap();
    // Every element's column is its character offset + 1 on the single line.
    let last = &list[19_999];
    let at = text.rfind("{\"k19999\"").unwrap();
    assert_eq!(
        (last.span.line, last.span.column),
        (1, text[..at].chars().count() + 1)
    );
    let mut loc = Locator::new(&text);
    let mut o = 0;
    while o < text.len() {
        loc.span(o);
        o += 7;
        while o < text.len() && !text.is_char_boundary(o) {
            o += 1;
        }
    }
    assert!(
        loc.scanned <= text.len(),
        "scanned {} of {}",
        loc.scanned,
        text.len()
    );
}

/// `outline_json` plus `data` (each document's `to_json` line), as `parseConfig` built it before.
fn outline_with_data(s: &Stream) -> serde_json::Value {
    let mut v = outline_json(s);
    let data: Vec<serde_json::Value> = s
        .documents
        .iter()
        .map(|d| serde_json::from_str(&node_to_json(d).unwrap()).unwrap())
        .collect();
    v.as_object_mut()
        .unwrap()
        .insert("data".into(), serde_json::Value::Array(data));
    v
}

#[test]
fn js_outline_text_matches_the_outline_and_data() {
    let cases = [
        (
            Format::Yaml,
            "a: 1\nb: [x, 1.5, -0.0, ~, {}]\n\"odd key\": {c: [true, []]}\n1: one\n---\n- 2\n",
        ),
        (
            Format::Json,
            "{\"a\": {\"é\\n\": [1e300, -0.0, \"q\\\"\"]}, \"a\": 9007199254740991}",
        ),
        (
            Format::Toml,
            "t = 1979-05-27T07:32:00Z\n[x.y]\nz = -0.5\n[[arr]]\nk = 'v'\n",
        ),
        (Format::Json, "\"just a string\""),
    ];
    for (format, text) in cases {
        let s = parse(text, format, &Limits::default()).unwrap();
        let ours: serde_json::Value = serde_json::from_str(&outline_js_json(&s).unwrap()).unwrap();
        assert_eq!(ours, outline_with_data(&s), "{format}: {text}");
    }
    // NaN has no JSON form in `data`: the same error as the JSON conversion.
    let s = parse("a: .nan\n", Format::Yaml, &Limits::default()).unwrap();
    assert_eq!(outline_js_json(&s).unwrap_err(), to_json(&s).unwrap_err());
}

#[test]
fn js_outline_text_marks_integers_past_2_pow_53() {
    let text = "{\"a\": 9007199254740993, \"b\": [-9007199254740992, 9007199254740991], \
                \"c\\\"\": {\"d\": -9223372036854775808}}";
    let s = parse(text, Format::Json, &Limits::default()).unwrap();
    let v: serde_json::Value = serde_json::from_str(&outline_js_json(&s).unwrap()).unwrap();
    assert_eq!(v["data"][0]["a"], "9007199254740993");
    assert_eq!(v["data"][0]["b"][0], "-9007199254740992");
    assert_eq!(v["data"][0]["b"][1], 9007199254740991i64);
    assert_eq!(v["data"][0]["c\""]["d"], "-9223372036854775808");
    assert_eq!(v["values"][0]["value"], "9007199254740993");
    assert_eq!(v["values"][2]["value"], 9007199254740991i64);
    let wide = serde_json::json!([
        ["data", 0, "a"],
        ["data", 0, "b", 0],
        ["data", 0, "c\"", "d"],
        ["values", 0, "value"],
        ["values", 1, "value"],
        ["values", 3, "value"],
    ]);
    assert_eq!(v["wide"], wide);
    // Without wide integers there is no `wide` key.
    let s = parse("[9007199254740991]", Format::Json, &Limits::default()).unwrap();
    let v: serde_json::Value = serde_json::from_str(&outline_js_json(&s).unwrap()).unwrap();
    assert!(v.get("wide").is_none());
}
