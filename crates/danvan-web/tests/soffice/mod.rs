//! Converting Word documents to PDF with LibreOffice (`soffice --headless`, Debian's
//! libreoffice-writer, which `scripts/test` installs), for the tests that read PDFs.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Converts .docx files to PDF with LibreOffice, all in one run; returns the PDFs' paths.
pub fn to_pdf(dir: &Path, files: &[(String, Vec<u8>)]) -> Vec<PathBuf> {
    let mut inputs = Vec::new();
    for (name, bytes) in files {
        let path = dir.join(format!("{name}.docx"));
        std::fs::write(&path, bytes).unwrap();
        inputs.push(path);
    }
    let output = Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}/profile", dir.display()))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir)
        .args(&inputs)
        .output()
        .expect("soffice (Debian's libreoffice-writer) must be installed: scripts/test installs it");
    assert!(
        output.status.success(),
        "soffice failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    files
        .iter()
        .map(|(name, _)| {
            let pdf = dir.join(format!("{name}.pdf"));
            assert!(
                std::fs::read(&pdf)
                    .expect("soffice wrote the PDF")
                    .starts_with(b"%PDF-")
            );
            pdf
        })
        .collect()
}
