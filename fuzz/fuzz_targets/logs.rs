//! Log chunk analysis: the whole input analysed as one chunk equals the same input cut at any
//! one or two points, analysed piecewise and merged (the oracle for `Analyzer::merge`), and
//! equals `analyse_all` and `analyse_parallel`.
#![no_main]

use conclave_core::logs::{self, Analyzer};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let Some((&c1, rest)) = rest.split_first() else {
        return;
    };
    let Some((&c2, data)) = rest.split_first() else {
        return;
    };
    let format = if sel & 1 == 0 {
        logs::detect(data, logs::DEFAULT_YEAR)
    } else {
        logs::Format::Unknown
    };
    let patterns = [("err".to_owned(), "(?i)error|fail".to_owned())];
    let an = Analyzer::new(format, logs::DEFAULT_YEAR, &patterns).expect("fixed pattern");
    let whole = an.finish(an.analyse(data));
    assert_eq!(whole, an.analyse_all(data), "one chunk vs analyse_all");
    let i = usize::from(c1) * data.len() / 256;
    let j = i + usize::from(c2) * (data.len() - i) / 256;
    let two = an.finish(an.merge(an.analyse(&data[..i]), an.analyse(&data[i..])));
    assert_eq!(whole, two, "split at {i}");
    let left = an.merge(an.analyse(&data[..i]), an.analyse(&data[i..j]));
    let three = an.finish(an.merge(left, an.analyse(&data[j..])));
    assert_eq!(whole, three, "split at {i} and {j}");
    let right = an.merge(an.analyse(&data[i..j]), an.analyse(&data[j..]));
    let three = an.finish(an.merge(an.analyse(&data[..i]), right));
    assert_eq!(whole, three, "split at {i} and {j}, merged right first");
    let piece = usize::from(sel >> 1).max(1);
    assert_eq!(whole, an.analyse_parallel(data, piece), "pieces of {piece}");
});
