//! Drain-style template mining (He et al., "Drain: An Online Log Parsing Approach with Fixed Depth
//! Tree", ICWS 2017), deterministic: children in ordered maps, clusters in creation order, ties to
//! the earliest cluster.
//!
//! A message is split on whitespace and masked (Drain's preprocessing, generalised from the
//! per-system regexes of the Loghub benchmark into one rule set for every format): the value of a
//! `key=value` token becomes `<*>`; a token holding a digit becomes `<*>` (keeping an alphabetic
//! `key:` prefix) unless it is a name such as `SOCKS5` or `en0` (letters first, alphanumeric,
//! digits the minority). The tree routes by token count, then by the first [`PREFIX_DEPTH`] tokens
//! (`<*>` for masked ones, and once a node has [`MAX_CHILDREN`] children); the leaf's clusters are
//! compared by the share of equal positions,
//! and a message joins the most similar one at or above [`SIMILARITY`] (a masked token matches a
//! `<*>` position; two different words in the last position never merge, as the last word tends to
//! name the message's kind), turning differing positions
//! into `<*>`, or starts a new cluster. Mining is sequential (a cluster's template depends on the
//! order of lines), so it is not part of the chunked pass.

use std::collections::BTreeMap;

use super::Format;
use super::formats::{message, parse, trim_cr};

/// Tokens used for routing below the length level.
pub const PREFIX_DEPTH: usize = 2;
/// Children per inner node before new tokens go to the `<*>` child.
pub const MAX_CHILDREN: usize = 100;
/// Minimum share of equal positions to join a cluster.
pub const SIMILARITY: f64 = 0.7;

const WILDCARD: &str = "<*>";

/// A mined template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pub template: String,
    pub count: u64,
    /// 1-based line number of the first line in this cluster.
    pub first_line: u64,
}

#[derive(Debug, Default)]
struct Node {
    children: BTreeMap<String, Node>,
    clusters: Vec<usize>,
}

#[derive(Debug)]
struct Cluster {
    tokens: Vec<String>,
    count: u64,
    first_line: u64,
}

/// Mines templates from lines fed in file order.
#[derive(Debug)]
pub struct TemplateMiner {
    format: Format,
    year: i32,
    root: BTreeMap<usize, Node>,
    clusters: Vec<Cluster>,
    carry: Vec<u8>,
    line: u64,
}

impl TemplateMiner {
    /// A miner for lines of `format` (the message part is mined, as Loghub's Content column).
    pub fn new(format: Format, year: i32) -> TemplateMiner {
        TemplateMiner {
            format,
            year,
            root: BTreeMap::new(),
            clusters: Vec::new(),
            carry: Vec::new(),
            line: 0,
        }
    }

    /// Starts the next input, in `format`: completes a last line left without a newline. Line
    /// numbers keep counting across inputs.
    pub fn next_input(&mut self, format: Format) {
        if !self.carry.is_empty() {
            let line = std::mem::take(&mut self.carry);
            self.add_line(&line);
        }
        self.format = format;
    }

    /// Feeds the next bytes of the file (any cut; a line crossing calls is kept until complete).
    pub fn feed(&mut self, bytes: &[u8]) {
        let mut start = 0;
        for nl in memchr::memchr_iter(b'\n', bytes) {
            if self.carry.is_empty() {
                self.add_line(&bytes[start..nl]);
            } else {
                let mut line = std::mem::take(&mut self.carry);
                line.extend_from_slice(&bytes[start..nl]);
                self.add_line(&line);
            }
            start = nl + 1;
        }
        self.carry.extend_from_slice(&bytes[start..]);
    }

    /// Mines one whole line; returns the id of its cluster (ids count from 0 in creation order).
    pub fn add_line(&mut self, line: &[u8]) -> usize {
        self.line += 1;
        let line = trim_cr(line);
        let content = match parse(self.format, line, self.year) {
            Some(p) => message(self.format, line, &p),
            None => line,
        };
        self.add_message(content)
    }

    /// Mines one message (a line's content); returns its cluster id.
    pub fn add_message(&mut self, message: &[u8]) -> usize {
        let text = String::from_utf8_lossy(message);
        let tokens: Vec<String> = text.split_ascii_whitespace().map(mask).collect();
        let clusters = &mut self.clusters;
        let mut node = self.root.entry(tokens.len()).or_default();
        for token in tokens.iter().take(PREFIX_DEPTH) {
            let key = if node.children.contains_key(token.as_str()) {
                token.as_str()
            } else if token == WILDCARD || node.children.len() >= MAX_CHILDREN {
                WILDCARD
            } else {
                token.as_str()
            };
            node = node.children.entry(key.to_string()).or_default();
        }
        let mut best: Option<(usize, f64, usize)> = None;
        for &id in &node.clusters {
            let (sim, params) = similarity(&clusters[id].tokens, &tokens);
            let better = match best {
                None => true,
                Some((_, s, p)) => sim > s || (sim == s && params > p),
            };
            if better {
                best = Some((id, sim, params));
            }
        }
        match best {
            Some((id, sim, _)) if sim >= SIMILARITY || tokens.is_empty() => {
                let cluster = &mut clusters[id];
                for (t, new) in cluster.tokens.iter_mut().zip(&tokens) {
                    if t != new {
                        *t = WILDCARD.to_string();
                    }
                }
                cluster.count += 1;
                id
            }
            _ => {
                let id = clusters.len();
                clusters.push(Cluster {
                    tokens,
                    count: 1,
                    first_line: self.line.max(1),
                });
                node.clusters.push(id);
                id
            }
        }
    }

    /// Completes a last line without a newline and returns the templates, most frequent first
    /// (ties by template text).
    pub fn finish(mut self) -> Vec<Template> {
        if !self.carry.is_empty() {
            let line = std::mem::take(&mut self.carry);
            self.add_line(&line);
        }
        self.templates()
    }

    /// The templates so far, most frequent first (ties by template text, then first line).
    pub fn templates(&self) -> Vec<Template> {
        let mut out: Vec<Template> = self
            .clusters
            .iter()
            .map(|c| Template {
                template: c.tokens.join(" "),
                count: c.count,
                first_line: c.first_line,
            })
            .collect();
        out.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then_with(|| a.template.cmp(&b.template))
                .then(a.first_line.cmp(&b.first_line))
        });
        out
    }
}

/// Masks a token holding a digit to `<*>`; a `key=value` or `key:value` token with an alphabetic
/// key keeps it (`uid=<*>`).
fn mask(token: &str) -> String {
    // `key=value`: the value is a variable, whatever it holds (`user=root`, `uid=0`)
    if let Some((key, value)) = token.split_once('=')
        && !key.is_empty()
        && !value.is_empty()
        && key.bytes().all(|b| b.is_ascii_alphabetic() || b == b'_')
    {
        return format!("{key}={WILDCARD}");
    }
    let digits = token.bytes().filter(u8::is_ascii_digit).count();
    if digits == 0 {
        return token.to_string();
    }
    // A name with a digit in it (`SOCKS5`, `en0`, `IPv6`) is a constant: letters first, letters
    // and digits only, digits the minority.
    if token.as_bytes()[0].is_ascii_alphabetic()
        && token.bytes().all(|b| b.is_ascii_alphanumeric())
        && digits * 2 < token.len()
    {
        return token.to_string();
    }
    let Some(p) = token.find(['=', ':']) else {
        return WILDCARD.to_string();
    };
    let key = &token[..p];
    if !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphabetic() || b == b'_') {
        format!("{key}{}{WILDCARD}", &token[p..=p])
    } else {
        WILDCARD.to_string()
    }
}

/// Drain's sequence similarity: equal positions over length (a masked token matches a `<*>`
/// position), and the wildcard count.
fn similarity(template: &[String], tokens: &[String]) -> (f64, usize) {
    if template.is_empty() {
        return (1.0, 0);
    }
    let mut equal = 0usize;
    let mut params = 0usize;
    for (t, s) in template.iter().zip(tokens) {
        if t == WILDCARD {
            params += 1;
            // a masked variable against a variable position matches
            if s == WILDCARD {
                equal += 1;
            }
        } else if t == s {
            equal += 1;
        }
    }
    // The last word of a message tends to name its kind (`... HTTPS` / `... SOCKS5`,
    // `... initialization.` / `... finalization.`): two different words there never merge.
    if let (Some(t), Some(s)) = (template.last(), tokens.last())
        && t != s
        && t != WILDCARD
        && s != WILDCARD
        && template.len() > 1
    {
        return (0.0, params);
    }
    (equal as f64 / template.len() as f64, params)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_messages_that_differ_in_variables() {
        let mut m = TemplateMiner::new(Format::Unknown, 2000);
        let a = m.add_message(b"Connection from 10.0.0.1 closed");
        let b = m.add_message(b"Connection from 10.0.0.2 closed");
        let c = m.add_message(b"Deleting cached file alpha now");
        let d = m.add_message(b"Deleting cached file beta now");
        assert_eq!(a, b);
        assert_eq!(c, d);
        assert_ne!(a, c);
        let t = m.templates();
        assert_eq!(t[0].template, "Connection from <*> closed");
        assert_eq!(t[1].template, "Deleting cached file <*> now");
    }

    #[test]
    fn masking_rules() {
        for (token, want) in [
            ("user=root", "user=<*>"),
            ("uid=0", "uid=<*>"),
            ("onExtend:1514038530000", "onExtend:<*>"),
            ("10.0.0.1:80", "<*>"),
            ("blk_-6952295868487656571", "<*>"),
            ("SOCKS5", "SOCKS5"),
            ("en0", "en0"),
            ("t761", "<*>"),
            ("HTTPS", "HTTPS"),
            ("=x", "=x"),
        ] {
            assert_eq!(mask(token), want, "{token}");
        }
    }

    #[test]
    fn different_last_words_do_not_merge() {
        let mut m = TemplateMiner::new(Format::Unknown, 2000);
        let a = m.add_message(b"10.0.0.1:80 open through proxy p.example:5070 HTTPS");
        let b = m.add_message(b"10.0.0.2:22 open through proxy p.example:5070 SOCKS5");
        let c = m.add_message(b"10.0.0.3:443 open through proxy p.example:5070 HTTPS");
        assert_ne!(a, b);
        assert_eq!(a, c);
    }

    #[test]
    fn feeding_in_pieces_equals_feeding_whole() {
        let text = b"a 1 b\nc d e\na 2 b\nlast";
        let mut whole = TemplateMiner::new(Format::Unknown, 2000);
        whole.feed(text);
        let whole = whole.finish();
        for cut in 0..text.len() {
            let mut m = TemplateMiner::new(Format::Unknown, 2000);
            m.feed(&text[..cut]);
            m.feed(&text[cut..]);
            assert_eq!(m.finish(), whole);
        }
        assert_eq!(whole[0].count, 2);
        assert_eq!(whole[0].first_line, 1);
    }
}
