//! `gocua demo`: the whole system on this machine until Ctrl-C.

use std::process::ExitCode;

use super::DemoOptions;

pub async fn run(opts: DemoOptions) -> ExitCode {
    let summary = match super::run_demo(opts).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("Lỗi: {}", e.message_vi());
            eprintln!("Error: {}", e.message_en());
            return ExitCode::FAILURE;
        }
    };
    println!(
        "Đang phục vụ tại {} — nhấn Ctrl-C để dừng / serving at {} — press Ctrl-C to stop.",
        summary.url, summary.url
    );
    let stopped = summary
        .server
        .stop_on(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await;
    match stopped {
        Ok(()) => {
            println!("Đã dừng / stopped.");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("Lỗi máy chủ / server error: {e}");
            ExitCode::FAILURE
        }
    }
}
