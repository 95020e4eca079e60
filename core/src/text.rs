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

/// Which lowercasing a word needs: none (ASCII lowercase letters and digits only), ASCII's, or
/// Unicode's full mapping. [`lowercase`] and the batch interner (`Sink::words`) both decide by it,
/// so that they spell every word alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Case {
    Lower,
    Ascii,
    Unicode,
}

/// The [`Case`] of `word`.
pub(crate) fn case_of(word: &str) -> Case {
    if word
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    {
        Case::Lower
    } else if word.is_ascii() {
        Case::Ascii
    } else {
        Case::Unicode
    }
}

/// `word` lowercased, borrowed when that changes nothing.
pub(crate) fn lowercase(word: &str) -> Cow<'_, str> {
    match case_of(word) {
        Case::Lower => Cow::Borrowed(word),
        Case::Ascii => Cow::Owned(word.to_ascii_lowercase()),
        Case::Unicode => {
            let lower = word.to_lowercase();
            if lower == word {
                Cow::Borrowed(word)
            } else {
                Cow::Owned(lower)
            }
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
