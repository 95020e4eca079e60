//! `conclave demo`: every capability on built-in sample data, as a readable report.

use std::process::ExitCode;

use crate::io;

#[derive(Debug, clap::Args)]
pub struct Args {}

/// Five experts answering "Why is the checkout service slow?".
pub const SAMPLE_ANSWERS: [(&str, &str); 5] = [
    (
        "sre-bot",
        "The checkout service is slow because the database connection pool is exhausted. \
         Increase the pool size and add an index on orders.customer_id.",
    ),
    (
        "db-expert",
        "Checkout latency comes from the database: the connection pool is exhausted under load \
         and the orders query lacks an index on customer_id. Add the index and grow the pool.",
    ),
    (
        "perf-model",
        "Slow checkout is caused by an exhausted database connection pool; add an index on \
         orders.customer_id and increase the pool size.",
    ),
    (
        "net-agent",
        "Packet loss between the load balancer and the checkout pods causes retries and high \
         latency. Check the network path and the MTU settings.",
    ),
    (
        "cache-agent",
        "The product cache was flushed during the deploy, so every checkout misses the cache. \
         Warm the cache before switching traffic.",
    ),
];

pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    let mut out =
        String::from("# conclave demo\n\nQuestion: why is the checkout service slow?\n\n");
    for (name, answer) in SAMPLE_ANSWERS {
        out.push_str(&format!("- {name}: {answer}\n"));
    }
    out.push('\n');
    out.push_str(&super::similarity::demo_section(&SAMPLE_ANSWERS)?);
    let sections = [
        super::consensus::demo()?,
        super::logs::demo()?,
        super::config::demo()?,
        super::pattern::demo()?,
        super::crypto::demo()?,
        super::scan::demo()?,
    ];
    for section in sections.into_iter().flatten() {
        out.push_str(&section);
        out.push('\n');
    }
    io::write_stdout(out.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
