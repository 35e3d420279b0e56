//! Reading a package with three attachments (1 MB each), beside its floor: decoding the same
//! base64 alone.

use base64::Engine as _;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use danvan_edxml::{
    Attachment, Code, DocumentType, EdDate, MessageHeader, Organ, Package, Signer, Steering, read, write_package,
};

fn attachment(i: usize) -> Attachment {
    let mut content = b"%PDF-1.7\n".to_vec();
    let mut state = 0x2545_f491_4f6c_dd1du64 + i as u64;
    while content.len() < 1 << 20 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        content.push(state as u8);
    }
    Attachment {
        content_type: "application/pdf".into(),
        content_id: format!("tep-{i}"),
        name: format!("phu-luc-{i}.pdf"),
        description: format!("Phụ lục {i}"),
        content,
    }
}

fn package() -> Package {
    Package {
        header: MessageHeader {
            from: Organ {
                organ_id: "000.00.00.G22".into(),
                organ_name: "Văn phòng Chính phủ".into(),
                ..Organ::default()
            },
            to: vec![Organ {
                organ_id: "000.00.00.H17".into(),
                organ_name: "UBND tỉnh Đắk Nông".into(),
                ..Organ::default()
            }],
            code: Code {
                number: "7816".into(),
                notation: "VPCP-TTĐT".into(),
            },
            place: "Hà Nội".into(),
            promulgation_date: EdDate::parse("2025/06/30"),
            document_type: DocumentType {
                code: "18".into(),
                detail: String::new(),
                name: "Công văn".into(),
            },
            subject: "Về việc tăng cường công tác dân vận".into(),
            content: String::new(),
            signer: Signer::default(),
            due_date: EdDate::parse("2025/07/30"),
            to_places: vec![],
            priority: Some(0),
            response_for: vec![],
            steering: Steering::Directive,
            document_id: "000.00.00.G22,2025/06/30,7816/VPCP-TTĐT".into(),
        },
        timestamp: "2025/06/30 09:00:00".into(),
        attachments: (0..3).map(attachment).collect(),
    }
}

fn bench(c: &mut Criterion) {
    let package = package();
    let xml = write_package(&package);
    let encoded: Vec<String> = package
        .attachments
        .iter()
        .map(|a| base64::engine::general_purpose::STANDARD.encode(&a.content))
        .collect();
    let mut group = c.benchmark_group("edxml");
    group.throughput(Throughput::Bytes(xml.len() as u64));
    group.bench_function("floor: base64 decode of the three attachments", |b| {
        b.iter(|| {
            encoded
                .iter()
                .map(|e| base64::engine::general_purpose::STANDARD.decode(e).unwrap().len())
                .sum::<usize>()
        })
    });
    group.bench_function("read a package with three attachments", |b| {
        b.iter(|| read(xml.as_bytes()).unwrap())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
