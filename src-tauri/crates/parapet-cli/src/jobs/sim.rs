//! `parapet sim`: the Graph simulator on 127.0.0.1 until Ctrl-C.

use parapet_api::simulator::{RetentionMode, SimOptions, ThrottleMode};
use std::io::Write;
use std::path::PathBuf;

use crate::args::{Retention, Throttle};

pub(crate) struct SimArgs<'a> {
    pub snapshots: &'a [PathBuf],
    pub port: Option<u16>,
    pub throttle: Throttle,
    pub fault_rate: f64,
    pub retention: Retention,
    pub consented: bool,
}

pub(crate) fn serve(args: SimArgs<'_>, out: &mut dyn Write) -> Result<(), String> {
    let options = SimOptions {
        snapshots: args.snapshots.to_vec(),
        port: args.port,
        throttle: match args.throttle {
            Throttle::Realistic => ThrottleMode::Realistic,
            Throttle::Off => ThrottleMode::Off,
        },
        fault_rate: args.fault_rate,
        retention: match args.retention {
            Retention::Realistic => RetentionMode::Realistic,
            Retention::All => RetentionMode::All,
        },
        consented: args.consented,
    };
    super::runtime()?.block_on(async {
        let simulator = parapet_api::simulator::serve(options)
            .await
            .map_err(|e| e.message)?;
        writeln!(out, "{}", simulator.describe()).map_err(|e| e.to_string())?;
        writeln!(out, "Press Ctrl-C to stop.").map_err(|e| e.to_string())?;
        out.flush().map_err(|e| e.to_string())?;
        tokio::signal::ctrl_c().await.map_err(|e| e.to_string())?;
        simulator.shutdown().await;
        Ok(())
    })
}
