//! The one tokenizer every word-level kernel uses.
//!
//! Words are the Unicode word segments of UAX #29 (`unicode_words`: runs of letters, digits and
//! joiners; punctuation and white space are dropped), lowercased with Unicode's full lowercase
//! mapping. `"Don't PANIC, use v2.0!"` becomes `["don't", "panic", "use", "v2.0"]`.

use std::borrow::Cow;

use unicode_segmentation::UnicodeSegmentation;

/// Splits `text` into lowercased Unicode words.
pub fn words(text: &str) -> Vec<String> {
    words_cow(text).map(Cow::into_owned).collect()
}

/// The words of `text`, borrowed where lowercasing changes nothing (the common case), so that
/// batch kernels tokenize without allocating per word.
pub fn words_cow(text: &str) -> impl Iterator<Item = Cow<'_, str>> {
    text.unicode_words().map(lowercase)
}

/// `word` lowercased, borrowed when that changes nothing.
pub(crate) fn lowercase(word: &str) -> Cow<'_, str> {
    if word
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    {
        Cow::Borrowed(word)
    } else if word.is_ascii() {
        Cow::Owned(word.to_ascii_lowercase())
    } else {
        let lower = word.to_lowercase();
        if lower == word {
            Cow::Borrowed(word)
        } else {
            Cow::Owned(lower)
        }
    }
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
        assert_eq!(words("İ"), ["i\u{307}"]);
        assert!(words("  ,.;  ").is_empty());
    }
}
