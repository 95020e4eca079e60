//! Locating `../shared/corpora` from any checkout: the project root's parent holds `shared/`
//! (`/work/main`, a CI clone beside `shared/`, or a worktree below a folder beside it).

use std::path::PathBuf;

/// The corpora folder, found by walking up from this crate's manifest directory.
pub fn root() -> PathBuf {
    let mut dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    loop {
        let candidate = dir.join("shared").join("corpora");
        if candidate.is_dir() {
            return candidate;
        }
        let sibling = dir.join("..").join("shared").join("corpora");
        if sibling.is_dir() {
            return sibling;
        }
        assert!(
            dir.pop(),
            "no shared/corpora above {}: the public suites are required",
            env!("CARGO_MANIFEST_DIR")
        );
    }
}
