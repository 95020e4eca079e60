//! Memory-mapped reading of regular files, as ripgrep's searcher does: the kernel pages the file in
//! on demand, so a gigabyte log costs page cache, not anonymous memory.

use std::fs::File;
use std::io;

use memmap2::Mmap;

/// Maps a regular file read-only.
pub fn map(file: &File) -> io::Result<Mmap> {
    // SAFETY: the map is read-only and private to this process. Undefined behaviour could only arise
    // if another process truncated or rewrote the file while we read it; like ripgrep, we accept that
    // risk for regular files (the worst practical outcome is a SIGBUS on truncation), and never map
    // pipes, sockets or devices (callers stream those).
    let map = unsafe { Mmap::map(file)? };
    #[cfg(unix)]
    {
        let _ = map.advise(memmap2::Advice::Sequential);
    }
    Ok(map)
}
