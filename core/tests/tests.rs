//! conclave-core's integration tests: public suites from ../shared/corpora, one module per domain.

mod similarity;
