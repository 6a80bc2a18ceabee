//! Progress of long work: a bar on a terminal (indicatif), log lines otherwise.
use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use indicatif::{ProgressBar, ProgressStyle};

pub trait Progress: Send + Sync {
    fn message(&self, msg: &str);
    fn start(&self, stage: &str, total: u64);
    fn set(&self, done: u64);
    fn finish(&self);
}

/// The progress display for the CLI: a bar on a terminal, log lines otherwise.
pub fn for_cli() -> Box<dyn Progress> {
    if std::io::stderr().is_terminal() {
        Box::new(Bar(ProgressBar::new(0)))
    } else {
        Box::new(LogLines {
            total: AtomicU64::new(0),
            last_decile: AtomicU64::new(0),
            stage: Mutex::new(String::new()),
        })
    }
}

pub struct Silent;

impl Progress for Silent {
    fn message(&self, _: &str) {}
    fn start(&self, _: &str, _: u64) {}
    fn set(&self, _: u64) {}
    fn finish(&self) {}
}

struct Bar(ProgressBar);

impl Progress for Bar {
    fn message(&self, msg: &str) {
        self.0.set_style(ProgressStyle::with_template("{spinner} {msg}").expect("template"));
        self.0.set_message(msg.to_string());
        self.0.enable_steady_tick(std::time::Duration::from_millis(120));
    }
    fn start(&self, stage: &str, total: u64) {
        self.0.set_length(total);
        self.0.set_position(0);
        self.0.set_style(
            ProgressStyle::with_template("{msg:10} [{bar:40}] {pos}/{len} packages ({elapsed})")
                .expect("template")
                .progress_chars("=> "),
        );
        self.0.set_message(stage.to_string());
    }
    fn set(&self, done: u64) {
        self.0.set_position(done);
    }
    fn finish(&self) {
        self.0.finish_and_clear();
    }
}

struct LogLines {
    total: AtomicU64,
    last_decile: AtomicU64,
    stage: Mutex<String>,
}

impl Progress for LogLines {
    fn message(&self, msg: &str) {
        tracing::info!("{msg}");
    }
    fn start(&self, stage: &str, total: u64) {
        self.total.store(total, Ordering::Relaxed);
        self.last_decile.store(0, Ordering::Relaxed);
        *self.stage.lock().expect("lock") = stage.to_string();
        tracing::info!(total, "{stage}");
    }
    fn set(&self, done: u64) {
        let total = self.total.load(Ordering::Relaxed).max(1);
        let decile = done * 10 / total;
        if decile > self.last_decile.swap(decile, Ordering::Relaxed) {
            let stage = self.stage.lock().expect("lock").clone();
            tracing::info!(done, total, "{stage}: {}%", decile * 10);
        }
    }
    fn finish(&self) {}
}
