//! Converting Word documents to PDF with LibreOffice (`soffice --headless`, Debian's
//! libreoffice-writer, which `scripts/test` installs), and signing a PDF as an e-office does
//! (OpenSSL's `cms` command), for the tests and the benchmark that read PDFs.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs `soffice` with the arguments `configure` gives, and asserts that it succeeded.
///
/// Test binaries run at once, and LibreOffice instances starting together on a loaded machine
/// have been seen to abort at start ("WrappedTargetRuntimeException", before any file is read):
/// runs are taken one at a time across processes, under a lock file, and a run that aborts is
/// started once more, the first failure printed.
pub fn run(configure: impl Fn(&mut Command)) {
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(std::env::temp_dir().join("danvan-soffice.lock"))
        .unwrap();
    lock.lock().unwrap();
    let attempt = || {
        let mut command = Command::new("soffice");
        configure(&mut command);
        command
            .output()
            .expect("soffice (Debian's libreoffice) must be installed: scripts/test installs it")
    };
    let mut output = attempt();
    if !output.status.success() {
        eprintln!(
            "soffice failed once, started again: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        output = attempt();
    }
    assert!(
        output.status.success(),
        "soffice failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Converts .docx files to PDF with LibreOffice, all in one run; returns the PDFs' paths.
pub fn to_pdf(dir: &Path, files: &[(String, Vec<u8>)]) -> Vec<PathBuf> {
    let mut inputs = Vec::new();
    for (name, bytes) in files {
        let path = dir.join(format!("{name}.docx"));
        std::fs::write(&path, bytes).unwrap();
        inputs.push(path);
    }
    run(|command| {
        command
            .arg(format!("-env:UserInstallation=file://{}/profile", dir.display()))
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(dir)
            .args(&inputs);
    });
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

/// `pdf` with one object (`body`) appended as an incremental update: the object, its
/// cross-reference section and a trailer pointing back to the previous one.
pub fn append_object(pdf: &[u8], body: &str) -> Vec<u8> {
    let document = pdf_extract::Document::load_mem(pdf).unwrap();
    let root = document.trailer.get(b"Root").unwrap().as_reference().unwrap();
    let text = String::from_utf8_lossy(pdf);
    let previous: usize = text
        .rsplit("startxref")
        .next()
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let id = document.max_id + 1;
    let mut out = pdf.to_vec();
    if !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    let object_at = out.len();
    out.extend_from_slice(format!("{id} 0 obj\n{body}\nendobj\n").as_bytes());
    let xref_at = out.len();
    out.extend_from_slice(
        format!(
            "xref\n{id} 1\n{object_at:010} 00000 n \ntrailer\n<< /Size {} /Root {} {} R /Prev {previous} >>\nstartxref\n{xref_at}\n%%EOF\n",
            id + 1,
            root.0,
            root.1
        )
        .as_bytes(),
    );
    out
}

/// Signs `pdf` as an e-office does (a signature dictionary with its `/ByteRange` and a detached
/// CMS SignedData over it, appended as an incremental update), with OpenSSL's `cms` command and
/// a certificate made for the test.
pub fn sign(dir: &Path, pdf: &[u8], signer: &str) -> Vec<u8> {
    let run = |args: &[&str]| {
        let output = Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .expect("openssl must be installed");
        assert!(
            output.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    };
    let subject = format!("/CN={signer}/O=Ủy ban nhân dân tỉnh Đắk Nông/C=VN");
    run(&[
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-utf8", "-days", "30", "-subj", &subject, "-keyout",
        "key.pem", "-out", "cert.pem",
    ]);
    const HOLE: usize = 16_384;
    const RANGE: &[u8] = b"0000000000 0000000000 0000000000";
    let mut out = append_object(
        pdf,
        &format!(
            "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /M (D:20220425090000+07'00') /ByteRange [0 {}] /Contents <{}> >>",
            String::from_utf8_lossy(RANGE),
            "0".repeat(HOLE)
        ),
    );
    let contents_at = out.windows(11).rposition(|w| w == b"/Contents <").unwrap() + 10;
    let after_contents = contents_at + HOLE + 2;
    let range = format!(
        "{:010} {:010} {:010}",
        contents_at,
        after_contents,
        out.len() - after_contents
    );
    let at = out.windows(RANGE.len()).rposition(|w| w == RANGE).unwrap();
    out[at..at + RANGE.len()].copy_from_slice(range.as_bytes());
    let mut signed = out[..contents_at].to_vec();
    signed.extend_from_slice(&out[after_contents..]);
    std::fs::write(dir.join("content.bin"), &signed).unwrap();
    run(&[
        "cms",
        "-sign",
        "-binary",
        "-md",
        "sha256",
        "-in",
        "content.bin",
        "-signer",
        "cert.pem",
        "-inkey",
        "key.pem",
        "-outform",
        "DER",
        "-out",
        "signature.der",
    ]);
    let der = std::fs::read(dir.join("signature.der")).unwrap();
    assert!(der.len() * 2 <= HOLE);
    let hex: String = der.iter().map(|b| format!("{b:02X}")).collect();
    out[contents_at + 1..contents_at + 1 + hex.len()].copy_from_slice(hex.as_bytes());
    out
}
