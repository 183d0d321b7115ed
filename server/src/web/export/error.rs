/// Why an export could not be produced. Messages name the format and the library's reason; they
/// never contain cell contents (which may be personal data).
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("xlsx export failed: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("docx packaging failed: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("export i/o failed: {0}")]
    Io(#[from] std::io::Error),
}
