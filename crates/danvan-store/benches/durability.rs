//! What durability costs on SQLite: 400 small changes (a group created, with its audit record,
//! each its own transaction) with `synchronous = normal` (acknowledged before the disk has it)
//! and with `synchronous = full` (what `Store::connect` sets: synced at every commit), in the
//! same run, on the same disk.
//!
//! `cargo bench -p danvan-store --bench durability`

use danvan_store::test_support::RawSql;
use std::time::{Duration, Instant};

use danvan_store::{Actor, Store};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let writes = 400;
    println!("| synchronous | writes/s | p50 | p99 |");
    println!("|---|---|---|---|");
    for mode in ["normal", "full"] {
        let file = dir.join(format!("durability-{mode}.db"));
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
        }
        // One connection, so that the setting below is the one every write uses.
        let store = Store::connect(&format!("sqlite://{}?mode=rwc", file.display()), 1)
            .await
            .unwrap();
        store.migrate().await.unwrap();
        store
            .execute_raw_for_tests(&format!("pragma synchronous = {mode}"))
            .await
            .unwrap();
        let actor = Actor::system("bench");
        let mut times = Vec::with_capacity(writes);
        let started = Instant::now();
        for i in 0..writes {
            let t = Instant::now();
            store
                .create_group(&actor, &format!("G{i}"), &format!("Khối {i}"), i as i64)
                .await
                .unwrap();
            times.push(t.elapsed());
        }
        let total = started.elapsed();
        times.sort();
        println!(
            "| {mode} | {:.0} | {:.2} ms | {:.2} ms |",
            writes as f64 / total.as_secs_f64(),
            percentile(&times, 0.5).as_secs_f64() * 1000.0,
            percentile(&times, 0.99).as_secs_f64() * 1000.0
        );
        store.close().await;
    }
}
