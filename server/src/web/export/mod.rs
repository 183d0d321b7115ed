//! The documents a coordinator takes away from the dashboard: any dashboard table as CSV (streamed,
//! for large extracts) or as a formatted Excel workbook, and the quick report (báo cáo nhanh) as a
//! Word document laid out as a Youth Union document (Hướng dẫn 29-HD/TWĐTN-VP).
//!
//! Everything here is pure: data in, bytes out. Fetching the rows and the HTTP plumbing
//! (content types, file names, streaming bodies) belong to the handlers.

mod csv;
mod docx;
mod error;
mod table;
pub mod target_sheet;
mod xlsx;

pub use self::csv::{csv_header_bytes, csv_row_bytes, write_csv};
pub use self::docx::{quick_report_docx, QuickReport, ReportIndicator, ReportPicture};
pub use self::error::ExportError;
pub use self::table::{Cell, Column, ColumnKind, Table};
pub use self::xlsx::{sheet_name, table_to_xlsx, tables_to_xlsx, CONSTANT_MEMORY_ROWS};
