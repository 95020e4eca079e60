//! The one tokenizer every word-level kernel uses.
//!
//! Words are the Unicode word segments of UAX #29 (`unicode_words`: runs of letters, digits and
//! joiners; punctuation and white space are dropped), lowercased with Unicode's full lowercase
//! mapping. `"Don't PANIC, use v2.0!"` becomes `["don't", "panic", "use", "v2.0"]`.

use unicode_segmentation::UnicodeSegmentation;

/// Splits `text` into lowercased Unicode words.
pub fn words(text: &str) -> Vec<String> {
    text.unicode_words().map(str::to_lowercase).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_on_unicode_word_boundaries_and_lowercases() {
        assert_eq!(
            words("Don't PANIC, use v2.0!"),
            ["don't", "panic", "use", "v2.0"]
        );
        assert_eq!(words("Straße ÉTÉ  日本"), ["straße", "été", "日", "本"]);
        assert!(words("  ,.;  ").is_empty());
    }
}
