//! Deterministic input generators shared by the benches and the peer-comparison scripts.
